"""Charts of scores, placements and the talent tables: each function returns a matplotlib Figure.

The ``plot`` extra (``pip install "asn_match[plot]"``) brings matplotlib; it is imported only
when a chart is drawn, and a missing matplotlib is an :class:`ImportError` that names the
extra. The figures are built with the object API (:class:`matplotlib.figure.Figure`), never
through pyplot: no global figure state, no GUI backend, nothing shown. Save one with
``fig.savefig("chart.png")``; in Jupyter, after ``%matplotlib inline``, a figure left as a
cell's value is shown.

Labels are in Indonesian (``lang="id"``, the default) or English (``lang="en"``); the domain
terms (JPM categories, box names) stay as the regulations write them.

Examples
--------
>>> import asn_match as am
>>> from asn_match.plots import jpm_distribution
>>> scores = am.score(*am.datasets.synthetic_workforce(40, 8, seed=1))
>>> fig = jpm_distribution(am.assign(scores), lang="en")
>>> fig.axes[0].get_xlabel()
'JPM (%)'
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from . import talent
from ._checks import check_choice, check_int, check_real
from ._i18n import translator
from .errors import InvalidParameterError
from .large import CandidatePlacement
from .placement import Placement
from .scoring import CandidateScores, DenseScores, Scores
from .tables import Employees
from .talent._common import check_policy, units
from .talent.nine_box import PERFORMANCE_BANDS, POTENTIAL_BANDS

if TYPE_CHECKING:  # matplotlib is optional: the type only, for the annotations
    from matplotlib.figure import Figure

__all__ = [
    "gap_heatmap",
    "gap_table",
    "jpm_distribution",
    "nine_box_chart",
    "placement_flows",
    "unit_flows",
]

# Category colours, best first: green, amber, red (the traffic light the analysts' templates use).
_CATEGORY_COLOURS = ("#2e7d32", "#f9a825", "#c62828")
_STAY_COLOUR, _MOVE_COLOUR, _UNPLACED_COLOUR = "#90a4ae", "#ef6c00", "#c62828"
# Longest unit name printed beside a chart before it is shortened with an ellipsis.
_LABEL_CHARS = 38


def _new_figure(width: float, height: float) -> Figure:
    """An empty Figure of the object API, or an ImportError naming the ``plot`` extra."""
    try:
        from matplotlib.figure import Figure  # optional: imported only to draw
    except ImportError:
        raise ImportError(
            'asn_match charts need matplotlib: pip install "asn_match[plot]"'
        ) from None
    return Figure(figsize=(width, height), layout="constrained")


def _short(text: object, limit: int = _LABEL_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# ----------------------------------------------------------------------------- JPM distribution


def _jpm_pairs(result: object, caller: str) -> tuple[np.ndarray, np.ndarray, Scores]:
    """JPM and category code of the pairs a result holds (1-D, one length), and its scores.

    Scores are read as arrays, never as a pair frame: dense scores hold n x m pairs.
    """
    if isinstance(result, (Placement, CandidatePlacement)):
        frame = result.to_frame()
        frame = frame[frame["status"] == "placed"]
        code_of = {label: code for code, label in enumerate(result.scores.config.category_labels)}
        codes = frame["category"].astype(str).map(code_of).to_numpy(dtype=np.int64)
        return frame["jpm"].to_numpy(dtype=np.float64), codes, result.scores
    if isinstance(result, DenseScores):
        return result.jpm.ravel(), result.category_code.ravel(), result
    if isinstance(result, CandidateScores):
        return result.candidates.jpm, result.candidates.category_code, result
    raise InvalidParameterError(
        "result", caller, "a Placement or Scores (from asn_match.assign or asn_match.score)", result
    )


def jpm_distribution(
    result: Placement | CandidatePlacement | Scores,
    *,
    bin_width: float = 5.0,
    lang: Literal["id", "en"] = "id",
) -> Figure:
    """Histogram of JPM, stacked by JPM category, with the category thresholds marked.

    Parameters
    ----------
    result : Placement, CandidatePlacement or Scores
        A placement: the JPM of each placed employee in their position. Scores: the JPM of
        every pair (dense scores) or of every kept candidate pair (streamed scores).
    bin_width : float, default=5.0
        Width of a bar, in JPM percent (0.1 to 100).
    lang : {"id", "en"}, default="id"
        Language of the labels; the category names stay as the regulations write them.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: one bar series per category (best first, in the scores' category labels),
        whose heights sum to the number of pairs, and a dashed line at each threshold.

    Examples
    --------
    >>> import asn_match as am
    >>> scores = am.score(*am.datasets.synthetic_workforce(30, 6, seed=2))
    >>> fig = jpm_distribution(scores)
    >>> int(sum(p.get_height() for p in fig.axes[0].patches)) == 30 * 6
    True
    """
    tr = translator(lang, "jpm_distribution")
    bin_width = check_real(bin_width, "bin_width", "jpm_distribution", minimum=0.1, maximum=100)
    jpm, codes, scores = _jpm_pairs(result, "jpm_distribution")
    labels = scores.config.category_labels
    thresholds = scores.config.category_thresholds
    top = max(100.0, float(jpm.max()) if jpm.size else 100.0)
    # The thresholds are bar edges too, so that no bar straddles two categories.
    edges = np.union1d(np.arange(0.0, top + bin_width, bin_width), thresholds)
    fig = _new_figure(7.0, 3.6)
    ax = fig.add_subplot()
    bottom = np.zeros(edges.size - 1)
    for code, (label, colour) in enumerate(zip(labels, _CATEGORY_COLOURS, strict=True)):
        counts, _ = np.histogram(jpm[codes == code], bins=edges)
        ax.bar(
            edges[:-1], counts, width=np.diff(edges), bottom=bottom, align="edge",
            color=colour, edgecolor="white", linewidth=0.5,
            label=f"{label} ({int(counts.sum())})",
        )  # fmt: skip
        bottom += counts
    for threshold in thresholds:
        ax.axvline(threshold, color="#37474f", linestyle="--", linewidth=1)
    # From the tens below the lowest JPM (or threshold): the empty low range says nothing.
    low = min(float(jpm.min()) if jpm.size else 0.0, min(thresholds) - bin_width)
    ax.set_xlim(max(0.0, 10.0 * np.floor(low / 10.0)), edges[-1])
    ax.set_xlabel(tr("jpm_percent"))
    ax.set_ylabel(tr("pairs" if isinstance(result, Scores) else "people_placed"))
    ax.set_title(tr("chart_jpm"))
    ax.legend(loc="upper left", frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


# ----------------------------------------------------------------------------- 9-box


def nine_box_chart(
    boxes: pd.DataFrame,
    *,
    policy: talent.NineBoxPolicy | dict | None = None,
    lang: Literal["id", "en"] = "id",
) -> Figure:
    """The 9-box grid: performance across, potential up, each cell with its box, label and count.

    Parameters
    ----------
    boxes : DataFrame
        The result of :func:`asn_match.talent.nine_box` (``performance_band``,
        ``potential_band``, ``box``, ``label``).
    policy : NineBoxPolicy or dict, optional
        Numbers and labels of the cells nobody is in (a cell someone is in shows the box and
        label of its rows); pass the policy ``boxes`` was made with. Default
        ``NineBoxPolicy()``.
    lang : {"id", "en"}, default="id"
        Language of the axes; box labels stay as the policy writes them.

    Returns
    -------
    matplotlib.figure.Figure
        One axes of 3 x 3 cells; cell (performance band, potential band) at x, y = band codes
        (lowest first). Each cell's text holds its box number, label and head count; employees
        with no box are counted in the title.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, _ = am.datasets.synthetic_workforce(30, 5, seed=2)
    >>> from asn_match.talent import nine_box
    >>> fig = nine_box_chart(nine_box(employees), lang="en")
    >>> fig.axes[0].get_xlabel(), len(fig.axes[0].patches)
    ('Performance', 9)
    """
    tr = translator(lang, "nine_box_chart")
    policy = check_policy(policy, talent.NineBoxPolicy, "nine_box_chart")
    needed = {"performance_band", "potential_band", "box", "label"}
    if not isinstance(boxes, pd.DataFrame) or not needed <= set(boxes.columns):
        raise InvalidParameterError(
            "boxes", "nine_box_chart", "the DataFrame of nine_box", type(boxes).__name__
        )
    perf = boxes["performance_band"].map(_band_code(PERFORMANCE_BANDS))
    pot = boxes["potential_band"].map(_band_code(POTENTIAL_BANDS))
    mapped = perf.notna() & pot.notna() & boxes["box"].notna()
    fig = _new_figure(7.5, 6.0)
    ax = fig.add_subplot()
    from matplotlib.patches import Rectangle

    for x in range(3):
        for y in range(3):
            in_cell = boxes[mapped & (perf == x) & (pot == y)]
            if len(in_cell):
                number, label = int(in_cell["box"].iloc[0]), str(in_cell["label"].iloc[0])
            else:
                number = policy.box(x, y)
                label = policy.label(number)
            # Greener up and right: the talent the grid is drawn to find.
            ax.add_patch(Rectangle((x, y), 1, 1, facecolor=_CELL_COLOURS[x + y],
                                   edgecolor="white", linewidth=3))  # fmt: skip
            ax.text(x + 0.06, y + 0.9, str(number), fontsize=15, weight="bold", va="top")
            ax.text(x + 0.94, y + 0.9, str(len(in_cell)), fontsize=18, ha="right", va="top",
                    gid=f"count-{number}")  # fmt: skip
            ax.text(x + 0.5, y + 0.3, textwrap.fill(label, 24), fontsize=7, ha="center",
                    va="center")  # fmt: skip
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    ax.set_aspect("equal")
    ax.set_xticks([0.5, 1.5, 2.5], [tr(f"band_performance_{b}") for b in range(3)])
    ax.set_yticks([0.5, 1.5, 2.5], [tr(f"band_potential_{b}") for b in range(3)],
                  rotation=90, va="center")  # fmt: skip
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel(tr("performance"))
    ax.set_ylabel(tr("potential"))
    unmapped = int((~mapped).sum())
    title = tr("chart_nine_box") + f" (n = {int(mapped.sum())})"
    if unmapped:
        title += f"; {tr('not_mapped')}: {unmapped}"
    ax.set_title(title)
    return fig


# Cell colours by performance band + potential band (0 to 4), red to green.
_CELL_COLOURS = ("#ef9a9a", "#ffcc80", "#fff59d", "#c5e1a5", "#81c784")


def _band_code(bands: tuple[str, ...]) -> dict[str, int]:
    return {band: code for code, band in enumerate(bands)}


# ----------------------------------------------------------------------------- gap heatmap


def gap_heatmap(
    data: pd.DataFrame,
    *,
    value: Literal["total_gap", "people", "total_hours", "jpm_gain"] = "total_gap",
    max_units: int = 30,
    max_competencies: int = 20,
    lang: Literal["id", "en"] = "id",
) -> Figure:
    """Heatmap of competency gaps: units down, competencies across.

    Parameters
    ----------
    data : DataFrame
        A development plan (:func:`asn_match.talent.development_plan`: summed per unit by
        :func:`asn_match.talent.training_needs`) or training needs per unit (``unit``,
        ``competency`` and the ``value`` column).
    value : {"total_gap", "people", "total_hours", "jpm_gain"}, default="total_gap"
        What a cell shows: levels of gap, people with the gap, lesson hours (JP) to close
        it, or the JPM it would add.
    max_units, max_competencies : int, default=30 and 20
        The most units (rows) and competencies (columns) drawn: those with the largest totals
        of ``value``; the rest are left out and the title says how many.
    lang : {"id", "en"}, default="id"
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        A heatmap axes and its colour bar. The image holds the (units, competencies) table of
        ``value``, 0 where a unit has no gap in a competency; rows and columns by total,
        largest first.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, positions = am.datasets.synthetic_workforce(30, 6, seed=5)
    >>> from asn_match.talent import development_plan
    >>> plan = development_plan(employees, positions)
    >>> fig = gap_heatmap(plan, lang="en")
    >>> fig.axes[0].images[0].get_array().shape[0] <= 30
    True
    """
    caller = "gap_heatmap"
    tr = translator(lang, caller)
    value = check_choice(value, "value", caller, ("total_gap", "people", "total_hours", "jpm_gain"))
    max_units = check_int(max_units, "max_units", caller, minimum=1)
    max_competencies = check_int(max_competencies, "max_competencies", caller, minimum=1)
    table = gap_table(data, value=value)
    shown = table.iloc[:max_units, :max_competencies]
    fig = _new_figure(min(3.0 + 0.45 * shown.shape[1], 14.0), 1.6 + 0.28 * shown.shape[0])
    ax = fig.add_subplot()
    image = ax.imshow(shown.to_numpy(dtype=np.float64), cmap="OrRd", aspect="auto",
                      vmin=0)  # fmt: skip
    ax.set_xticks(range(shown.shape[1]), [str(c) for c in shown.columns], rotation=60,
                  ha="right", fontsize=7)  # fmt: skip
    ax.set_yticks(range(shown.shape[0]), [_short(u) for u in shown.index], fontsize=7)
    fig.colorbar(image, ax=ax, label=tr(value), shrink=0.8)
    title = tr("chart_gaps")
    hidden_units, hidden_codes = table.shape[0] - shown.shape[0], table.shape[1] - shown.shape[1]
    if hidden_units or hidden_codes:
        title += "\n" + tr("left_out", units=hidden_units, competencies=hidden_codes)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(tr("competency"))
    ax.set_ylabel(tr("unit"))
    return fig


def gap_table(
    data: pd.DataFrame,
    *,
    value: Literal["total_gap", "people", "total_hours", "jpm_gain"] = "total_gap",
) -> pd.DataFrame:
    """The (units, competencies) table that :func:`gap_heatmap` draws.

    Parameters
    ----------
    data : DataFrame
        A development plan or training needs per unit (see :func:`gap_heatmap`).
    value : {"total_gap", "people", "total_hours", "jpm_gain"}, default="total_gap"

    Returns
    -------
    DataFrame
        Index: units, columns: competencies, float64 values (0 where there is no gap); rows
        by their total, largest first, then by name, and columns likewise.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"unit": ["A", "A", "B"], "competency": ["x", "y", "x"],
    ...                       "total_gap": [1.0, 2.0, 4.0]})
    >>> table = gap_table(needs)
    >>> table.index.tolist(), table.columns.tolist(), table.to_numpy().tolist()
    (['B', 'A'], ['x', 'y'], [[4.0, 0.0], [1.0, 2.0]])
    """
    caller = "gap_table"
    value = check_choice(value, "value", caller, ("total_gap", "people", "total_hours", "jpm_gain"))
    if not isinstance(data, pd.DataFrame):
        raise InvalidParameterError(
            "data", caller, "a development plan or training needs (a DataFrame)", type(data)
        )
    if {"employee_id", "gap", "unit"} <= set(data.columns):
        data = talent.training_needs(data, by="unit")
    if not {"unit", "competency", value} <= set(data.columns):
        raise InvalidParameterError(
            "data",
            caller,
            f"a development plan or training needs with 'unit', 'competency' and {value!r} columns",
            f"a DataFrame with columns {list(map(str, data.columns))}",
        )
    unit = data["unit"].astype(object).where(data["unit"].notna(), "(none)").astype(str)
    table = (
        pd.DataFrame({"unit": unit, "competency": data["competency"].astype(str),
                      "value": data[value].to_numpy(dtype=np.float64)})
        .pivot_table(index="unit", columns="competency", values="value", aggfunc="sum",
                     fill_value=0.0, observed=True)
    )  # fmt: skip
    rows = sorted(table.index, key=lambda u: (-table.loc[u].sum(), u))
    columns = sorted(table.columns, key=lambda c: (-table[c].sum(), c))
    table = table.loc[rows, columns].astype(np.float64)
    table.columns.name = "competency"
    table.index.name = "unit"
    return table


# ----------------------------------------------------------------------------- placement flows


def _employee_units(employees: object, caller: str) -> pd.Series:
    """employee_id -> unit (text) of an Employees table or a frame with those columns."""
    if isinstance(employees, Employees):
        frame = pd.DataFrame({"employee_id": employees.ids, "unit": units(employees)})
    elif isinstance(employees, pd.DataFrame) and {"employee_id", "unit"} <= set(employees.columns):
        frame = employees[["employee_id", "unit"]]
    else:
        raise InvalidParameterError(
            "employees",
            caller,
            "an Employees table or a DataFrame with 'employee_id' and 'unit' columns",
            type(employees),
        )
    return pd.Series(frame["unit"].to_numpy(), index=frame["employee_id"].astype(str).to_numpy())


def unit_flows(
    placement: Placement | CandidatePlacement, employees: Employees | pd.DataFrame | None = None
) -> pd.DataFrame:
    """How many employees go from each current unit to each new unit.

    Parameters
    ----------
    placement : Placement or CandidatePlacement
        The result of :func:`asn_match.assign`.
    employees : Employees or DataFrame, optional
        Where each employee works now: a table with ``employee_id`` and ``unit``. By default
        the scored employees' own ``unit`` column.

    Returns
    -------
    DataFrame
        Columns ``current_unit``, ``new_unit`` (the unit of the new position; None for an
        employee left unplaced; None also stands for an employee with no unit), ``people``
        (> 0) and ``stays`` (the unit does not change). One row per pair of units that
        someone takes, the largest flows first, then by unit names.

    Examples
    --------
    >>> import asn_match as am
    >>> placement = am.assign(am.score(*am.datasets.synthetic_workforce(40, 8, seed=1)))
    >>> flows = unit_flows(placement)
    >>> int(flows["people"].sum())
    40
    """
    if not isinstance(placement, (Placement, CandidatePlacement)):
        raise InvalidParameterError(
            "placement", "unit_flows", "a Placement (from asn_match.assign)", type(placement)
        )
    unit_of = _employee_units(
        placement.scores.employees if employees is None else employees, "unit_flows"
    )
    frame = placement.to_frame()
    frame = frame[frame["employee_id"].notna()]
    ids = frame["employee_id"].astype(str).to_numpy()
    missing = np.setdiff1d(ids, unit_of.index.to_numpy())
    if missing.size:
        raise InvalidParameterError(
            "employees",
            "unit_flows",
            "a table with a row for every placed employee",
            f"no row for {missing.size} of them, e.g. {missing[0]!r}",
        )
    current = unit_of.groupby(level=0).first().reindex(ids).to_numpy(dtype=object)
    placed = frame["status"].to_numpy() == "placed"
    new = np.asarray(np.where(placed, frame["unit"].to_numpy(), None), dtype=object)
    flows = pd.DataFrame({"current_unit": _unit_text(current), "new_unit": _unit_text(new)})
    table = (
        flows.groupby(["current_unit", "new_unit"], dropna=False, sort=False)
        .size()
        .rename("people")
        .reset_index()
    )
    table = table.sort_values(
        ["people", "current_unit", "new_unit"],
        ascending=[False, True, True],
        na_position="last",
        kind="stable",
        key=lambda column: column if column.name == "people" else column.fillna("\uffff"),
    ).reset_index(drop=True)
    table["stays"] = table["current_unit"].notna() & (table["current_unit"] == table["new_unit"])
    table = table.astype({"current_unit": object, "new_unit": object})
    table[["current_unit", "new_unit"]] = table[["current_unit", "new_unit"]].where(
        table[["current_unit", "new_unit"]].notna(), None
    )
    return table


def _unit_text(values: np.ndarray) -> pd.Series:
    """Units as text, missing ones (None, NaN, empty) as NA."""
    series = pd.Series(values, dtype=object)
    text = series.where(series.notna(), None).map(lambda v: None if v is None else str(v))
    return text.where(text.str.strip().astype(bool).fillna(False), None)


def _bezier_band(ax: Any, x0: float, x1: float, top0: float, top1: float, height: float,
                 colour: str) -> None:  # fmt: skip
    """A band from [top0 - height, top0] at x0 to [top1 - height, top1] at x1, S-shaped."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    middle = (x0 + x1) / 2
    vertices = [
        (x0, top0), (middle, top0), (middle, top1), (x1, top1),
        (x1, top1 - height), (middle, top1 - height), (middle, top0 - height), (x0, top0 - height),
        (x0, top0),
    ]  # fmt: skip
    codes = [Path.MOVETO] + [Path.CURVE4] * 3 + [Path.LINETO] + [Path.CURVE4] * 3
    codes += [Path.CLOSEPOLY]
    ax.add_patch(PathPatch(Path(vertices, codes), facecolor=colour, edgecolor="none", alpha=0.55))


def placement_flows(
    placement: Placement | CandidatePlacement,
    employees: Employees | pd.DataFrame | None = None,
    *,
    lang: Literal["id", "en"] = "id",
) -> Figure:
    """Flows of people from their current unit (left) to the unit of their new position (right).

    Parameters
    ----------
    placement : Placement or CandidatePlacement
        The result of :func:`asn_match.assign`.
    employees : Employees or DataFrame, optional
        Where each employee works now (``employee_id``, ``unit``); by default the scored
        employees' ``unit`` column. See :func:`unit_flows`, the table this draws.
    lang : {"id", "en"}, default="id"
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: a bar per unit on each side, as tall as its people, and one band per row of
        :func:`unit_flows` (grey: stays in the unit, orange: changes unit, red: not placed).

    Examples
    --------
    >>> import asn_match as am
    >>> placement = am.assign(am.score(*am.datasets.synthetic_workforce(40, 8, seed=1)))
    >>> fig = placement_flows(placement, lang="en")
    >>> len(fig.axes[0].patches) >= len(unit_flows(placement))
    True
    """
    tr = translator(lang, "placement_flows")
    flows = unit_flows(placement, employees)
    none_left, none_right = tr("no_unit"), tr("not_placed")
    left_units = flows["current_unit"].fillna(none_left)
    right_units = flows["new_unit"].fillna(none_right)
    # Units in one order on both sides (largest first), so that stays run nearly level.
    sizes = pd.concat(
        [flows.groupby(left_units, sort=False)["people"].sum(),
         flows.groupby(right_units, sort=False)["people"].sum()]
    ).groupby(level=0, sort=False).max()  # fmt: skip
    order = sorted(sizes.index, key=lambda u: (u in (none_left, none_right), -sizes[u], u))
    total = int(flows["people"].sum())
    gap = max(total * 0.012, 0.3)
    fig = _new_figure(9.0, max(3.0, 0.22 * len(order) + 1.2))
    ax = fig.add_subplot()
    x_left, x_right, bar = 0.0, 1.0, 0.025

    def tops(side: pd.Series) -> dict[str, float]:
        counts = flows.groupby(side, sort=False)["people"].sum()
        positions, y = {}, float(total + gap * len(order))
        for unit in order:
            if unit in counts.index:
                positions[unit] = y
                y -= counts[unit] + gap
        return positions

    left_top, right_top = tops(left_units), tops(right_units)
    left_next, right_next = dict(left_top), dict(right_top)
    # Bands in the order of their right end, top to bottom, so that bands cross as little as
    # a two-column layout allows.
    band_order = sorted(
        range(len(flows)),
        key=lambda r: (order.index(left_units[r]), order.index(right_units[r])),
    )
    people_of = flows["people"].to_numpy(dtype=np.float64)
    for row in band_order:
        people = float(people_of[row])
        if flows.at[row, "new_unit"] is None:
            colour = _UNPLACED_COLOUR
        else:
            colour = _STAY_COLOUR if flows.at[row, "stays"] else _MOVE_COLOUR
        left, right = left_units[row], right_units[row]
        _bezier_band(ax, x_left + bar, x_right - bar, left_next[left], right_next[right],
                     people, colour)  # fmt: skip
        left_next[left] -= people
        right_next[right] -= people
    for positions, x, side, align, offset in (
        (left_top, x_left, left_units, "right", -0.01),
        (right_top, x_right - bar, right_units, "left", bar + 0.01),
    ):
        counts = flows.groupby(side, sort=False)["people"].sum()
        for unit, top in positions.items():
            ax.bar(x, -counts[unit], width=bar, bottom=top, align="edge", color="#37474f")
            ax.text(x + offset, top - counts[unit] / 2, f"{_short(unit)} ({int(counts[unit])})",
                    ha=align, va="center", fontsize=7)  # fmt: skip
    ax.set_xlim(-0.75, 1.75)
    ax.set_ylim(0, total + gap * (len(order) + 1))
    ax.axis("off")
    ax.set_title(tr("chart_flows"))
    ax.text(x_left, total + gap * len(order) + gap / 2, tr("current_unit"), ha="center",
            fontsize=8, weight="bold")  # fmt: skip
    ax.text(x_right, total + gap * len(order) + gap / 2, tr("new_unit"), ha="center",
            fontsize=8, weight="bold")  # fmt: skip
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=_STAY_COLOUR, label=tr("stays_in_unit")),
            Patch(color=_MOVE_COLOUR, label=tr("changes_unit")),
            Patch(color=_UNPLACED_COLOUR, label=tr("not_placed")),
        ],
        loc="lower center",
        ncols=3,
        frameon=False,
        fontsize="small",
        bbox_to_anchor=(0.5, -0.06),
    )
    return fig
