"""The 9-box talent grid: performance and potential to boxes 1-9 (PermenPANRB 3/2020).

Each employee gets a performance band (below / meets / above expectation) and a potential band
(low / medium / high) by the cut-offs of a :class:`NineBoxPolicy`, and the two bands give the
box. The regulation names the axes but not the numeric cut-offs, and agencies number the boxes
differently, so both are policy (docs/DOMAIN.md). The defaults are DOMAIN.md's table:

=====  ===========  =========  ==================================================================
box    performance  potential  typical action
=====  ===========  =========  ==================================================================
1      below        low        handle under the discipline/performance rules
2      meets        low        coaching, competency development, suitable placement
3      below        medium     coaching, counselling, development, placement
4      above        low        rotation, development
5      meets        medium     placement, coaching, development
6      below        high       placement, coaching, counselling
7      above        medium     retain, agency succession group, rotation/enrichment, development
8      meets        high       retain, agency succession group, rotation/enlargement, coaching
9      above        high       promote and retain, agency/national succession group, award
=====  ===========  =========  ==================================================================

SKP predicates
--------------
A performance column may hold SKP predicates (PermenPANRB 6/2022: "sangat baik", "baik",
"butuh perbaikan", "kurang", "sangat kurang"). Reading employees maps each predicate to a
number (:data:`asn_match.ordinals.PERFORMANCE_PREDICATES`: 95, 83, 68, 55, 30), so a validated
table holds numbers only and a predicate is banded by the cut-offs like any number: "baik" (83)
is above expectation under 60/80 and meets it under 70/90. An agency that bands predicates by
their meaning sets ``predicate_bands`` (for example "baik" -> "meets"); it applies wherever the
predicate itself is still in the data: the raw table given as a DataFrame or a path, and the
performance history of :func:`~asn_match.talent.succession_pools`.
"""

from __future__ import annotations

import os
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import io
from ..errors import InvalidParameterError
from ..kernels.jpm import categorize
from ..ordinals import PERFORMANCE_PREDICATES
from ..pairs import id_index
from ..tables import Employees
from ..validation._cells import _ids
from ..validation._table import _split_columns
from ._common import EmployeesLike, as_employees, check_policy, units

__all__ = [
    "PERFORMANCE_BANDS",
    "POTENTIAL_BANDS",
    "NineBoxPolicy",
    "nine_box",
    "nine_box_counts",
]

PerformanceBand = Literal["below", "meets", "above"]

#: Performance bands, lowest first: band codes 0, 1, 2 index this tuple.
PERFORMANCE_BANDS: tuple[str, str, str] = ("below", "meets", "above")
#: Potential bands, lowest first: band codes 0, 1, 2 index this tuple.
POTENTIAL_BANDS: tuple[str, str, str] = ("low", "medium", "high")

# The words of the axes as the regulation writes them, for the default box labels.
_PERFORMANCE_WORDS = ("di bawah ekspektasi", "sesuai ekspektasi", "di atas ekspektasi")
_POTENTIAL_WORDS = ("rendah", "menengah", "tinggi")

#: Box numbers of DOMAIN.md: ``grid[potential band][performance band]``.
DEFAULT_GRID: tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]] = (
    (1, 2, 4),
    (3, 5, 7),
    (6, 8, 9),
)

# Typical action of each cell (DOMAIN.md), keyed by (performance band, potential band): an action
# belongs to the cell, so a renumbered grid keeps it.
_CELL_ACTIONS: dict[tuple[int, int], str] = {
    (0, 0): "handle under the discipline/performance rules",
    (1, 0): "coaching, competency development, suitable placement",
    (0, 1): "coaching, counselling, development, placement",
    (2, 0): "rotation, development",
    (1, 1): "placement, coaching, development",
    (0, 2): "placement, coaching, counselling",
    (2, 1): "retain, agency succession group, rotation/enrichment, development",
    (1, 2): "retain, agency succession group, rotation/enlargement, coaching",
    (2, 2): "promote and retain, agency/national succession group, award",
}


def _predicate_key(text: str) -> str:
    return " ".join(str(text).lower().split())


class NineBoxPolicy(BaseModel):
    """Cut-offs, box numbering, labels and actions of the 9-box.

    Parameters
    ----------
    performance_cuts : (float, float), default=(60, 80)
        Lower bounds on 0-100 of "meets" and "above" expectation: performance below the first is
        below expectation, at least the second above. 70/90 is the other common choice.
    potential_cuts : (float, float), default=(60, 80)
        Lower bounds on 0-100 of the medium and high potential bands.
    grid : 3 x 3 ints, default=((1, 2, 4), (3, 5, 7), (6, 8, 9))
        Box numbers: ``grid[potential band][performance band]``, bands lowest first; each of
        1-9 once. The default is DOMAIN.md's numbering.
    labels : dict of int to str, optional
        Label of each box; default "Kinerja <band>, potensial <band>" in the regulation's words.
    actions : dict of int to str, optional
        Recommended action of each box; default DOMAIN.md's typical action of the box's cell.
    predicate_bands : dict of str to {"below", "meets", "above"}, optional
        Performance band of each SKP predicate, where the data still holds predicates (module
        docstring). Default None: the band of the predicate's score
        (:data:`~asn_match.ordinals.PERFORMANCE_PREDICATES`) under ``performance_cuts``, the band
        the same predicate gets once read as a number.

    Examples
    --------
    >>> policy = NineBoxPolicy(performance_cuts=(70, 90))
    >>> policy.box(2, 2), policy.label(9)
    (9, 'Kinerja di atas ekspektasi, potensial tinggi')
    >>> NineBoxPolicy.model_validate_json(policy.model_dump_json()) == policy
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    performance_cuts: tuple[float, float] = Field(default=(60.0, 80.0))
    potential_cuts: tuple[float, float] = Field(default=(60.0, 80.0))
    grid: tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]] = DEFAULT_GRID
    labels: dict[int, str] | None = None
    actions: dict[int, str] | None = None
    predicate_bands: dict[str, PerformanceBand] | None = None

    @field_validator("performance_cuts", "potential_cuts")
    @classmethod
    def _check_cuts(cls, cuts: tuple[float, float], info) -> tuple[float, float]:
        low, high = cuts
        if not (np.isfinite(low) and np.isfinite(high) and 0 <= low < high <= 100):
            raise ValueError(
                f"The {info.field_name!r} parameter of NineBoxPolicy must be two increasing "
                f"numbers in [0, 100] (lower bounds of the middle and top bands). Got {cuts!r} "
                "instead."
            )
        return (float(low), float(high))

    @field_validator("grid")
    @classmethod
    def _check_grid(cls, grid):
        numbers = sorted(b for row in grid for b in row)
        if numbers != list(range(1, 10)):
            raise ValueError(
                "The 'grid' parameter of NineBoxPolicy must hold each box number 1-9 once. Got "
                f"{grid!r} instead."
            )
        return grid

    @field_validator("predicate_bands")
    @classmethod
    def _check_predicates(cls, bands: dict[str, str] | None) -> dict[str, str] | None:
        if bands is None:
            return None
        keys = {_predicate_key(k): v for k, v in bands.items()}
        unknown = sorted(set(keys) - set(PERFORMANCE_PREDICATES))
        if unknown:
            raise ValueError(
                "The 'predicate_bands' parameter of NineBoxPolicy must map SKP predicates "
                f"({', '.join(PERFORMANCE_PREDICATES)}). Got {unknown!r} instead."
            )
        return keys

    @model_validator(mode="after")
    def _check_boxes(self) -> NineBoxPolicy:
        for name in ("labels", "actions"):
            table = getattr(self, name)
            if table is not None and sorted(table) != list(range(1, 10)):
                raise ValueError(
                    f"The {name!r} parameter of NineBoxPolicy must give every box 1-9. Got "
                    f"boxes {sorted(table)!r} instead."
                )
        return self

    def box(self, performance_band: int, potential_band: int) -> int:
        """The box number of a cell (band codes 0-2, lowest first)."""
        return self.grid[potential_band][performance_band]

    def _cell(self, box: int) -> tuple[int, int]:
        for potential, row in enumerate(self.grid):
            if box in row:
                return row.index(box), potential
        raise ValueError(f"no box {box!r}; boxes are 1-9")

    def label(self, box: int) -> str:
        """The label of a box."""
        if self.labels is not None:
            return self.labels[box]
        performance, potential = self._cell(box)
        return f"Kinerja {_PERFORMANCE_WORDS[performance]}, potensial {_POTENTIAL_WORDS[potential]}"

    def action(self, box: int) -> str:
        """The recommended action of a box."""
        if self.actions is not None:
            return self.actions[box]
        return _CELL_ACTIONS[self._cell(box)]

    def performance_band(self, performance) -> np.ndarray:
        """Band codes (0 below, 1 meets, 2 above) of 0-100 scores; -1 where NaN."""
        return _bands(performance, self.performance_cuts)

    def potential_band(self, potential) -> np.ndarray:
        """Band codes (0 low, 1 medium, 2 high) of 0-100 scores; -1 where NaN."""
        return _bands(potential, self.potential_cuts)

    def predicate_band(self, predicate: str) -> int:
        """The performance band code of an SKP predicate (see ``predicate_bands``)."""
        key = _predicate_key(predicate)
        if self.predicate_bands is not None and key in self.predicate_bands:
            return PERFORMANCE_BANDS.index(self.predicate_bands[key])
        return int(self.performance_band([PERFORMANCE_PREDICATES[key]])[0])


def _bands(values, cuts: tuple[float, float]) -> np.ndarray:
    """Band codes, lowest band 0, by ``categorize`` (a score on a cut-off reaches it)."""
    array = np.asarray(values, dtype=np.float64)
    missing = np.isnan(array)
    codes = 2 - categorize(np.where(missing, 0.0, array), (cuts[1], cuts[0])).astype(np.int64)
    return np.where(missing, -1, codes)


def _raw_predicates(source: object, ids: np.ndarray) -> np.ndarray | None:
    """The SKP predicate of each employee in a raw table (None where a number or blank).

    Rows are matched by employee id, so blank rows and the order of the file do not matter.
    None when ``source`` is not raw input (a validated table keeps numbers only) or holds no
    ``performance`` and ``employee_id`` columns under those names.
    """
    if not isinstance(source, (pd.DataFrame, str, os.PathLike)):
        return None
    table = _split_columns(io.read_table(source), "employees", caller="nine_box")
    column, id_column = table.columns.get("performance"), table.columns.get("employee_id")
    if column is None or id_column is None:
        return None
    raw_ids, _ = _ids(id_column)
    cells = pd.Series(column, dtype=object).reset_index(drop=True)
    is_text = cells.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    keys = cells.astype(str).str.lower().str.split().str.join(" ").to_numpy(dtype=object)
    named = is_text & np.isin(keys, list(PERFORMANCE_PREDICATES)) & pd.notna(raw_ids)
    where = id_index(raw_ids[named]).get_indexer(pd.Index(ids))
    predicates = np.full(len(ids), None, dtype=object)
    found = where >= 0
    predicates[found] = keys[named][where[found]]
    return predicates


def nine_box(
    employees: EmployeesLike, *, policy: NineBoxPolicy | dict | None = None
) -> pd.DataFrame:
    """The 9-box of every employee: performance and potential bands, box, label and action.

    Parameters
    ----------
    employees : Employees, DataFrame or path
        Validated employees, or input read with :func:`asn_match.read_employees`. Uses the
        ``performance`` and ``potential`` columns (0-100); SKP predicates of a raw table are
        banded by ``policy.predicate_bands`` when it is set (module docstring).
    policy : NineBoxPolicy or dict, optional
        Cut-offs, numbering, labels and actions; default ``NineBoxPolicy()`` (60/80).

    Returns
    -------
    DataFrame
        One row per employee in table order: ``employee_id``, ``unit``, ``performance``,
        ``potential``, ``performance_band`` ("below", "meets", "above"), ``potential_band``
        ("low", "medium", "high"), ``box`` (1-9, nullable Int64), ``label``, ``action`` and
        ``reason``. An employee without performance or potential stays in the table with the
        missing band, box, label and action empty and ``reason`` saying which value is missing;
        ``reason`` is empty for the others.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, _ = am.datasets.synthetic_workforce(30, 5, seed=2)
    >>> boxes = nine_box(employees)
    >>> boxes.columns[:7].tolist()
    ['employee_id', 'unit', 'performance', 'potential', 'performance_band', 'potential_band', 'box']
    >>> bool(boxes["box"].dropna().between(1, 9).all())
    True
    >>> strict = nine_box(employees, policy={"performance_cuts": (70, 90)})
    >>> above = lambda frame: int((frame["performance_band"] == "above").sum())
    >>> above(strict) <= above(boxes)  # higher cut-offs put nobody in a higher band
    True
    """
    caller = "nine_box"
    policy = check_policy(policy, NineBoxPolicy, caller)
    table = as_employees(employees, "employees", caller)
    performance = np.array(table.performance, dtype=np.float64)
    potential = np.array(table.potential, dtype=np.float64)
    perf_band = policy.performance_band(performance)
    if policy.predicate_bands is not None and not isinstance(employees, Employees):
        predicates = _raw_predicates(employees, np.asarray(table.ids, dtype=object))
        if predicates is not None:
            codes = {p: policy.predicate_band(p) for p in PERFORMANCE_PREDICATES}
            named = pd.notna(predicates)
            perf_band[named] = [codes[p] for p in predicates[named]]
    pot_band = policy.potential_band(potential)
    return _frame(table, policy, performance, potential, perf_band, pot_band)


def _frame(
    table: Employees,
    policy: NineBoxPolicy,
    performance: np.ndarray,
    potential: np.ndarray,
    perf_band: np.ndarray,
    pot_band: np.ndarray,
) -> pd.DataFrame:
    known = (perf_band >= 0) & (pot_band >= 0)
    grid = np.array(policy.grid, dtype=np.int64)
    box = np.where(known, grid[np.maximum(pot_band, 0), np.maximum(perf_band, 0)], 0)
    label_of = np.array([None] + [policy.label(b) for b in range(1, 10)], dtype=object)
    action_of = np.array([None] + [policy.action(b) for b in range(1, 10)], dtype=object)
    perf_words = np.array((*PERFORMANCE_BANDS, None), dtype=object)
    pot_words = np.array((*POTENTIAL_BANDS, None), dtype=object)
    reasons = np.array(
        ["", "no performance", "no potential", "no performance or potential"], dtype=object
    )
    reason = reasons[(perf_band < 0).astype(np.int64) + 2 * (pot_band < 0)]
    return pd.DataFrame(
        {
            "employee_id": np.asarray(table.ids, dtype=object),
            "unit": units(table),
            "performance": performance,
            "potential": potential,
            "performance_band": perf_words[perf_band],
            "potential_band": pot_words[pot_band],
            "box": pd.arrays.IntegerArray(box.astype(np.int64), ~known),
            "label": label_of[box],
            "action": action_of[box],
            "reason": reason,
        }
    )


def nine_box_counts(boxes: pd.DataFrame, by: str | None = "unit") -> pd.DataFrame:
    """How many employees are in each box, per group.

    Parameters
    ----------
    boxes : DataFrame
        The result of :func:`nine_box` (a ``box`` column and the ``by`` column).
    by : str or None, default="unit"
        The column to group by; None counts everyone in one row labelled "all".

    Returns
    -------
    DataFrame
        Index: the values of ``by`` (sorted; a missing value as its own row), columns: boxes 1
        to 9, int64 counts (0 where a box is empty). Employees without a box are not counted.

    Examples
    --------
    >>> import asn_match as am
    >>> employees, _ = am.datasets.synthetic_workforce(30, 5, seed=2)
    >>> boxes = nine_box(employees)
    >>> counts = nine_box_counts(boxes)
    >>> counts.columns.tolist()
    [1, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> int(counts.to_numpy().sum()) == int(boxes["box"].notna().sum())
    True
    """
    caller = "nine_box_counts"
    if not isinstance(boxes, pd.DataFrame) or "box" not in boxes.columns:
        raise InvalidParameterError(
            "boxes", caller, "the DataFrame of nine_box (with a 'box' column)", type(boxes).__name__
        )
    if by is not None and by not in boxes.columns:
        raise InvalidParameterError(
            "by", caller, f"None or a column of boxes ({', '.join(map(str, boxes.columns))})", by
        )
    keys = pd.Series(["all"] * len(boxes), index=boxes.index) if by is None else boxes[by]
    frame = pd.DataFrame({"group": keys.to_numpy(dtype=object), "box": boxes["box"].to_numpy()})
    groups = pd.Index(pd.unique(frame["group"]))
    try:
        groups = groups.sort_values(na_position="last")
    except TypeError:  # mixed types: keep the order of first appearance
        pass
    placed = frame[pd.notna(frame["box"])]
    counts = (
        placed.groupby(["group", "box"], dropna=False).size().unstack(fill_value=0)
        if len(placed)
        else pd.DataFrame(index=pd.Index([], name="group"))
    )
    counts.columns = [int(c) for c in counts.columns]
    counts = counts.reindex(index=groups, columns=range(1, 10), fill_value=0).astype(np.int64)
    counts.index.name = by if by is not None else None
    counts.columns.name = "box"
    return counts
