"""The HTML talent report (asn_match.report) and ``asn-match report``."""

from __future__ import annotations

import importlib
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import asn_match as am
from asn_match._i18n import LANGUAGES, TEXTS, translator
from asn_match.cli import main
from asn_match.report import report
from asn_match.talent import nine_box

# the module, not am.report (the function of the same name)
report_module = importlib.import_module("asn_match.report")


class _Page(HTMLParser):
    """What a program reads back from a report: key figures, box counts, images, links."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}
        self.boxes: dict[int, int] = {}
        self.categories: list[str] = []
        self.images: list[dict] = []
        self.links: list[str] = []
        self.scripts = 0
        self.lang = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "data-key" in a:
            self.figures[a["data-key"]] = a["data-value"]
        if "data-box" in a:
            self.boxes[int(a["data-box"])] = int(a["data-count"])
        if "data-category" in a:
            self.categories.append(a["data-category"])
        if tag == "img":
            self.images.append(a)
        if tag == "script":
            self.scripts += 1
        for name in ("href", "src"):
            if name in a:
                self.links.append(a[name])


@pytest.fixture(scope="module")
def workforce():
    employees_df, positions_df = am.datasets.synthetic_workforce(40, 8, seed=7)
    return employees_df, positions_df


@pytest.fixture(scope="module")
def page_with_charts(workforce):
    pytest.importorskip("matplotlib", reason="charts need the plot extra (matplotlib)")
    return report(*workforce, lang="en")


def test_key_figures_are_those_of_the_placement(workforce, page_with_charts):
    summary = am.assign(am.score(*workforce)).summary()
    page = _Page(page_with_charts)
    for key in ("employees", "seats", "placed", "filled_seats", "moves"):
        assert int(page.figures[key]) == summary[key]
    assert float(page.figures["mean_jpm"]) == pytest.approx(summary["mean_jpm"], abs=0.005)
    assert int(page.figures["positions"]) == len(workforce[1])
    assert page.categories == list(summary["categories"])


def test_box_counts_are_those_of_nine_box(workforce, page_with_charts):
    boxes = nine_box(workforce[0])
    page = _Page(page_with_charts)
    naive = {b: int((boxes["box"] == b).sum()) for b in range(1, 10)}
    assert page.boxes == naive


def test_the_page_is_self_contained(page_with_charts):
    page = _Page(page_with_charts)
    assert page.scripts == 0
    assert {img["data-chart"] for img in page.images} == {"jpm", "flows", "nine_box", "gaps"}
    assert all(link.startswith("data:image/png;base64,") for link in page.links)
    assert "Content-Security-Policy" in page_with_charts
    assert "http://" not in page_with_charts and "https://" not in page_with_charts


def test_no_personal_data_in_the_page(workforce, page_with_charts):
    employees_df, _ = workforce
    for value in list(employees_df["employee_id"]) + list(employees_df["name"]):
        assert str(value) not in page_with_charts


def test_language(workforce):
    english = report(*workforce, lang="en", charts=False)
    indonesian = report(*workforce, charts=False)
    assert _Page(indonesian).lang == "id" and _Page(english).lang == "en"
    assert TEXTS["section_nine_box"]["id"] in indonesian
    assert TEXTS["section_nine_box"]["en"] in english
    # Domain terms stay as the regulations write them, in both languages.
    assert _Page(english).categories == _Page(indonesian).categories
    assert "Memenuhi Syarat" in english
    with pytest.raises(am.InvalidParameterError, match="'lang' parameter of report"):
        report(*workforce, lang="jv", charts=False)


def test_every_text_in_both_languages_with_the_same_fields():
    import string

    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(texts[lang]) if name}
            for lang in LANGUAGES
        ]
        assert fields[0] == fields[1], key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
    assert translator("en", "x")("of_total", part=1, total=2) == "1 of 2"


def test_indonesian_numbers_use_a_decimal_comma():
    assert report_module._number(1234.5, 1, "id") == "1.234,5"
    assert report_module._number(1234.5, 1, "en") == "1,234.5"
    assert report_module._number(None, 1, "id") == "-"


def test_written_atomically_and_returned(workforce, tmp_path):
    out = tmp_path / "report.html"
    page = report(*workforce, out, charts=False)
    assert out.read_text(encoding="utf-8") == page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_failed_write_leaves_the_old_file(workforce, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")

    def broken(self, text, encoding=None):
        with open(self, "w", encoding=encoding) as handle:
            handle.write(text[:10])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", broken)
    with pytest.raises(OSError, match="disk full"):
        report(*workforce, out, charts=False)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"path": "report.pdf"}, "path"),
        ({"path": "no/such/folder/report.html"}, "path"),
        ({"charts": "yes"}, "charts"),
        ({"title": 3}, "title"),
        ({"placement": "placement"}, "placement"),
    ],
)
def test_invalid_options(workforce, options, name):
    with pytest.raises(am.InvalidParameterError, match=repr(name)):
        report(*workforce, **options)


def test_a_given_placement_is_reported(workforce):
    scores = am.score(*workforce)
    steady = am.assign(scores, max_moves=3)
    page = _Page(report(*workforce, placement=steady, charts=False))
    assert int(page.figures["moves"]) == steady.summary()["moves"] <= 3
    other = am.assign(am.score(*am.datasets.synthetic_workforce(10, 3, seed=1)))
    with pytest.raises(am.InvalidParameterError, match="the same ids"):
        report(*workforce, placement=other, charts=False)


def test_bad_input_lists_every_problem_and_leaves_the_caller_data(workforce, tmp_path):
    employees_df, positions_df = workforce
    broken = employees_df.copy()
    broken.loc[0, "rank"] = "IX/z"
    broken.loc[1, "education"] = "PhD?"
    before = broken.copy()
    out = tmp_path / "report.html"
    with pytest.raises(am.InputError) as error:
        report(broken, positions_df, out, charts=False)
    assert {p.column for p in error.value.problems} >= {"rank", "education"}
    pd.testing.assert_frame_equal(broken, before)
    assert not out.exists()


def test_charts_without_matplotlib_name_the_extra(workforce, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(am.InvalidParameterError, match=r"asn_match\[plot\]"):
        report(*workforce)
    assert "<!DOCTYPE html>" in report(*workforce, charts=False)


# ----------------------------------------------------------------------------- command line


@pytest.fixture
def files(workforce, tmp_path):
    employees_df, positions_df = workforce
    employees, positions = tmp_path / "employees.csv", tmp_path / "positions.csv"
    am.write_table(employees_df, employees)
    am.write_table(positions_df, positions)
    return employees, positions


def test_cli_report(files, tmp_path, capsys):
    out = tmp_path / "report.html"
    code = main(["report", *map(str, files), "-o", str(out), "--lang", "en", "--no-charts"])
    assert code == 0
    assert "report written to" in capsys.readouterr().out
    assert _Page(out.read_text(encoding="utf-8")).lang == "en"
    code = main(["report", *map(str, files), "-o", str(out), "--no-charts"])
    assert code == 0
    assert "laporan ditulis ke" in capsys.readouterr().out


def test_cli_report_on_bad_input_exits_2_naming_the_problems(files, tmp_path, capsys):
    employees, positions = files
    frame = pd.read_csv(employees, dtype=str)
    frame.loc[2, "rank"] = "IX/z"
    frame.to_csv(employees, index=False)
    out = tmp_path / "report.html"
    code = main(["report", str(employees), str(positions), "-o", str(out), "--no-charts"])
    assert code == 2
    error = capsys.readouterr().err
    assert "invalid input" in error and "IX/z" in error and "rank" in error
    assert not out.exists()


@pytest.mark.parametrize("name", ["report.csv", "missing/report.html"])
def test_cli_report_bad_output_exits_2(files, tmp_path, capsys, name):
    code = main(["report", *map(str, files), "-o", str(tmp_path / name)])
    assert code == 2
    assert "asn-match report: invalid input" in capsys.readouterr().err


def test_cli_report_help_and_bad_language(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--help"])
    assert exit_info.value.code == 0
    assert "--lang" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "e.csv", "p.csv", "-o", "r.html", "--lang", "fr"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_development_figures_equal_a_naive_count(workforce, page_with_charts):
    from asn_match.talent import development_plan

    employees_df, positions_df = workforce
    placement = am.assign(am.score(*workforce))
    plan = development_plan(employees_df, positions_df, target=placement)
    page = _Page(page_with_charts)
    assert int(page.figures["people_with_gaps"]) == plan["employee_id"].nunique()
    # each person's longest plan (current or target position), in hours
    longest: dict[str, float] = {}
    for (employee, _), hours in plan.groupby(["employee_id", "against"])["hours"].sum().items():
        longest[employee] = max(longest.get(employee, 0.0), hours)
    assert float(page.figures["gap_hours"]) == pytest.approx(sum(longest.values()), abs=0.01)
    below = sum(1 for hours in employees_df["training_hours"] if float(hours) < 20)
    assert int(page.figures["below_20jp"]) == below


def test_the_categories_are_those_of_the_scale_scored_with(workforce):
    page = report(
        *workforce, config=am.ScoringConfig(category_scale="mapping"), lang="en", charts=False
    )
    assert _Page(page).categories == ["Optimal", "Cukup Optimal", "Kurang Optimal"]
    assert "Optimal &gt;= 90%, Cukup Optimal 78% to &lt; 90%, Kurang Optimal &lt; 78%" in page


def test_cli_report_without_matplotlib_exits_2_naming_the_extra(
    files, tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "report.html"
    assert main(["report", *map(str, files), "-o", str(out)]) == 2
    assert "asn_match[plot]" in capsys.readouterr().err
    assert not out.exists()
