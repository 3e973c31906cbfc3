"""The command line: exit codes, messages and files, as a user meets them."""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import asn_match as am
from asn_match import cli, datasets


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("example")
    assert cli.main(["example", str(directory)]) == 0
    return directory


def _frames(example_dir):
    employees = pd.read_csv(example_dir / "employees.csv", dtype=str, keep_default_na=False)
    positions = pd.read_csv(example_dir / "positions.csv", dtype=str, keep_default_na=False)
    return employees, positions


def test_demo_prints_summary_and_writes_placement(tmp_path, capsys):
    out = tmp_path / "placement.csv"
    assert cli.main(["demo", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "placed employees" in printed and "mean JPM" in printed
    assert str(out.resolve()) in printed
    table = pd.read_csv(out, dtype=str)
    employees, positions = datasets.tegal_administrators()
    assert set(employees["employee_id"]) <= set(table["employee_id"].dropna())


def _figures(printed: str) -> dict[str, int]:
    """The leading whole number of every "label: N ..." line of a printed summary."""
    figures = {}
    for line in printed.splitlines():
        label, _, rest = line.partition(":")
        if rest.split() and rest.split()[0].isdigit():
            figures[label.strip()] = int(rest.split()[0])
    return figures


def test_demo_runs_the_bkpsdm_job_and_says_so(tmp_path, capsys):
    """Issue 10: the demo moved 111 of 120 incumbents and placed 3 people below Masih Memenuhi
    Syarat. Now it fills the vacancies and fixes the misfits under a stated policy: it keeps
    most incumbents who fit, fills every vacancy and places nobody below the minimum."""
    out = tmp_path / "demo.csv"
    assert cli.main(["demo", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "policy: category 'Masih Memenuhi Syarat' or better" in printed
    figures = _figures(printed)
    employees, positions = datasets.tegal_administrators()
    scores = am.score(employees, positions)
    placement = am.assign(scores, **cli.DEMO_POLICY)
    s = placement.summary()
    assert figures["kept in post"] == s["stays"]
    assert figures["moved to another post"] == s["moved"]
    assert figures["left without a post"] == s["left_without_post"]
    assert figures["vacancies filled"] == s["vacancies_filled"] == s["vacant_seats"] > 0
    assert figures["below the minimum"] == 0
    assert "shadow price of a seat is how much lower the best placement's total" in printed
    assert re.search(r"\n  Kurang Memenuhi Syarat +0\n", printed)
    assert s["stays"] + s["moved"] + s["left_without_post"] == s["incumbents"]
    # Most incumbents who fit their post (Masih Memenuhi Syarat or better there) keep it.
    incumbent = placement.incumbent >= 0
    rows = np.flatnonzero(incumbent)
    fits = scores.category_code[rows, placement.incumbent[rows]] <= 1
    kept = placement.employee_position[rows] == placement.incumbent[rows]
    assert kept[fits].mean() > 0.8
    assert not kept[~fits].any()  # every misfit is moved or left without a post
    # The full reshuffle, on merit alone, moves far more.
    assert am.assign(scores).summary()["moves"] > 3 * s["moves"]
    table = pd.read_csv(out, dtype={"employee_id": str})
    placed = table[table["status"] == "placed"]
    assert set(placed["category"]) <= {"Memenuhi Syarat", "Masih Memenuhi Syarat"}


def test_demo_next_steps_are_commands_that_work(tmp_path, capsys, monkeypatch):
    assert cli.main(["demo", "-o", str(tmp_path / "demo.csv")]) == 0
    printed = capsys.readouterr().out
    lines = printed.replace("\\\n", " ").splitlines()  # join continued command lines
    commands = [shlex.split(line)[1:] for line in lines if line.startswith("  asn-match")]
    assert len(commands) == 3
    monkeypatch.chdir(tmp_path)
    summaries = []
    for command in commands:
        assert cli.main(command) == 0
        summaries.append(_figures(capsys.readouterr().out))
    demo = _figures(printed)
    # The same job from files gives the demo's figures; the full reshuffle moves more.
    assert summaries[1] == demo
    assert summaries[2]["incumbents moved"] > demo["incumbents moved"]


def test_demo_and_readme_tell_the_same_story(tmp_path, capsys):
    """The README's Python example prints the demo's summary, figure for figure."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    call = 'am.assign(scores, min_category="Masih Memenuhi Syarat", incumbent_bonus=5)'
    assert call in readme and cli.DEMO_POLICY == {
        "min_category": "Masih Memenuhi Syarat",
        "incumbent_bonus": 5.0,
    }
    block = readme.split(">>> print(placement.summary_text())\n", 1)[1].split("\n>>> ", 1)[0]
    assert cli.main(["demo", "-o", str(tmp_path / "demo.csv")]) == 0
    printed = capsys.readouterr().out
    assert block.strip() in printed
    assert _figures(block) == {k: v for k, v in _figures(printed).items() if k in _figures(block)}


def test_example_writes_exactly_the_two_input_files(example_dir):
    assert sorted(p.name for p in example_dir.iterdir()) == ["employees.csv", "positions.csv"]
    employees, _ = _frames(example_dir)
    reference, _ = datasets.tegal_administrators()
    assert employees["employee_id"].tolist() == reference["employee_id"].tolist()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_match_round_trip(example_dir, tmp_path, suffix):
    out = tmp_path / f"placement{suffix}"
    code = cli.main([
        "match", str(example_dir / "employees.csv"), str(example_dir / "positions.csv"),
        "-o", str(out),
    ])  # fmt: skip
    assert code == 0
    expected = am.assign(
        am.score(
            am.read_employees(example_dir / "employees.csv"),
            am.read_positions(example_dir / "positions.csv"),
        )
    ).to_frame()
    written = {
        ".csv": lambda: pd.read_csv(out, dtype=str, keep_default_na=False),
        ".xlsx": lambda: pd.read_excel(out, dtype=str, keep_default_na=False),
        # records read as written (pandas 2.2's read_json(dtype=str) turns null into "None")
        ".json": lambda: pd.DataFrame.from_records(json.loads(out.read_text(encoding="utf-8"))),
    }[suffix]()
    assert written.columns.tolist() == expected.columns.tolist()
    for column in ("employee_id", "position_id", "status", "reason_code"):
        got = ["" if v is None or v != v else str(v) for v in written[column].tolist()]
        want = ["" if v is None or v != v else str(v) for v in expected[column].tolist()]
        assert got == want, column
    placed = expected["status"] == "placed"
    # Written scores are rounded for people (two decimals), the frame keeps full precision.
    assert np.allclose(
        written.loc[placed, "composite"].astype(float),
        expected.loc[placed, "composite"].round(2),
        rtol=0,
        atol=1e-9,
    )


def test_recommend_rounds_scores_unless_full_precision(example_dir, tmp_path):
    inputs = [str(example_dir / "employees.csv"), str(example_dir / "positions.csv")]
    rounded, full = tmp_path / "rounded.csv", tmp_path / "full.csv"
    assert cli.main(["recommend", *inputs, "-o", str(rounded)]) == 0
    assert cli.main(["recommend", *inputs, "-o", str(full), "--full-precision"]) == 0
    short, exact = pd.read_csv(rounded)["composite"], pd.read_csv(full)["composite"]
    assert np.allclose(short, exact.round(2), rtol=0, atol=1e-9)
    assert not np.allclose(short, exact, rtol=0, atol=1e-6)


def test_match_full_precision_writes_every_decimal(example_dir, tmp_path, capsys):
    inputs = [str(example_dir / "employees.csv"), str(example_dir / "positions.csv")]
    rounded, full = tmp_path / "rounded.csv", tmp_path / "full.csv"
    assert cli.main(["match", *inputs, "-o", str(rounded)]) == 0
    assert cli.main(["match", *inputs, "-o", str(full), "--full-precision"]) == 0
    short = pd.read_csv(rounded)["composite"].dropna()
    exact = pd.read_csv(full)["composite"].dropna()
    assert np.allclose(short, exact.round(2), rtol=0, atol=1e-9)
    assert not np.allclose(short, exact, rtol=0, atol=1e-6)


def _pairs_by_category(example_dir):
    """(eligible pairs at least "Masih Memenuhi Syarat", eligible pairs below it), as id pairs."""
    scores = am.score(
        am.read_employees(example_dir / "employees.csv"),
        am.read_positions(example_dir / "positions.csv"),
    )
    pairs = scores.to_frame()
    pairs = pairs[pairs["eligible"]]
    good = pairs["category"] != "Kurang Memenuhi Syarat"
    ids = ["employee_id", "position_id"]
    return pairs.loc[good, ids], pairs.loc[~good, ids]


def test_match_options(example_dir, tmp_path, capsys):
    good, poor = _pairs_by_category(example_dir)
    lock = good.iloc[[len(good) // 2]]
    locks = tmp_path / "locks.csv"
    lock.to_csv(locks, index=False)
    inputs = [str(example_dir / "employees.csv"), str(example_dir / "positions.csv")]
    options = ["--objective", "fill_first", "--min-category", "Masih Memenuhi Syarat"]
    out = tmp_path / "placement.csv"
    assert cli.main(["match", *inputs, "-o", str(out), *options, "--locks", str(locks)]) == 0
    table = pd.read_csv(out, dtype=str)
    (employee_id, position_id), *_ = lock.itertuples(index=False)
    assert table.loc[table["employee_id"] == employee_id, "position_id"].tolist() == [position_id]
    assert set(table["category"].dropna()) <= {"Memenuhi Syarat", "Masih Memenuhi Syarat"}

    # A lock below the minimum category cannot be honoured: invalid input, nothing written.
    poor.iloc[[0]].to_csv(locks, index=False)
    refused = tmp_path / "refused.csv"
    assert cli.main(["match", *inputs, "-o", str(refused), *options, "--locks", str(locks)]) == 2
    assert poor.iloc[0]["employee_id"] in capsys.readouterr().err
    assert not refused.exists()


def test_match_incumbent_options(example_dir, tmp_path, capsys):
    out = tmp_path / "placement.json"
    code = cli.main([
        "match", str(example_dir / "employees.csv"), str(example_dir / "positions.csv"),
        "-o", str(out), "--max-moves", "10", "--incumbent-bonus", "1.5",
    ])  # fmt: skip
    assert code == 0
    moved = capsys.readouterr().out.split("incumbents moved:")[1].split()[0]
    assert int(moved) <= 10


def test_recommend(example_dir, tmp_path):
    out = tmp_path / "shortlist.csv"
    code = cli.main([
        "recommend", str(example_dir / "employees.csv"), str(example_dir / "positions.csv"),
        "--by", "position", "-k", "3", "-o", str(out),
    ])  # fmt: skip
    assert code == 0
    table = pd.read_csv(out, dtype=str)
    assert table.groupby("position_id").size().max() <= 3


def _break(frame, how):
    frame = frame.copy()
    if how == "missing_column":
        return frame.drop(columns=["rank"])
    if how == "duplicate_id":
        frame.loc[3, "employee_id"] = frame.loc[1, "employee_id"]
    elif how == "non_numeric_level":
        frame.loc[3, "integritas"] = "tinggi sekali"
    elif how == "out_of_scale_level":
        frame.loc[3, "integritas"] = "9"
    elif how == "unknown_rank":
        frame.loc[3, "rank"] = "V/z"
    elif how == "unknown_education":
        frame.loc[3, "education"] = "MBA"
    elif how == "missing_level":
        frame.loc[3, "integritas"] = ""
    return frame


EMPLOYEE_CASES = {
    "missing_column": ("rank", None),
    "duplicate_id": ("employee_id", 5),
    "non_numeric_level": ("integritas", 5),
    "out_of_scale_level": ("integritas", 5),
    "unknown_rank": ("rank", 5),
    "unknown_education": ("education", 5),
    "missing_level": ("integritas", 5),
}


def _run_match(employees_path, positions_path, out):
    return cli.main(["match", str(employees_path), str(positions_path), "-o", str(out)])


@pytest.mark.parametrize("how", sorted(EMPLOYEE_CASES))
def test_bad_employees_exit_2_name_row_and_column_and_write_nothing(
    example_dir, tmp_path, capsys, how
):
    employees, _ = _frames(example_dir)
    bad = tmp_path / "employees.csv"
    _break(employees, how).to_csv(bad, index=False)
    out = tmp_path / "out.csv"
    assert _run_match(bad, example_dir / "positions.csv", out) == 2
    err = capsys.readouterr().err
    column, row = EMPLOYEE_CASES[how]
    assert f"'{column}'" in err
    if row is not None:
        assert f"row {row}" in err
    assert "Traceback" not in err
    assert not out.exists()


def _break_positions(frame, how):
    frame = frame.copy()
    if how == "typo_competency":
        renamed = {"integritas": "integritass", "integritas_weight": "integritass_weight"}
        return frame.rename(columns=renamed)
    if how == "seats":
        frame.loc[2, "seats"] = "0"
    elif how == "negative_weight":
        frame.loc[2, "komunikasi_weight"] = "-1"
    elif how == "all_zero_weights":
        weights = [c for c in frame.columns if c.endswith("_weight")]
        frame.loc[2, weights] = "0"
    return frame


POSITION_CASES = {
    "typo_competency": ("integritass", None, "did you mean the SKJ competency 'integritas'"),
    "seats": ("seats", 4, "seats"),
    "negative_weight": ("komunikasi_weight", 4, "weight"),
    "all_zero_weights": (None, 4, "weight"),
}


@pytest.mark.parametrize("how", sorted(POSITION_CASES))
def test_bad_positions_exit_2(example_dir, tmp_path, capsys, how):
    _, positions = _frames(example_dir)
    bad = tmp_path / "positions.csv"
    _break_positions(positions, how).to_csv(bad, index=False)
    out = tmp_path / "out.csv"
    assert _run_match(example_dir / "employees.csv", bad, out) == 2
    err = capsys.readouterr().err
    column, row, fragment = POSITION_CASES[how]
    assert fragment in err
    if column is not None:
        assert f"'{column}'" in err
    if row is not None:
        assert f"row {row}" in err
    assert not out.exists()


def test_employees_file_passed_as_positions(example_dir, tmp_path, capsys):
    out = tmp_path / "out.csv"
    employees = example_dir / "employees.csv"
    assert _run_match(employees, employees, out) == 2
    assert "looks like an employees file" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("content", ["", "employee_id,name,unit,rank\n"])
def test_empty_and_header_only_files(example_dir, tmp_path, capsys, content):
    bad = tmp_path / "employees.csv"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert _run_match(bad, example_dir / "positions.csv", out) == 2
    assert "employees.csv" in capsys.readouterr().err
    assert not out.exists()


def test_unreadable_file(example_dir, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert _run_match(tmp_path / "missing.csv", example_dir / "positions.csv", out) == 2
    assert "missing.csv" in capsys.readouterr().err
    assert not out.exists()


def test_unsupported_output_extension(example_dir, tmp_path, capsys):
    out = tmp_path / "out.txt"
    assert _run_match(example_dir / "employees.csv", example_dir / "positions.csv", out) == 2
    assert ".csv, .xlsx, .json" in capsys.readouterr().err
    assert not out.exists()


def test_unexpected_error_exits_1_without_traceback(monkeypatch, tmp_path, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "score", boom)
    out = tmp_path / "p.csv"
    assert cli.main(["demo", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "disk on fire" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("command", [[], ["demo"], ["example"], ["match"], ["recommend"]])
def test_help_on_every_command(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: asn-match" in capsys.readouterr().out


def test_bad_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["match", "a.csv", "b.csv", "-o", "x.csv", "--objective", "fastest"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--min-category", "Sangat Bagus", "expected one of 'Memenuhi Syarat', "),
        ("--min-category", "3", "or its index 0-2, got '3'"),
        ("--min-score", "nan", "expected a finite number, got 'nan'"),
        ("--min-score", "high", "expected a finite number, got 'high'"),
        ("--incumbent-bonus", "-1", "expected a number >= 0, got '-1'"),
        ("--max-moves", "-1", "expected a whole number >= 0, got '-1'"),
        ("--max-moves", "2.5", "expected a whole number >= 0, got '2.5'"),
    ],
)
def test_bad_option_values_exit_2_name_the_option_and_write_nothing(
    example_dir, tmp_path, capsys, option, value, message
):
    out = tmp_path / "placement.csv"
    with pytest.raises(SystemExit) as exit_info:
        cli.main([
            "match", str(example_dir / "employees.csv"), str(example_dir / "positions.csv"),
            "-o", str(out), option, value,
        ])  # fmt: skip
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and message in err
    assert not out.exists()


@pytest.mark.parametrize("k", ["0", "-2", "three"])
def test_recommend_k_must_be_a_positive_whole_number(example_dir, tmp_path, capsys, k):
    out = tmp_path / "r.csv"
    with pytest.raises(SystemExit) as exit_info:
        cli.main([
            "recommend", str(example_dir / "employees.csv"), str(example_dir / "positions.csv"),
            "-o", str(out), "-k", k,
        ])  # fmt: skip
    assert exit_info.value.code == 2
    assert f"expected a whole number >= 1, got '{k}'" in capsys.readouterr().err
    assert not out.exists()


def test_min_category_in_any_case_and_a_minimum_nobody_meets(example_dir, tmp_path, capsys):
    inputs = [str(example_dir / "employees.csv"), str(example_dir / "positions.csv")]
    exact, loose = tmp_path / "exact.csv", tmp_path / "loose.csv"
    assert cli.main(["match", *inputs, "-o", str(exact), "--min-category", "Memenuhi Syarat"]) == 0
    assert (
        cli.main(["match", *inputs, "-o", str(loose), "--min-category", " memenuhi  SYARAT"]) == 0
    )
    assert exact.read_bytes() == loose.read_bytes()
    # Issue 10: one parser with the API, so the index the API accepts is accepted here too.
    index = tmp_path / "index.csv"
    assert cli.main(["match", *inputs, "-o", str(index), "--min-category", "0"]) == 0
    assert exact.read_bytes() == index.read_bytes()
    capsys.readouterr()
    nobody = tmp_path / "nobody.csv"
    assert cli.main(["match", *inputs, "-o", str(nobody), "--min-score", "101"]) == 0
    printed = capsys.readouterr().out
    assert "placed employees:   0 of 153" in printed and "mean JPM of placed: -" in printed
    table = pd.read_csv(nobody, dtype=str)
    assert table["position_id"].notna().sum() == table["employee_id"].isna().sum() == 134


def test_python_dash_m_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "asn_match", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("asn-match ")


def test_nip_contradicting_birth_date_is_a_warning_not_an_error(example_dir, tmp_path, capsys):
    employees, _ = _frames(example_dir)
    employees.loc[2, "birth_date"] = "1999-01-01"  # the NIP of row 4 says otherwise
    path = tmp_path / "employees.csv"
    employees.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    assert _run_match(path, example_dir / "positions.csv", out) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "row 4" in err and "birth_date" in err
    table = pd.read_csv(out, dtype=str)
    assert sorted(table["employee_id"].dropna()) == sorted(employees["employee_id"].astype(str))


def test_demo_next_steps_repeat_the_command_as_it_was_typed(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [".venv/bin/asn-match", "demo"])
    assert cli.main(["demo", "-o", str(tmp_path / "demo.csv")]) == 0
    printed = capsys.readouterr().out.replace("\\\n", " ")  # join continued command lines
    lines = [line for line in printed.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in lines[-3:]] == [".venv/bin/asn-match"] * 3
