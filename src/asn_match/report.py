"""The talent report: one self-contained HTML file of placement, 9-box, gaps and development.

:func:`report` scores and places the employees, maps them on the 9-box, plans their development
against the current and the new position, and writes what an analyst hands on: the key figures,
the JPM categories of the placement, the flows between units, the 9-box counts, the training
needs per unit, the development summary and the placement rates by protected group
(:func:`asn_match.audit`; groups under ten people withheld), with the charts of
:mod:`asn_match.plots` embedded as PNG images. The file needs nothing else to open: no
network, no script, no external style sheet (its content security policy forbids every outside
load). It holds only counts and sums per unit, per box and per group, no employee id or name,
since an NIP carries birth date and gender (docs/DOMAIN.md): the report can go to people who
may not see personal data.

Text is in Indonesian (``lang="id"``, the default: the analysts are Indonesian) or English;
the domain terms (JPM categories, box names) stay as the regulations write them.
"""

from __future__ import annotations

import base64
import html
import io as _stdio
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from . import plots
from ._checks import check_bool
from ._i18n import translator
from .audit import audit
from .config import ScoringConfig
from .errors import InvalidParameterError
from .io import write_atomic
from .placement import Placement, assign
from .pseudonym import check_key, pseudonymize_text
from .scoring import score
from .talent import (
    DevelopmentPolicy,
    NineBoxPolicy,
    development_plan,
    nine_box,
    nine_box_counts,
    training_needs,
)
from .talent._common import (
    EmployeesLike,
    PositionsLike,
    as_employees,
    as_positions,
    check_policy,
    units,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["REPORT_SUFFIXES", "report"]

#: File types :func:`report` writes.
REPORT_SUFFIXES: tuple[str, ...] = (".html", ".htm")

# Rows of the longer tables: the head is what a reader acts on; the whole table is one
# function call away (placement.compare_current, training_needs).
_TOP_UNITS = 12
_TOP_NEEDS = 15

_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 62em;
       color: #263238; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #cfd8dc; padding-bottom: 0.2em; margin-top: 2em; }
.intro { color: #546e7a; }
.figures { display: flex; flex-wrap: wrap; gap: 0.8em; }
.figure { background: #eceff1; border-radius: 6px; padding: 0.6em 1em; min-width: 9em; }
.figure .value { display: block; font-size: 1.6em; font-weight: bold; }
.figure .label { font-size: 0.85em; color: #546e7a; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #cfd8dc; padding: 0.25em 0.7em; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; display: block; margin: 0.8em 0; }
.notes { font-size: 0.85em; color: #546e7a; }
"""


def _number(value: float | None, decimals: int, lang: str) -> str:
    """A number as the language writes it: 1.234,5 in Indonesian, 1,234.5 in English."""
    if value is None or not np.isfinite(value):
        return "-"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _png(fig: Figure) -> str:
    """The figure as a PNG data URI (no software stamp, so the bytes depend on the drawing)."""
    buffer = _stdio.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _table(
    header: Sequence[tuple[str, bool]],
    rows: Iterable[Sequence[object]],
    *,
    row_attributes: Callable[[Sequence[object]], str] | None = None,
) -> str:
    """An HTML table; ``header`` is (title, numeric) per column, every cell escaped."""
    head = "".join(
        f"<th{' class=n' if numeric else ''}>{html.escape(title)}</th>" for title, numeric in header
    )
    body = []
    for row in rows:
        cells = "".join(
            f"<td{' class=n' if numeric else ''}>{html.escape(str(cell))}</td>"
            for cell, (_, numeric) in zip(row, header, strict=True)
        )
        attributes = row_attributes(row) if row_attributes else ""
        body.append(f"<tr{attributes}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _key_figure(key: str, value: object, shown: str, label: str) -> str:
    return (
        f'<div class="figure" data-key="{html.escape(key)}" data-value="{html.escape(str(value))}">'
        f'<span class="value">{html.escape(shown)}</span>'
        f'<span class="label">{html.escape(label)}</span></div>'
    )


def _image(fig: Figure | None, alt: str, name: str) -> str:
    if fig is None:
        return ""
    return f'<img src="{_png(fig)}" alt="{html.escape(alt)}" data-chart="{name}">'


def report(
    employees: EmployeesLike,
    positions: PositionsLike,
    path: str | os.PathLike[str] | None = None,
    *,
    lang: Literal["id", "en"] = "id",
    placement: Placement | None = None,
    config: ScoringConfig | dict | None = None,
    nine_box_policy: NineBoxPolicy | dict | None = None,
    development_policy: DevelopmentPolicy | dict | None = None,
    charts: bool = True,
    title: str | None = None,
    pseudonymize: bytes | str | None = None,
) -> str:
    """The talent report of a workforce, as one self-contained HTML page.

    Scores every employee against every position, places them (:func:`asn_match.assign`,
    default options, unless ``placement`` is given), maps them on the 9-box
    (:func:`asn_match.talent.nine_box`) and plans their development against the current and
    the new position (:func:`asn_match.talent.development_plan`). The page holds the key
    figures, the placement by JPM category with the unit changes, the 9-box counts with their
    actions, the training needs per unit, the development summary per unit, the placement
    rates by protected group (:func:`asn_match.audit`, when the employees have protected
    attributes), and the charts of :mod:`asn_match.plots` as embedded PNG images. Only counts
    and sums: no employee id or name (module docstring).

    Parameters
    ----------
    employees : Employees, DataFrame or path
        Read and validated as by :func:`asn_match.read_employees`.
    positions : Positions, DataFrame or path
        Read and validated as by :func:`asn_match.read_positions`.
    path : str or os.PathLike, optional
        A ``.html`` (or ``.htm``) file to write, atomically (nothing is left behind on a
        failure); None only returns the page.
    lang : {"id", "en"}, default="id"
        Language of the page.
    placement : Placement, optional
        A placement of these employees and positions made with other options (for example
        ``am.assign(scores, max_moves=20)``); by default :func:`asn_match.assign` with its
        defaults on the dense :func:`asn_match.score` of the tables with ``config`` (a workforce
        whose pairs fit in memory: streamed scores are not reported).
    config : ScoringConfig or dict, optional
        The scoring policy (default ``ScoringConfig()``); ignored for the placement when
        ``placement`` is given, which carries its own.
    nine_box_policy : NineBoxPolicy or dict, optional
        Band cut-offs, box numbering, labels and actions of the 9-box.
    development_policy : DevelopmentPolicy or dict, optional
        Hours per level step and the yearly right of the development plans.
    charts : bool, default=True
        Embed the charts; they need matplotlib (``pip install "asn_match[plot]"``). False
        writes the tables only.
    title : str, optional
        The page title; default the language's report title.
    pseudonymize : bytes or str, optional
        A secret key: any employee id the page holds (it holds none by design) is written as
        its keyed pseudonym (:func:`asn_match.pseudonym.pseudonymize_text`), as in every
        export with this option. The key is never written.

    Returns
    -------
    str
        The HTML page. Key figures carry ``data-key`` and ``data-value`` attributes (``employees``,
        ``positions``, ``seats``, ``placed``, ``filled_seats``, ``mean_jpm``, ``moves``), rows
        of the 9-box table ``data-box`` and ``data-count``, charts ``data-chart``, so that a
        program can read the page back.

    Raises
    ------
    InputError
        Invalid employees or positions, every problem listed.
    InvalidParameterError
        An invalid option; ``charts=True`` without matplotlib names the extra to install.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, positions = am.datasets.synthetic_workforce(30, 6, seed=1)
    >>> page = report(employees, positions, lang="en", charts=False)
    >>> page.startswith("<!DOCTYPE html>"), 'data-key="placed"' in page
    (True, True)
    """
    caller = "report"
    tr = translator(lang, caller)
    charts = check_bool(charts, "charts", caller)
    if title is not None and not isinstance(title, str):
        raise InvalidParameterError("title", caller, "None or a str", title)
    target = _check_path(path)
    key = None if pseudonymize is None else check_key(pseudonymize, "pseudonymize", caller)
    if charts:
        _check_matplotlib()
    emp = as_employees(employees, "employees", caller)
    pos = as_positions(positions, "positions", caller)
    if placement is None:
        # dense: the report reads every pair (unit changes, development targets)
        placed = assign(score(emp, pos, config=config, dense=True))
        assert isinstance(placed, Placement)  # dense scores give a Placement
        placement = placed
    else:
        _check_placement(placement, emp, pos)
    boxes = nine_box(emp, policy=nine_box_policy)
    plan = development_plan(
        emp, pos, target=placement, policy=development_policy, config=placement.scores.config
    )
    needs = training_needs(plan, by="unit")
    page = _page(
        tr,
        str(lang),
        title or tr("report_title"),
        placement,
        emp,
        boxes,
        plan,
        needs,
        nine_box_policy,
        development_policy,
        charts,
    )
    if key is not None:
        page = pseudonymize_text(page, emp.ids, key)
    if target is not None:
        write_atomic(target, lambda temporary: Path(temporary).write_text(page, encoding="utf-8"))
    return page


def _check_path(path: object) -> Path | None:
    if path is None:
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidParameterError("path", "report", "None or a path ending in .html", path)
    target = Path(path)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        raise InvalidParameterError(
            "path", "report", "a path ending in .html or .htm", os.fspath(target)
        )
    if not target.parent.is_dir():
        raise InvalidParameterError(
            "path",
            "report",
            "a file in an existing folder",
            os.fspath(target),
            fix=f"The folder {os.fspath(target.parent)!r} does not exist; create it first.",
        )
    return target


def _check_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401 - optional: only to say what to install
    except ImportError:
        raise InvalidParameterError(
            "charts",
            "report",
            "False unless matplotlib is installed",
            True,
            fix='Install it with: pip install "asn_match[plot]", or pass charts=False.',
        ) from None


def _check_placement(placement: object, emp, pos) -> None:
    if not isinstance(placement, Placement):
        raise InvalidParameterError(
            "placement", "report", "None or a Placement (from asn_match.assign)", type(placement)
        )
    same = np.array_equal(
        np.asarray(placement.scores.employees.ids, dtype=object), np.asarray(emp.ids, dtype=object)
    ) and np.array_equal(
        np.asarray(placement.scores.positions.ids, dtype=object), np.asarray(pos.ids, dtype=object)
    )
    if not same:
        raise InvalidParameterError(
            "placement",
            "report",
            "a placement of the given employees and positions (the same ids in the same order)",
            placement,
        )


def _page(
    tr, lang, title, placement, emp, boxes, plan, needs, box_policy, development_policy, charts
) -> str:
    from . import __version__

    summary = placement.summary()
    scores = placement.scores
    sections = [
        _summary_section(tr, lang, summary, emp, scores),
        _placement_section(tr, lang, summary, placement, charts),
        _nine_box_section(tr, boxes, box_policy, charts, lang),
        _gaps_section(tr, lang, needs, charts),
        _development_section(tr, lang, plan, emp, development_policy),
        _fairness_section(tr, lang, placement, emp),
    ]
    high, low = scores.config.category_thresholds
    best, middle, worst = scores.config.category_labels
    notes = [
        tr(
            "note_categories",
            high=_number(high, 0, lang),
            low=_number(low, 0, lang),
            best=best,
            middle=middle,
            worst=worst,
        ),  # fmt: skip
        tr("note_nine_box"),
        tr("note_development"),
        tr("generated_by", version=__version__),
    ]
    if not charts:
        notes.insert(0, tr("no_charts"))
    notes_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    intro = tr(
        "report_intro",
        employees=_number(summary["employees"], 0, lang),
        positions=_number(len(scores.positions), 0, lang),
        seats=_number(summary["seats"], 0, lang),
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        # Nothing may load from outside: the page is one file, read offline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p class=intro>{html.escape(intro)}</p>\n"
        + "\n".join(sections)
        + f'\n<section id="notes"><h2>{html.escape(tr("section_notes"))}</h2>'
        f'<ul class="notes">{notes_html}</ul></section>\n</body>\n</html>\n'
    )


def _section(name: str, heading: str, body: str) -> str:
    return f'<section id="{name}"><h2>{html.escape(heading)}</h2>\n{body}</section>'


def _summary_section(tr, lang, summary, emp, scores) -> str:
    mean_jpm = summary["mean_jpm"]
    figures = [
        _key_figure("employees", summary["employees"], _number(summary["employees"], 0, lang),
                    tr("employees")),
        _key_figure("positions", len(scores.positions), _number(len(scores.positions), 0, lang),
                    tr("positions")),
        _key_figure("seats", summary["seats"], _number(summary["seats"], 0, lang), tr("seats")),
        _key_figure("placed", summary["placed"],
                    tr("of_total", part=_number(summary["placed"], 0, lang),
                       total=_number(summary["employees"], 0, lang)), tr("placed")),
        _key_figure("filled_seats", summary["filled_seats"],
                    tr("of_total", part=_number(summary["filled_seats"], 0, lang),
                       total=_number(summary["seats"], 0, lang)), tr("filled_seats")),
        _key_figure("mean_jpm", "" if mean_jpm is None else round(mean_jpm, 2),
                    "-" if mean_jpm is None else _number(mean_jpm, 1, lang) + "%",
                    tr("mean_jpm")),
        _key_figure("moves", summary["moves"],
                    tr("of_total", part=_number(summary["moves"], 0, lang),
                       total=_number(summary["incumbents"], 0, lang)), tr("moves")),
    ]  # fmt: skip
    body = f'<div class="figures">{"".join(figures)}</div>'
    return _section("summary", tr("section_summary"), body)


def _placement_section(tr, lang, summary, placement, charts) -> str:
    placed = max(summary["placed"], 1)
    categories = _table(
        [(tr("category"), False), (tr("count"), True), (tr("share"), True)],
        [
            (label, _number(count, 0, lang), _number(100.0 * count / placed, 1, lang) + "%")
            for label, count in summary["categories"].items()
        ],
        row_attributes=lambda row: f' data-category="{html.escape(str(row[0]))}"',
    )
    per_unit = placement.compare_current(by="unit")
    per_unit = per_unit.assign(changes=per_unit["moved_in"] + per_unit["moved_out"])
    per_unit = per_unit.sort_values(["changes", "unit"], ascending=[False, True], kind="stable")
    units = _table(
        [(tr("unit"), False), (tr("holders_before"), True), (tr("holders_after"), True),
         (tr("moved_in"), True), (tr("moved_out"), True), (tr("mean_before"), True),
         (tr("mean_after"), True)],
        [
            (row.unit, row.holders_before, row.holders_after, row.moved_in, row.moved_out,
             _number(row.mean_before, 1, lang), _number(row.mean_after, 1, lang))
            for row in per_unit.head(_TOP_UNITS).itertuples()
        ],
    )  # fmt: skip
    body = categories
    if charts:
        body += _image(plots.jpm_distribution(placement, lang=lang), tr("chart_jpm"), "jpm")
        body += _image(plots.placement_flows(placement, lang=lang), tr("chart_flows"), "flows")
    body += f"<h3>{html.escape(tr('unit_changes'))}</h3>{units}"
    return _section("placement", tr("section_placement"), body)


def _nine_box_section(tr, boxes: pd.DataFrame, policy, charts, lang) -> str:
    box_policy = check_policy(policy, NineBoxPolicy, "report")
    counts = nine_box_counts(boxes, by=None).sum(axis=0)
    rows = [
        (number, box_policy.label(number), int(counts.get(number, 0)), box_policy.action(number))
        for number in range(9, 0, -1)
    ]
    table = _table(
        [(tr("box"), True), (tr("box_name"), False), (tr("count"), True), (tr("action"), False)],
        rows,
        row_attributes=lambda row: f' data-box="{row[0]}" data-count="{row[2]}"',
    )
    body = ""
    if charts:
        body += _image(plots.nine_box_chart(boxes, policy=policy, lang=lang),
                       tr("chart_nine_box"), "nine_box")  # fmt: skip
    return _section("nine-box", tr("section_nine_box"), body + table)


def _gaps_section(tr, lang, needs: pd.DataFrame, charts) -> str:
    if needs.empty:
        return _section("gaps", tr("section_gaps"), f"<p>{html.escape(tr('no_gaps'))}</p>")
    body = ""
    if charts:
        body += _image(plots.gap_heatmap(needs, lang=lang), tr("chart_gaps"), "gaps")
    table = _table(
        [(tr("unit"), False), (tr("competency"), False), (tr("people"), True),
         (tr("total_gap"), True), (tr("total_hours"), True), (tr("jpm_gain"), True)],
        [
            (row.unit, row.competency, row.people, _number(row.total_gap, 0, lang),
             _number(row.total_hours, 0, lang), _number(row.jpm_gain, 1, lang))
            for row in needs.head(_TOP_NEEDS).itertuples()
        ],
    )  # fmt: skip
    body += f"<h3>{html.escape(tr('training_needs'))}</h3>{table}"
    return _section("gaps", tr("section_gaps"), body)


def _development_section(tr, lang, plan: pd.DataFrame, emp, policy) -> str:
    policy = check_policy(policy, DevelopmentPolicy, "report")
    unit = pd.Series(units(emp), index=np.asarray(emp.ids, dtype=object).astype(str))
    below = pd.Series(emp.training_hours < policy.annual_jp, index=unit.index)
    # Each person's plan: the longest of their plans (current or target position), in hours.
    per_plan = plan.groupby(["employee_id", "against"], sort=False).agg(
        hours=("hours", "sum"), years=("years_at_20jp", "max")
    )
    per_person = per_plan.groupby(level=0, sort=False).max()
    frame = pd.DataFrame({"unit": unit.fillna("(none)").astype(str), "below": below})
    frame = frame.join(per_person, how="left")
    rows = []
    for name, group in frame.groupby("unit", sort=True):
        with_gaps = group["hours"].notna()
        rows.append(
            (name, int(len(group)), int(with_gaps.sum()),
             _number(float(group["hours"].sum()), 0, lang),
             _number(float(group["years"].median()) if with_gaps.any() else None, 1, lang),
             int(group["below"].sum()))
        )  # fmt: skip
    rows.sort(key=lambda row: (-row[2], row[0]))
    with_gaps = frame["hours"].notna()
    figures = [
        _key_figure("people_with_gaps", int(with_gaps.sum()),
                    tr("of_total", part=_number(int(with_gaps.sum()), 0, lang),
                       total=_number(len(frame), 0, lang)), tr("people_with_gaps")),
        _key_figure("gap_hours", round(float(frame["hours"].sum()), 2),
                    _number(float(frame["hours"].sum()), 0, lang), tr("gap_hours")),
        _key_figure("median_years", "",
                    _number(float(frame["years"].median()) if with_gaps.any() else None, 1, lang),
                    tr("median_years")),
        _key_figure("below_20jp", int(frame["below"].sum()),
                    _number(int(frame["below"].sum()), 0, lang), tr("below_20jp")),
    ]  # fmt: skip
    table = _table(
        [(tr("unit"), False), (tr("employees"), True), (tr("people_with_gaps"), True),
         (tr("gap_hours"), True), (tr("median_years"), True), (tr("below_20jp"), True)],
        rows,
    )  # fmt: skip
    body = f'<div class="figures">{"".join(figures)}</div>{table}'
    return _section("development", tr("section_development"), body)


def _fairness_section(tr, lang, placement, emp) -> str:
    """Placement rates by protected group (:func:`asn_match.audit`), one attribute at a time.

    Empty when the employees have no protected attribute. The figures of a group smaller than
    the audit's ``min_group_size`` are withheld, as are pairs of attributes: the page may go to
    readers who may not see personal data, and the rate of a group of two says who was placed.
    """
    if emp.protected.shape[1] == 0:
        return ""
    result = audit(placement, emp, intersections=False)
    rows = result.to_frame().query("outcome == 'placed'")
    size = result.min_group_size

    def shown(row) -> tuple[str, ...]:
        name = tr(f"attr_{row.attribute}")
        if row.n < size:
            return (name, row.group, _number(row.n, 0, lang), "-", "-", tr("small_group"), "-")
        ratio = "-" if np.isnan(row.ratio) else _number(row.ratio, 2, lang)
        return (
            name,
            row.group,
            _number(row.n, 0, lang),
            _number(100.0 * row.rate, 1, lang) + "%",
            ratio,
            tr("flag_yes") if row.four_fifths else "",
            "-" if np.isnan(row.p_value) else _number(row.p_value, 3, lang),
        )

    table = _table(
        [(tr("attribute"), False), (tr("group"), False), (tr("people"), True),
         (tr("selection_rate"), True), (tr("impact_ratio"), True), (tr("four_fifths"), False),
         (tr("fisher_p"), True)],
        [shown(row) for row in rows.itertuples()],
        row_attributes=lambda row: f' data-group="{html.escape(str(row[1]))}"',
    )  # fmt: skip
    intro = tr("fairness_intro", date=result.reference_date.isoformat(), size=size)
    return _section("fairness", tr("section_fairness"), f"<p>{html.escape(intro)}</p>{table}")
