"""The fairness audit: selection rates by protected group, the four-fifths flag, Fisher's test.

Scoring and placement never see the protected attributes (gender, religion, birth date, ...:
:data:`asn_match.rules.PROTECTED_ATTRIBUTES`): they live in ``Employees.protected``, and this
module is the one place that reads them, after the fact, to ask whether the outcome still falls
unevenly on some group (adverse impact, DOMAIN.md "Fairness").

For every attribute of ``by`` and, with ``intersections``, every pair of them (gender & religion,
...), each group gets, per outcome:

- ``placed``: the employee holds a seat of the placement (base: every employee);
- ``promoted``: placed in a position of a higher class than the one held today, by
  :data:`asn_match.rules.CLASS_LEVELS` (base: employees whose current position is among the scored
  positions with a known class; the outcome is left out when there are none);
- ``succession``: on a succession list of :func:`asn_match.succession` (when one is given);

the number of people (``n``), how many were selected, the selection ``rate``, the ``ratio`` to the
most-selected group, the four-fifths flag (``ratio < 0.8``: the adverse-impact screen of
employment practice), the two-sided p-value of Fisher's exact test of the group against everyone
else, and the mean JPM and composite of the group's placed members. Groups of fewer than
``min_group_size`` people are labelled as such: a flag on three people says little, and Fisher's
p-value says how little.

The most-selected group is taken among the groups of at least ``min_group_size`` people (among all
groups when none is that large): one person placed out of one would otherwise set a rate of 100%
that every real group "fails".

Why pandas and scipy, not fairlearn: fairlearn's ``MetricFrame`` computes per-group metrics of a
classifier's predictions (``y_true``, ``y_pred``); a placement has no ground truth, the rates here
are one ``groupby`` sum, and the two things the audit needs beyond that (the four-fifths ratio
against the best sufficiently large group, Fisher's exact test of small groups) are not in
fairlearn. It would add a dependency (and its own pinning of pandas and scikit-learn) for a
``groupby``.

Examples
--------
>>> import asn_match as am
>>> scores = am.score(*am.datasets.synthetic_workforce(60, 20, seed=3))
>>> report = am.audit(am.assign(scores), by=["gender"], reference_date="2026-01-01")
>>> report.to_frame()[["attribute", "outcome"]].drop_duplicates().values.tolist()
[['gender', 'placed'], ['gender', 'promoted']]
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact

from ._checks import check_bool, check_int, check_real
from .errors import InputError, InvalidParameterError, Problem
from .io import read_employees, write_table
from .large import CandidatePlacement
from .pairs import id_index
from .placement import Placement
from .pseudonym import check_key, pseudonymize_frame
from .rules import CLASS_LEVELS, PROTECTED_ATTRIBUTES
from .tables import Employees
from .validation._cells import _dates, _gender_codes

__all__ = ["AGE_BAND", "DEFAULT_AGE_BANDS", "NOT_GIVEN", "OUTCOMES", "Audit", "audit"]

#: The derived attribute: an age band computed from ``birth_date`` (or ``age``).
AGE_BAND = "age_band"
#: Default lower bounds of the age bands after the first: under 30, 30-39, 40-49, 50 and over.
DEFAULT_AGE_BANDS: tuple[int, ...] = (30, 40, 50)
#: The group of employees whose attribute is empty.
NOT_GIVEN = "(not given)"
#: The outcomes an audit can measure, in the order they are reported.
OUTCOMES: tuple[str, ...] = ("placed", "promoted", "succession")
#: What the outcomes mean, said in the printed audit.
_OUTCOME_TEXT = {
    "placed": "placed in a seat (of all employees)",
    "promoted": "placed in a higher class than today (of employees whose current class is known)",
    "succession": "on a succession list (of all employees)",
}
#: Separator of an intersection's attributes and groups: "gender & religion", "L & Islam".
_AND = " & "
#: Gender spellings are one group per code (L, laki-laki, pria, male, 1 ...), labelled as the NIP's
#: digit is read in Indonesian.
_GENDER_LABELS = {1: "L", 2: "P"}
#: Columns of :meth:`Audit.to_frame`, in order.
COLUMNS: tuple[str, ...] = (
    "attribute",
    "group",
    "outcome",
    "n",
    "selected",
    "rate",
    "ratio",
    "reference",
    "four_fifths",
    "p_value",
    "mean_jpm",
    "mean_composite",
    "note",
)


@dataclass(frozen=True, eq=False)
class Audit:
    """The result of :func:`audit`: selection rates by protected group and their flags.

    Attributes
    ----------
    table : DataFrame
        One row per attribute (or pair of attributes), group and outcome; see :meth:`to_frame`.
    attributes : tuple of str
        The audited attributes (``by``), ``age_band`` included when derived.
    reference_date : datetime.date
        The date ages were computed at.
    threshold : float
        The four-fifths threshold (0.8): a ratio below it is flagged.
    min_group_size : int
        Groups smaller than this are labelled small and are not the reference group.
    alpha : float
        The significance level the notes compare Fisher's p-value with.
    employee_ids : ndarray of shape (n_employees,), dtype object
        The audited employees, in placement order (kept so an export can be pseudonymised).
    """

    table: pd.DataFrame
    attributes: tuple[str, ...]
    reference_date: dt.date
    threshold: float
    min_group_size: int
    alpha: float
    employee_ids: np.ndarray = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The audit as a table, one row per attribute, group and outcome.

        Returns
        -------
        DataFrame
            Columns: ``attribute`` (e.g. ``"gender"`` or ``"gender & religion"``), ``group``
            (e.g. ``"P"`` or ``"P & Islam"``; ``"(not given)"`` for an empty attribute),
            ``outcome`` (``"placed"``, ``"promoted"``, ``"succession"``), ``n`` (people of the
            group in the outcome's base), ``selected``, ``rate`` (selected / n), ``ratio`` (rate
            over the reference group's rate; NaN when that is 0), ``reference`` (the
            most-selected group of at least ``min_group_size`` people), ``four_fifths`` (True
            when ``ratio < threshold``), ``p_value`` (Fisher's exact test, two-sided, of the
            group against the rest of the base; NaN when there is no rest), ``mean_jpm`` and
            ``mean_composite`` (of the group's placed members; NaN if none) and ``note``
            (small group, significant or not).
        """
        return self.table.copy()

    def flagged(self) -> pd.DataFrame:
        """The rows of :meth:`to_frame` that fail the four-fifths rule."""
        table = self.table
        return table[table["four_fifths"]].reset_index(drop=True)

    def export(
        self,
        path: str | os.PathLike[str],
        *,
        escape_formulas: bool | None = None,
        pseudonymize: bytes | str | None = None,
    ) -> Path:
        """Write :meth:`to_frame` atomically (.csv, .xlsx, .json or .parquet).

        The audit holds group figures, never an employee id. ``pseudonymize`` (a secret key) still
        passes it through :func:`asn_match.pseudonym.pseudonymize_frame`, so a group label that
        happens to be an employee id (a mis-filled column) is not written either.
        """
        frame = self.to_frame()
        if pseudonymize is not None:
            key = check_key(pseudonymize, "pseudonymize", "Audit.export")
            frame = pseudonymize_frame(frame, self.employee_ids, key)
        return write_table(frame, path, escape_formulas=escape_formulas)

    def __repr__(self) -> str:
        n_flags = int(self.table["four_fifths"].sum())
        return (
            f"<Audit: {len(self.employee_ids)} employees by {', '.join(self.attributes)}; "
            f"{n_flags} four-fifths flag{'s' if n_flags != 1 else ''}>"
        )

    def __str__(self) -> str:
        ages = (
            f" (ages at {self.reference_date.isoformat()})" if AGE_BAND in self.attributes else ""
        )
        lines = [
            f"Fairness audit of {len(self.employee_ids)} employees by "
            f"{', '.join(self.attributes)}{ages}",
            f"flag: selection rate below {self.threshold:g} x the most-selected group of at "
            f"least {self.min_group_size} people; p: Fisher's exact test against the rest",
        ]
        for outcome in OUTCOMES:
            rows = self.table[self.table["outcome"] == outcome]
            if rows.empty:
                continue
            shown = {
                "attribute": rows["attribute"].tolist(),
                "group": rows["group"].tolist(),
                "n": rows["n"].astype(str).tolist(),
                "selected": rows["selected"].astype(str).tolist(),
                "rate": [_percent(v) for v in rows["rate"]],
                "ratio": [_fixed(v, 3) for v in rows["ratio"]],
                "flag": ["FLAG" if f else "" for f in rows["four_fifths"]],
                "p": [_fixed(v, 3) for v in rows["p_value"]],
                "mean_jpm": [_fixed(v, 1) for v in rows["mean_jpm"]],
                "note": rows["note"].tolist(),
            }
            lines += ["", f"{outcome}: {_OUTCOME_TEXT[outcome]}", *_text_table(shown)]
        return "\n".join(lines)


def _percent(value: float) -> str:
    return "-" if np.isnan(value) else f"{100 * value:.1f}%"


def _fixed(value: float, decimals: int) -> str:
    return "-" if np.isnan(value) else f"{value:.{decimals}f}"


#: Columns of the printed audit that hold words (left-aligned); the others hold figures.
_TEXT_COLUMNS = frozenset({"attribute", "group", "flag", "note"})


def _text_table(columns: dict[str, list[str]]) -> list[str]:
    """Lines of a plain-text table: words left-aligned, figures right-aligned."""
    widths = {name: max([len(name), *map(len, cells)]) for name, cells in columns.items()}

    def line(cells: dict[str, str]) -> str:
        return "  ".join(
            cells[name].ljust(width) if name in _TEXT_COLUMNS else cells[name].rjust(width)
            for name, width in widths.items()
        ).rstrip()

    n_rows = len(next(iter(columns.values())))
    header = line({name: name for name in columns})
    return [header] + [line({n: c[i] for n, c in columns.items()}) for i in range(n_rows)]


def _reference_date(value: object) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.timezone.utc).date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidParameterError(
        "reference_date", "audit", "None, a datetime.date or an ISO date 'YYYY-MM-DD'", value
    )


def _age_bands(value: object) -> tuple[int, ...]:
    constraint = "a non-empty sequence of increasing ages (ints from 1 to 150)"
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        raise InvalidParameterError("age_bands", "audit", constraint, value)
    bounds = tuple(check_int(v, "age_bands", "audit", minimum=1, maximum=150) for v in value)
    if any(b >= c for b, c in itertools.pairwise(bounds)):
        raise InvalidParameterError("age_bands", "audit", constraint, value)
    return bounds


def _band_labels(bounds: tuple[int, ...]) -> list[str]:
    """``(30, 40, 50)`` -> ``["under 30", "30-39", "40-49", "50 and over"]``."""
    labels = [f"under {bounds[0]}"]
    labels += [f"{low}-{high - 1}" for low, high in itertools.pairwise(bounds)]
    return [*labels, f"{bounds[-1]} and over"]


def _ages(protected: pd.DataFrame, when: dt.date, source: str, ids: np.ndarray) -> np.ndarray:
    """Whole years of age at ``when`` (NaN where not given); bad dates are problems."""
    if "birth_date" not in protected.columns:
        years = pd.to_numeric(protected["age"], errors="coerce").to_numpy(dtype=np.float64)
        bad = protected["age"].notna().to_numpy() & ~(np.isfinite(years) & (years >= 0))
        column, expected = "age", "a whole number of years >= 0, or empty"
    else:
        raw = protected["birth_date"]
        born = pd.DatetimeIndex(_dates(raw))
        today = pd.Timestamp(when)
        before_birthday = (born.month * 100 + born.day) > (today.month * 100 + today.day)
        years = np.asarray(today.year - born.year - before_birthday, dtype=np.float64)
        years[born.isna()] = np.nan
        bad = (raw.notna().to_numpy() & born.isna()) | (years < 0)
        column, expected = "birth_date", f"a date on or before {when.isoformat()}, or empty"
    if bad.any():
        values = protected[column].to_numpy(dtype=object)
        raise InputError(
            Problem(
                source,
                f"{column} {values[i]!r} is not a usable {column} for the fairness audit; correct "
                "it or leave it empty (counted as not given).",
                row=int(i) + 2,
                column=column,
                value=values[i],
                expected=expected,
                code="invalid_" + column,
                record_id=str(ids[i]),
            )
            for i in np.flatnonzero(bad)
        )
    return years


def _labels(values: pd.Series, attribute: str) -> np.ndarray:
    """Group labels of one protected column: text as given, empty as ``(not given)``."""
    text = values.astype(object).where(values.notna(), None)
    labels = np.array([NOT_GIVEN if v is None else str(v).strip() for v in text], dtype=object)
    labels[labels == ""] = NOT_GIVEN
    if attribute == "gender":
        given = labels.copy()
        given[given == NOT_GIVEN] = None
        codes = _gender_codes(given)
        for code, label in _GENDER_LABELS.items():
            labels[codes == code] = label
    return labels


def _employees(placement, employees) -> Employees:
    if employees is None:
        return placement.scores.employees
    if isinstance(employees, Employees):
        return employees
    return read_employees(employees)


def _aligned(placed_ids: np.ndarray, table: Employees) -> np.ndarray:
    """Row of each placement employee in ``table``; missing ones are one problem each."""
    rows = id_index(table.ids).get_indexer(pd.Index(placed_ids.astype(str)))
    missing = np.flatnonzero(rows < 0)
    if missing.size:
        raise InputError(
            Problem(
                table.source,
                "this employee of the placement is not in the employees given to the audit; "
                "audit with the employees the placement was scored on.",
                column="employee_id",
                code="unknown_employee",
                record_id=str(placed_ids[i]),
            )
            for i in missing
        )
    return rows


def _succession_members(succession: object, ids: np.ndarray) -> np.ndarray:
    if not isinstance(succession, pd.DataFrame) or "employee_id" not in succession.columns:
        raise InvalidParameterError(
            "succession",
            "audit",
            "None or a DataFrame with an 'employee_id' column (the result of asn_match.succession)",
            type(succession).__name__,
        )
    listed = np.asarray(pd.unique(succession["employee_id"].dropna().astype(str)), dtype=object)
    unknown = np.setdiff1d(listed, ids.astype(str))
    if unknown.size:
        raise InputError(
            Problem(
                "succession",
                "this employee is on a succession list but not in the placement; build the "
                "succession list from the same scores as the placement.",
                column="employee_id",
                code="unknown_employee",
                record_id=str(i),
            )
            for i in unknown
        )
    return np.isin(ids.astype(str), listed)


def _fisher(selected: int, n: int, selected_total: int, n_total: int) -> float:
    rest = n_total - n
    if n == 0 or rest == 0:
        return float("nan")
    table = [
        [selected, n - selected],
        [selected_total - selected, rest - (selected_total - selected)],
    ]
    return float(fisher_exact(table, alternative="two-sided").pvalue)


def _note(n: int, flag: bool, p_value: float, min_group_size: int, alpha: float) -> str:
    if n < min_group_size:
        return f"small group (n < {min_group_size}): the figures rest on few people"
    if flag and not np.isnan(p_value):
        if p_value < alpha:
            return f"significant (p < {alpha:g})"
        return f"not significant (p >= {alpha:g}): may be chance"
    return ""


def _group_means(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of the non-NaN ``values`` of each group code (NaN for a group with none)."""
    has = ~np.isnan(values)
    total = np.bincount(codes[has], weights=values[has], minlength=n_groups)
    count = np.bincount(codes[has], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _outcome_rows(
    group_code: np.ndarray,
    group_names: np.ndarray,
    attribute: str,
    outcome: str,
    selected: np.ndarray,
    base: np.ndarray,
    people: pd.DataFrame,
    *,
    threshold: float,
    min_group_size: int,
    alpha: float,
) -> list[dict[str, Any]]:
    """The rows of one attribute (or pair) and one outcome, groups in report order.

    Counted with bincount over factorized labels: a pandas named aggregation costs a hundred
    times more at this size, and the audit runs one per attribute, pair and outcome.
    """
    if not base.any():
        return []
    # Only the groups with members, in the order of their codes (the report order).
    codes, present = pd.factorize(group_code[base], sort=True)
    groups = group_names[present]
    k = len(groups)
    n = np.bincount(codes, minlength=k)
    chosen = np.bincount(codes, weights=selected[base].astype(np.float64), minlength=k)
    chosen = chosen.astype(np.int64)
    rate = chosen / n
    mean_jpm = _group_means(codes, people["jpm"].to_numpy()[base], k)
    mean_composite = _group_means(codes, people["composite"].to_numpy()[base], k)
    pool = np.flatnonzero(n >= min_group_size)
    if pool.size == 0:
        pool = np.arange(k)
    # The reference: the highest rate; ties go to the larger group, then to the first in order.
    ref = int(pool[np.lexsort((pool, -n[pool], -rate[pool]))[0]])
    best = float(rate[ref])
    n_total, selected_total = int(n.sum()), int(chosen.sum())
    rows = []
    for g in range(k):
        ratio = float(rate[g]) / best if best > 0 else float("nan")
        flag = bool(ratio < threshold) if not np.isnan(ratio) else False
        p_value = _fisher(int(chosen[g]), int(n[g]), selected_total, n_total)
        rows.append(
            {
                "attribute": attribute,
                "group": groups[g],
                "outcome": outcome,
                "n": int(n[g]),
                "selected": int(chosen[g]),
                "rate": float(rate[g]),
                "ratio": ratio,
                "reference": groups[ref],
                "four_fifths": flag,
                "p_value": p_value,
                "mean_jpm": float(mean_jpm[g]),
                "mean_composite": float(mean_composite[g]),
                "note": _note(int(n[g]), flag, p_value, min_group_size, alpha),
            }
        )
    return rows


def audit(
    placement: Placement | CandidatePlacement,
    employees: Employees | Any = None,
    by: Sequence[str] | None = None,
    *,
    intersections: bool = True,
    succession: pd.DataFrame | None = None,
    age_bands: Sequence[int] = DEFAULT_AGE_BANDS,
    reference_date: dt.date | str | None = None,
    class_levels: Mapping[str, float] | None = None,
    min_group_size: int = 10,
    threshold: float = 0.8,
    alpha: float = 0.05,
) -> Audit:
    """Audit a placement for adverse impact on protected groups.

    See the module docstring for the outcomes, the reference group and the notes. The protected
    attributes are read here only; the placement never saw them.

    Parameters
    ----------
    placement : Placement or CandidatePlacement
        The result of :func:`asn_match.assign`.
    employees : Employees, optional
        The employees with their protected attributes (``Employees.protected``); by default the
        employees the placement was scored on. Anything :func:`asn_match.read_employees` reads
        (a path, a DataFrame) is read first. Every employee of the placement must be in it.
    by : sequence of str, optional
        Attributes to audit: names of :data:`~asn_match.rules.PROTECTED_ATTRIBUTES` and
        ``"age_band"`` (derived from ``birth_date``, else from ``age``). By default every
        protected attribute the employees have, with ``birth_date`` and ``age`` as ``age_band``.
    intersections : bool, default=True
        Also audit every pair of the attributes (e.g. gender & religion).
    succession : DataFrame, optional
        The result of :func:`asn_match.succession` on the same scores: adds the outcome "on a
        succession list".
    age_bands : sequence of int, default=(30, 40, 50)
        Lower bounds of the age bands after the first, increasing: under 30, 30-39, 40-49, 50
        and over.
    reference_date : datetime.date or str, optional
        The date ages are computed at (an ISO date such as ``"2026-01-01"``); by default today
        (UTC). Give it for a reproducible audit.
    class_levels : mapping of str to float, optional
        Seniority of each position class for the "promoted" outcome; default
        :data:`asn_match.rules.CLASS_LEVELS`. Classes not in it count as unknown.
    min_group_size : int, default=10
        Groups smaller than this are noted as small and cannot be the reference group.
    threshold : float, default=0.8
        The four-fifths rule: a ratio below it is flagged.
    alpha : float, default=0.05
        Significance level of the notes on flagged groups.

    Returns
    -------
    Audit
        Its ``str`` is a readable table per outcome; ``to_frame()`` the same figures as data.

    Raises
    ------
    InvalidParameterError
        An option is invalid, e.g. an attribute of ``by`` that is not protected, or
        ``birth_date`` itself (use ``"age_band"``).
    InputError
        The employees lack an attribute of ``by``, miss an employee of the placement, or hold a
        birth date that is not a date (every problem at once, with row and id).

    Examples
    --------
    >>> import asn_match as am
    >>> employees_df, positions_df = am.datasets.tegal_administrators()
    >>> scores = am.score(employees_df, positions_df)
    >>> result = am.audit(am.assign(scores), reference_date="2026-01-01")
    >>> result.attributes
    ('gender', 'religion', 'age_band')
    >>> table = result.to_frame()
    >>> placed = table.query("attribute == 'gender' and outcome == 'placed'")
    >>> bool(placed["n"].sum() == len(scores.employees))
    True
    """
    if not isinstance(placement, (Placement, CandidatePlacement)):
        raise InvalidParameterError(
            "placement", "audit", "a Placement (the result of asn_match.assign)", placement
        )
    intersections = check_bool(intersections, "intersections", "audit")
    bounds = _age_bands(age_bands)
    when = _reference_date(reference_date)
    min_group_size = check_int(min_group_size, "min_group_size", "audit", minimum=1)
    threshold = check_real(threshold, "threshold", "audit", minimum=0.0, maximum=1.0)
    alpha = check_real(alpha, "alpha", "audit", minimum=0.0, maximum=1.0)
    levels = dict(CLASS_LEVELS if class_levels is None else class_levels)
    if not all(isinstance(k, str) and np.isfinite(v) for k, v in levels.items()):
        raise InvalidParameterError(
            "class_levels", "audit", "a mapping of class names to finite numbers", class_levels
        )

    table = _employees(placement, employees)
    protected = table.protected
    present = [c for c in PROTECTED_ATTRIBUTES if c in protected.columns]
    # birth_date and age are audited as bands: every person would be a group of their own.
    choices = (*(c for c in PROTECTED_ATTRIBUTES if c not in ("birth_date", "age")), AGE_BAND)
    if by is None:
        attributes = [AGE_BAND if c in ("birth_date", "age") else c for c in present]
        attributes = list(dict.fromkeys(attributes))
    else:
        if isinstance(by, str):
            by = [by]
        attributes = []
        for name in by:
            if name in ("birth_date", "age"):
                raise InvalidParameterError(
                    "by",
                    "audit",
                    f"names among {choices}",
                    name,
                    fix=f"Audit {name!r} as 'age_band' (bands set by age_bands).",
                )
            if name not in choices:
                raise InvalidParameterError("by", "audit", f"names among {choices}", name)
            if name not in attributes:
                attributes.append(name)
        missing = [
            a
            for a in attributes
            if (a == AGE_BAND and not {"birth_date", "age"} & set(protected.columns))
            or (a != AGE_BAND and a not in protected.columns)
        ]
        if missing:
            raise InputError(
                Problem(
                    table.source,
                    f"the employees have no {'birth_date or age' if a == AGE_BAND else a!r} "
                    f"column, so {a!r} cannot be audited; add the column or leave {a!r} out of by "
                    f"(the employees have: {', '.join(present) or 'no protected attribute'}).",
                    column="birth_date" if a == AGE_BAND else a,
                    code="missing_column",
                )
                for a in missing
            )
    if not attributes:
        raise InputError(
            [
                Problem(
                    table.source,
                    "the employees have no protected attribute to audit; add a column such as "
                    f"gender, religion or birth_date ({', '.join(PROTECTED_ATTRIBUTES)}).",
                    code="missing_column",
                )
            ]
        )

    ids = np.asarray(placement.scores.employees.ids, dtype=object)
    rows = _aligned(ids, table)
    own = protected.iloc[rows].reset_index(drop=True)
    # Each attribute as (group code of every employee, labels in report order): age bands
    # youngest first, other groups alphabetical, "(not given)" last.
    groups: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in attributes:
        if name == AGE_BAND:
            years = _ages(own, when, table.source, ids)
            band = np.searchsorted(np.asarray(bounds), years, side="right")
            band[np.isnan(years)] = len(bounds) + 1
            order = np.array([*_band_labels(bounds), NOT_GIVEN], dtype=object)
            groups[name] = (band.astype(np.intp), order)
        else:
            labels = _labels(own[name], name)
            given = sorted(set(labels.tolist()) - {NOT_GIVEN})
            order = np.array([*given, NOT_GIVEN], dtype=object)
            code = pd.Index(order).get_indexer(labels)
            groups[name] = (code.astype(np.intp), order)

    positions = placement.scores.positions
    pos = np.asarray(placement.employee_position)
    placed = pos >= 0
    frame = placement.to_frame()
    people = frame[frame["status"].astype(str) != "unfilled"]
    people = people.set_index(people["employee_id"].astype(str)).reindex(ids.astype(str))
    people = pd.DataFrame(
        {
            "jpm": people["jpm"].to_numpy(dtype=np.float64),
            "composite": people["composite"].to_numpy(dtype=np.float64),
        }
    )
    people.loc[~placed, ["jpm", "composite"]] = np.nan

    class_level = np.array(
        [levels.get(c, np.nan) if c is not None else np.nan for c in positions.position_class],
        dtype=np.float64,
    )
    class_level = np.r_[class_level, np.nan]  # index -1: no position
    incumbent = np.asarray(placement.incumbent)
    current = class_level[np.where(incumbent >= 0, incumbent, -1)]
    new = class_level[np.where(placed, pos, -1)]
    outcomes: dict[str, tuple[np.ndarray, np.ndarray]] = {
        "placed": (placed, np.ones(ids.size, dtype=bool)),
    }
    known = ~np.isnan(current)
    if known.any():
        outcomes["promoted"] = (placed & known & (new > current), known)
    if succession is not None:
        outcomes["succession"] = (
            _succession_members(succession, ids),
            np.ones(ids.size, dtype=bool),
        )

    sets: list[tuple[str, ...]] = [(a,) for a in attributes]
    if intersections:
        sets += list(itertools.combinations(attributes, 2))
    records: list[dict[str, Any]] = []
    for combo in sets:
        code, names = groups[combo[0]]
        for other in combo[1:]:
            other_code, other_names = groups[other]
            code = code * len(other_names) + other_code
            names = np.array([f"{a}{_AND}{b}" for a in names for b in other_names], dtype=object)
        for outcome, (selected, base) in outcomes.items():
            records += _outcome_rows(
                code,
                names,
                _AND.join(combo),
                outcome,
                selected,
                base,
                people,
                threshold=threshold,
                min_group_size=min_group_size,
                alpha=alpha,
            )
    result = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    result = result.astype({"n": np.int64, "selected": np.int64, "four_fifths": bool})
    ids.setflags(write=False)
    return Audit(
        table=result,
        attributes=tuple(attributes),
        reference_date=when,
        threshold=threshold,
        min_group_size=min_group_size,
        alpha=alpha,
        employee_ids=ids,
    )
