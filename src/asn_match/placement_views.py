"""What a placement says: its decision table, reasons in words, alternatives and a comparison.

The presentation of :class:`~asn_match.placement.Placement`: :func:`to_frame` (one row per
employee and per unfilled seat), the reason codes of :mod:`asn_match.kernels.reasons` worded with
the ids involved, :func:`explain` (an employee's row, alternatives and a short account) and
:func:`compare_current` (the placement against who holds which position now). Placement's
methods of the same names call these; their docstrings are the reference.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from ._checks import check_choice, check_int
from .errors import InvalidParameterError
from .kernels.reasons import (
    EMPLOYEE_REASONS,
    SEAT_REASONS,
    EmployeeReason,
    SeatReason,
    reason_texts,
)
from .pairs import id_index

if TYPE_CHECKING:
    from .placement import Placement

__all__ = ["compare_current", "explain", "to_frame"]

#: The fill of object columns: np.where takes a bare None as this too, numpy's stubs do not.
_NONE = np.array(None, dtype=object)


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _employee_reason_text(placement: Placement) -> np.ndarray:
    r = placement.reasons
    e_ids, p_ids = placement.scores.employees.ids, placement.scores.positions.ids
    values = placement.dense.composite
    text = reason_texts(r.employee_code, EMPLOYEE_REASONS)
    minimum = placement.options["minimum"]
    below = np.flatnonzero(r.employee_code == EmployeeReason.BELOW_MINIMUM)
    if below.size and minimum:
        text[below] = f"below minimum ({minimum})"
    for i in np.flatnonzero(r.employee_other >= 0).tolist():
        other, at, code = int(r.employee_other[i]), int(r.employee_at[i]), r.employee_code[i]
        own, theirs = _fmt(values[i, at]), _fmt(values[other, at])
        if code == EmployeeReason.OUTSCORED:
            text[i] = f"outscored by {e_ids[other]} at {p_ids[at]} ({theirs} vs {own})"
        elif code == EmployeeReason.SEAT_LOCKED:
            text[i] = f"seat locked: {p_ids[at]} is locked for {e_ids[other]}"
        elif code == EmployeeReason.INCUMBENT_KEPT:
            text[i] = f"incumbent kept: {e_ids[other]} stays at {p_ids[at]} ({theirs} vs {own})"
        elif code == EmployeeReason.TAKEN_BY_HIGHER_TOTAL:
            text[i] = (
                f"all eligible seats taken by higher total (best option {p_ids[at]} "
                f"went to {e_ids[other]}, {theirs} vs {own})"
            )
    for i in np.flatnonzero(r.employee_code == EmployeeReason.NO_GAIN).tolist():
        text[i] = (
            f"no gain: a seat at {p_ids[r.employee_at[i]]} is free, but the pair adds "
            "nothing to the objective"
        )
    return text


def _seat_reason_text(placement: Placement) -> np.ndarray:
    r = placement.reasons
    e_ids, p_ids = placement.scores.employees.ids, placement.scores.positions.ids
    values = placement.dense.composite
    sol = placement.solution
    text = reason_texts(r.seat_code, SEAT_REASONS)
    minimum = placement.options["minimum"]
    below = np.flatnonzero(r.seat_code == SeatReason.ALL_BELOW_MINIMUM)
    if below.size and minimum:
        text[below] = f"all candidates below minimum ({minimum})"
    for s in np.flatnonzero(r.seat_other >= 0).tolist():
        other, p = int(r.seat_other[s]), int(sol.seat_position[s])
        if r.seat_code[s] == SeatReason.PLACED_ELSEWHERE:
            text[s] = (
                f"candidates placed elsewhere (best candidate {e_ids[other]}, "
                f"{_fmt(values[other, p])}, placed at {p_ids[r.seat_at[s]]})"
            )
        elif r.seat_code[s] == SeatReason.NO_GAIN:
            text[s] = (
                f"no gain: candidate {e_ids[other]} is free, but the pair adds "
                "nothing to the objective"
            )
    return text


def _employee_price(placement: Placement) -> np.ndarray:
    sol = placement.solution
    first_seat = np.cumsum(placement.seats) - placement.seats
    price = np.full(sol.employee_position.size, np.nan)
    placed = np.flatnonzero(sol.employee_position >= 0)
    seat = first_seat[sol.employee_position[placed]] + sol.employee_seat[placed]
    price[placed] = placement.shadow_prices[seat]
    return price


def to_frame(placement: Placement) -> pd.DataFrame:
    """:meth:`Placement.to_frame <asn_match.placement.Placement.to_frame>`."""
    scores, sol = placement.scores, placement.solution
    e_ids = np.asarray(scores.employees.ids, dtype=object)
    p_ids = np.asarray(scores.positions.ids, dtype=object)
    labels = np.array(scores.config.category_labels, dtype=object)
    n = e_ids.size
    pos = sol.employee_position
    placed = pos >= 0
    safe = np.where(placed, pos, 0)
    rows = np.arange(n)

    def on_placed(array, fill):
        if n == 0 or array.shape[1] == 0:
            return np.full(n, fill, dtype=object if fill is None else float)
        picked = array[rows, safe]
        return np.where(placed, picked, fill)

    runner = np.where(placed, placement.runner_up[safe] if p_ids.size else -1, -1)
    current = np.asarray(scores.employees.current_position_id, dtype=object)
    incumbent = placement.incumbent >= 0
    moved = pd.array(np.where(incumbent, pos != placement.incumbent, False), dtype="boolean")
    moved[~incumbent] = pd.NA
    employees = {
        "employee_id": e_ids,
        "position_id": np.where(placed, p_ids[safe] if p_ids.size else _NONE, _NONE),
        "jpm": on_placed(placement.dense.jpm, np.nan),
        "category": np.where(
            placed, labels[on_placed(placement.dense.category_code, 0).astype(int)], _NONE
        ),
        "composite": on_placed(placement.dense.composite, np.nan),
        "seat": pd.array(np.where(placed, sol.employee_seat + 1, 0), dtype="Int64"),
        "status": np.where(placed, "placed", "unplaced").astype(object),
        "option_rank": pd.array(placement.option_rank, dtype="Int64"),
        "runner_up_id": np.where(runner >= 0, e_ids[np.maximum(runner, 0)] if n else _NONE, _NONE),
        "runner_up_score": np.where(
            placed, placement.runner_up_score[safe] if p_ids.size else np.nan, np.nan
        ),
        "shadow_price": _employee_price(placement),
        "current_position_id": current,
        "moved": moved,
        "locked": sol.employee_locked.copy(),
        "reason_code": reason_texts(placement.reasons.employee_code, EMPLOYEE_REASONS),
        "reason": _employee_reason_text(placement),
    }
    frame = pd.DataFrame(employees)
    frame.loc[~placed, ["seat", "option_rank"]] = pd.NA

    open_seat = np.flatnonzero(sol.seat_employee < 0)
    sp = sol.seat_position[open_seat]
    cand = placement.reasons.seat_other[open_seat]
    has = cand >= 0
    seats = pd.DataFrame(
        {
            "employee_id": np.full(open_seat.size, None, dtype=object),
            "position_id": p_ids[sp],
            "jpm": np.nan,
            "category": np.full(open_seat.size, None, dtype=object),
            "composite": np.nan,
            "seat": pd.array(sol.seat_number[open_seat] + 1, dtype="Int64"),
            "status": np.full(open_seat.size, "unfilled", dtype=object),
            "option_rank": pd.array(np.zeros(open_seat.size, dtype=np.int64), dtype="Int64"),
            "runner_up_id": np.where(has, e_ids[np.maximum(cand, 0)] if n else _NONE, _NONE),
            "runner_up_score": np.where(
                has, placement.dense.composite[np.maximum(cand, 0), sp] if n else np.nan, np.nan
            ),
            "shadow_price": placement.shadow_prices[open_seat],
            "current_position_id": np.full(open_seat.size, None, dtype=object),
            "moved": pd.array(np.zeros(open_seat.size, dtype=bool), dtype="boolean"),
            "locked": np.zeros(open_seat.size, dtype=bool),
            "reason_code": reason_texts(placement.reasons.seat_code[open_seat], SEAT_REASONS),
            "reason": _seat_reason_text(placement)[open_seat],
        }
    )
    seats["option_rank"] = pd.array([pd.NA] * open_seat.size, dtype="Int64")
    seats["moved"] = pd.array([pd.NA] * open_seat.size, dtype="boolean")
    if open_seat.size == 0:
        result = frame
    elif n == 0:
        result = seats
    else:
        result = pd.concat([frame, seats], ignore_index=True)
    # Descriptive columns, where the tables have them, next to the ids they describe.
    info_e, info_p = scores.employees.info, scores.positions.info
    if "name" in info_e.columns:
        names = np.asarray(info_e["name"], dtype=object)
        result.insert(
            1,
            "name",
            np.r_[names, np.full(len(result) - n, None, dtype=object)]
            if n
            else np.full(len(result), None, dtype=object),
        )
    # the columns are unique (built above), so get_loc gives an int
    at = cast(int, result.columns.get_loc("position_id")) + 1
    position_of_row = id_index(p_ids).get_indexer(pd.Index(result["position_id"].astype(str)))
    for column in ("unit", "title"):
        if column in info_p.columns:
            values = np.asarray(info_p[column], dtype=object)
            result.insert(
                at,
                column,
                np.where(
                    position_of_row >= 0,
                    values[np.maximum(position_of_row, 0)] if values.size else _NONE,
                    _NONE,
                ),
            )
    # Ids and labels repeat: as Categoricals a table of millions of rows stays small.
    for column in _CATEGORICAL_COLUMNS:
        if column in result.columns:
            result[column] = result[column].astype("category")
    return result.reset_index(drop=True)


#: Columns of :meth:`Placement.to_frame` held as pandas Categoricals.
_CATEGORICAL_COLUMNS = (
    "employee_id",
    "position_id",
    "current_position_id",
    "runner_up_id",
    "category",
    "status",
    "reason_code",
)


def _employee_row(placement: Placement, employee_id: object) -> int:
    index = id_index(placement.scores.employees.ids)
    i = index.get_indexer(pd.Index([str(employee_id)]))[0]
    if i < 0:
        hint = difflib.get_close_matches(str(employee_id), index.tolist(), n=1, cutoff=0.8)
        raise InvalidParameterError(
            "employee_id",
            "Placement.explain",
            "an id of the scored employees",
            employee_id,
            fix=f"Did you mean {hint[0]!r}?" if hint else "",
        )
    return int(i)


def explain(placement: Placement, employee_id: object, *, k: int | None = 10) -> dict[str, Any]:
    """:meth:`Placement.explain <asn_match.placement.Placement.explain>`."""
    k = check_int(k, "k", "Placement.explain", minimum=1, allow_none=True)
    i = _employee_row(placement, employee_id)
    frame = to_frame(placement)
    row: dict[str, Any] = {
        str(key): (None if value is pd.NA else value) for key, value in frame.iloc[i].items()
    }
    row["alternatives"] = _alternatives(placement, i, k)
    row["text"] = _story(placement, i, row)
    return row


def _alternatives(placement: Placement, i: int, k: int | None) -> pd.DataFrame:
    scores, sol = placement.scores, placement.solution
    p_ids, e_ids = scores.positions.ids, scores.employees.ids
    m = p_ids.size
    values = placement.dense.composite[i]
    p_rank = np.empty(m, dtype=np.intp)
    p_rank[placement.position_order] = np.arange(m)
    order = np.lexsort((p_rank, -values))
    if k is not None:
        order = order[:k]
    own = sol.employee_position[i]
    filled = sol.seat_employee >= 0
    outcome = []
    for j in order.tolist():
        holders = sol.seat_employee[filled & (sol.seat_position == j)]
        free = int(np.count_nonzero(~filled & (sol.seat_position == j)))
        if j == own:
            outcome.append("placed here")
        elif not placement.dense.eligible[i, j]:
            outcome.append("ineligible: " + "; ".join(scores.reason_text(i, int(j))))
        elif placement.forbidden is not None and placement.forbidden[i, j]:
            outcome.append("forbidden")
        elif not placement.allowed[i, j]:
            outcome.append(f"below minimum ({placement.options['minimum']})")
        elif placement.seats[j] == 0:
            outcome.append("closed (0 seats)")
        elif free:
            outcome.append("a seat is free, but the placement scores higher overall")
        else:
            weakest = holders[np.argmin(placement.dense.composite[holders, j])]
            theirs = placement.dense.composite[weakest, j]
            if sol.employee_locked[weakest]:
                outcome.append(f"seat locked for {e_ids[weakest]}")
            elif theirs >= values[j]:
                outcome.append(
                    f"outscored by {e_ids[weakest]} ({_fmt(theirs)} vs {_fmt(values[j])})"
                )
            else:
                outcome.append(
                    f"held by {e_ids[weakest]} ({_fmt(theirs)}): the total is higher this way"
                )
    labels = np.array(scores.config.category_labels, dtype=object)
    return pd.DataFrame(
        {
            "position_id": p_ids[order],
            "jpm": placement.dense.jpm[i, order],
            "category": labels[placement.dense.category_code[i, order]],
            "composite": values[order],
            "eligible": placement.dense.eligible[i, order],
            "outcome": outcome,
        }
    )


def _story(placement: Placement, i: int, row: dict) -> str:
    e_id = placement.scores.employees.ids[i]
    if row["status"] == "placed":
        text = (
            f"{e_id} is placed at {row['position_id']} (seat {row['seat']}) with composite "
            f"{_fmt(row['composite'])}, JPM {_fmt(row['jpm'])}% ({row['category']}); this is "
            f"option {row['option_rank']} of their allowed positions."
        )
        if row["locked"]:
            text += " The pair was locked."
        if row["runner_up_id"] is not None:
            text += (
                f" The best other candidate for this position is {row['runner_up_id']} "
                f"({_fmt(row['runner_up_score'])})."
            )
        if row["shadow_price"] is not None and np.isfinite(row["shadow_price"]):
            text += f" The seat's shadow price is {_fmt(row['shadow_price'])}."
        return text
    return f"{e_id} is not placed: {row['reason']}."


def compare_current(
    placement: Placement, *, by: Literal["employee", "unit"] = "employee"
) -> pd.DataFrame:
    """:meth:`Placement.compare_current <asn_match.placement.Placement.compare_current>`."""
    by = check_choice(by, "by", "Placement.compare_current", ("employee", "unit"))
    scores = placement.scores
    values = placement.dense.composite
    n = values.shape[0]
    rows = np.arange(n)
    new = placement.solution.employee_position
    old = placement.incumbent
    placed, incumbent = new >= 0, old >= 0
    current_score = (
        np.where(incumbent, values[rows, np.maximum(old, 0)], np.nan)
        if values.size
        else np.full(n, np.nan)
    )
    new_score = (
        np.where(placed, values[rows, np.maximum(new, 0)], np.nan)
        if values.size
        else np.full(n, np.nan)
    )
    change = np.select(
        [incumbent & (new == old), incumbent & placed, incumbent, placed],
        ["stays", "moves", "leaves", "enters"],
        default="not placed",
    ).astype(object)
    p_ids = np.asarray(scores.positions.ids, dtype=object)
    if by == "employee":
        return pd.DataFrame(
            {
                "employee_id": np.asarray(scores.employees.ids, dtype=object),
                "current_position_id": np.asarray(
                    scores.employees.current_position_id, dtype=object
                ),
                "position_id": np.where(
                    placed, p_ids[np.maximum(new, 0)] if p_ids.size else _NONE, _NONE
                ),
                "change": change,
                "current_composite": current_score,
                "new_composite": new_score,
                "composite_change": new_score - current_score,
            }
        )
    if "unit" not in scores.positions.info.columns:
        raise ValueError(
            "compare_current(by='unit') needs a 'unit' column in the positions table. Add "
            "it to the positions file, or use by='employee'."
        )
    unit_of = np.asarray(scores.positions.info["unit"], dtype=object)
    before = pd.DataFrame(
        {
            "unit": unit_of[old[incumbent]],
            "score": current_score[incumbent],
            "stays": (new == old)[incumbent],
        }
    )
    after = pd.DataFrame(
        {
            "unit": unit_of[new[placed]],
            "score": new_score[placed],
            "moved_in": (new != old)[placed],
        }
    )
    units = pd.Index(pd.unique(unit_of), name="unit")
    b = before.groupby("unit").agg(
        holders_before=("score", "size"), composite_before=("score", "sum"), stays=("stays", "sum")
    )
    a = after.groupby("unit").agg(
        holders_after=("score", "size"),
        composite_after=("score", "sum"),
        moved_in=("moved_in", "sum"),
    )
    table = pd.concat([b.reindex(units), a.reindex(units)], axis=1)
    counts = ["holders_before", "holders_after", "stays", "moved_in"]
    table[counts] = table[counts].fillna(0).astype(np.int64)
    table[["composite_before", "composite_after"]] = table[
        ["composite_before", "composite_after"]
    ].fillna(0.0)
    table["composite_change"] = table["composite_after"] - table["composite_before"]
    for side in ("before", "after"):
        holders = table[f"holders_{side}"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            table[f"mean_{side}"] = table[f"composite_{side}"].to_numpy() / holders
    table["moved_out"] = table["holders_before"] - table["stays"]
    columns = [
        "holders_before",
        "holders_after",
        "composite_before",
        "composite_after",
        "composite_change",
        "mean_before",
        "mean_after",
        "stays",
        "moved_in",
        "moved_out",
    ]
    return table[columns].reset_index()
