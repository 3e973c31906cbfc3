"""What a placement says: its decision table, reasons in words, alternatives and a comparison.

The presentation of :class:`~asn_match.placement.Placement`: :func:`to_frame` (one row per
employee and per unfilled seat), the reason codes of :mod:`asn_match.kernels.reasons` worded with
the ids involved, :func:`explain` (an employee's row, alternatives and a short account) and
:func:`compare_current` (the placement against who holds which position now). Placement's
methods of the same names call these; their docstrings are the reference.
"""

from __future__ import annotations

import difflib
import math
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from ._checks import check_choice, check_int
from .errors import InfeasibleError, InvalidParameterError
from .kernels.reasons import (
    EMPLOYEE_REASONS,
    SEAT_REASONS,
    EmployeeReason,
    SeatReason,
    reason_texts,
)
from .kernels.seating import solve_ordered
from .pairs import id_index
from .rules import RANK_DECIMALS

if TYPE_CHECKING:
    from .placement import Placement

__all__ = ["compare_current", "explain", "justification", "rounded", "summary_text", "to_frame"]

#: An option rank past this is a distant option: the reason says what placing the employee in
#: their best option would cost instead.
DISTANT_OPTION = 3

#: The shadow price in one sentence, for legends and explanations.
SHADOW_PRICE_MEANING = (
    "the shadow price of a seat is how much lower the best placement's total would be without "
    "that seat"
)

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
    placed = np.flatnonzero(r.employee_code == EmployeeReason.PLACED)
    for i in placed.tolist():
        text[i] = _placed_reason(placement, i)
    for i in np.flatnonzero(r.employee_code == EmployeeReason.NO_GAIN).tolist():
        text[i] = (
            f"no gain: a seat at {p_ids[r.employee_at[i]]} is free, but the pair adds "
            "nothing to the objective"
        )
    return text


def justification(
    placement: Placement, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The alternative each placed employee's reason weighs, and what it would cost.

    An incumbent moved to a position where their own composite is lower is weighed against
    staying (if staying is allowed); an employee placed past their :data:`DISTANT_OPTION`-th
    option against their best option. The cost is counterfactual and exact: the placement is
    solved again, under every option of :func:`~asn_match.placement.assign`, with the employee
    locked into the alternative, and compared with this one. One solve per employee weighed,
    computed once and kept: ``rows`` (employee indices; None: all, when the solves fit
    :data:`JUSTIFY_BUDGET`) limits which are computed now.

    Returns
    -------
    alternative : ndarray of shape (n_employees,), intp
        The position weighed, -1 when the placement needs no justification.
    objective_loss : ndarray of shape (n_employees,), float64
        How much the objective (total composite plus stay bonus) drops with the employee there;
        NaN without an alternative or not computed yet, +inf when the alternative is not
        feasible at all (locks, ``max_moves``).
    seats_lost : ndarray of shape (n_employees,), int64
        How many fewer seats would be filled with the employee there.
    """
    cached = placement._justification
    if cached is None:
        cached = placement._justification = _alternatives_weighed(placement)
    alternative, loss, seats_lost = cached
    values = placement.dense.composite
    weighed = np.flatnonzero(alternative >= 0)
    if rows is None:
        if weighed.size * values.size > JUSTIFY_BUDGET:
            return cached
        rows = weighed
    todo = [int(i) for i in np.asarray(rows).tolist() if alternative[i] >= 0 and np.isnan(loss[i])]
    sol = placement.solution
    base_filled = int(np.count_nonzero(sol.seat_employee >= 0))
    locked = np.flatnonzero(sol.employee_locked)
    options = placement.options
    for i in todo:
        try:
            forced = solve_ordered(
                np.asarray(values, dtype=np.float64),
                placement.allowed,
                placement.seats,
                placement.employee_order,
                placement.position_order,
                lock_rows=np.r_[locked, i].astype(np.intp),
                lock_cols=np.r_[sol.employee_position[locked], alternative[i]].astype(np.intp),
                incumbent=placement.incumbent,
                incumbent_bonus=options["incumbent_bonus"],
                max_moves=options["max_moves"],
                prefer_stay=options["prefer_stay"],
                objective=options["objective"],
                time_limit=options["time_limit"],
                method=options.get("method", "capacity"),
                caller="Placement.explain",
            )
        except (InfeasibleError, RuntimeError):
            loss[i] = np.inf
            continue
        # Exact sums of the ranked (rounded) composites: the same loss in any row order.
        drop = _objective(placement, sol.employee_position) - _objective(
            placement, forced.employee_position
        )
        loss[i] = max(drop, 0.0)
        seats_lost[i] = base_filled - int(np.count_nonzero(forced.seat_employee >= 0))
    return cached


def _objective(placement: Placement, position: np.ndarray) -> float:
    """Total composite plus stay bonus of a placement, summed exactly (math.fsum)."""
    placed = np.flatnonzero(position >= 0)
    values = np.round(placement.dense.composite[placed, position[placed]], RANK_DECIMALS)
    stays = np.count_nonzero(placement.incumbent[placed] == position[placed])
    return math.fsum(values.tolist()) + stays * placement.options["incumbent_bonus"]


#: Most (solves x pairs) the decision table spends on the costs of its reasons; past it the
#: table names the alternative and :func:`explain` computes the cost of one employee.
JUSTIFY_BUDGET = 5_000_000


def _alternatives_weighed(placement: Placement) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per employee: the alternative their reason weighs (-1 none), and room for its cost."""
    values = placement.dense.composite
    sol = placement.solution
    n = values.shape[0]
    pos, cur = sol.employee_position, placement.incumbent
    alternative = np.full(n, -1, dtype=np.intp)
    rows = np.arange(n)
    placed = (pos >= 0) & ~sol.employee_locked
    if n and values.shape[1]:
        safe_pos, safe_cur = np.maximum(pos, 0), np.maximum(cur, 0)
        own_drop = placed & (cur >= 0) & (pos != cur)
        own_drop &= values[rows, safe_cur] > values[rows, safe_pos] + 10.0**-RANK_DECIMALS
        own_drop &= placement.allowed[rows, safe_cur] & (placement.seats[safe_cur] > 0)
        alternative[own_drop] = cur[own_drop]
        distant = placed & ~own_drop & (placement.option_rank > DISTANT_OPTION)
        if distant.any():
            open_positions = placement.seats > 0
            masked = np.where(placement.allowed[distant] & open_positions, values[distant], -np.inf)
            p_rank = np.empty(values.shape[1], dtype=np.intp)
            p_rank[placement.position_order] = np.arange(values.shape[1])
            keys = (np.broadcast_to(p_rank, masked.shape), -masked)
            alternative[distant] = np.lexsort(keys, axis=1)[:, 0]
    return alternative, np.full(n, np.nan), np.zeros(n, dtype=np.int64)


def _cost_text(loss: float, seats_lost: int, bonus: float) -> str:
    """What forcing an alternative would cost, as words (``bonus``: the stay bonus counted)."""
    if not np.isfinite(loss):
        return "is not possible under the placement's rules"
    parts = []
    if seats_lost > 0:
        parts.append(f"leave {seats_lost} more seat{'s' if seats_lost > 1 else ''} unfilled")
    if loss > 0:
        total = "the total, stay bonus included," if bonus else "the total"
        parts.append(f"lower {total} by {_fmt(loss)}")
    if not parts:
        return "would score the same (equal totals, broken by the documented tie rule)"
    return "would " + " and ".join(parts)


def _placed_reason(placement: Placement, i: int) -> str:
    """Why employee ``i`` holds their seat, in words an analyst can read aloud."""
    p_ids = placement.scores.positions.ids
    values = placement.dense.composite
    j, cur = int(placement.solution.employee_position[i]), int(placement.incumbent[i])
    rank, count = int(placement.candidate_rank[i]), int(placement.candidates[i])
    higher = int(placement.higher_placed_elsewhere[i])
    text = "kept in post" if cur == j else ("moved from " + p_ids[cur] if cur >= 0 else "placed")
    text += f": rank {rank} of {count} candidates here"
    if rank > 1:
        if higher == rank - 1 == 1:
            text += " (the one ranked higher was placed in another post)"
        elif higher == rank - 1:
            text += f" (all {higher} ranked higher were placed in other posts)"
        elif higher:
            text += f" ({higher} of the {rank - 1} ranked higher were placed in other posts)"
    options = int(np.count_nonzero(placement.allowed[i] & (placement.seats > 0)))
    text += f"; this post is their option {int(placement.option_rank[i])} of {options}"
    if cur >= 0 and cur != j and not placement.allowed[i, cur]:
        text += f"; they may not stay at {p_ids[cur]} (not eligible or below the minimum)"
    alternative, loss, seats_lost = justification(placement)
    alt = int(alternative[i])
    if alt >= 0:
        change = values[i, j] - values[i, alt]
        if alt == cur:
            text += (
                f"; their composite is {_fmt(values[i, alt])} in their current post and "
                f"{_fmt(values[i, j])} here ({change:+.2f})"
            )
            doing = f"keeping them at {p_ids[cur]}"
        else:
            text += (
                f"; their best option is {p_ids[alt]} ({_fmt(values[i, alt])}, here {change:+.2f})"
            )
            doing = "placing them there"
        if np.isnan(loss[i]):  # past the table's budget: explain() solves it for one employee
            text += f"; what {doing} would cost the total: see explain()"
        else:
            text += f", but {doing} " + _cost_text(
                float(loss[i]), int(seats_lost[i]), placement.options["incumbent_bonus"]
            )
        if loss[i] > 0 and np.isfinite(loss[i]):
            text += f": this placement gains {_fmt(float(loss[i]))} overall"
    return text


def summary_text(summary: dict[str, Any]) -> str:
    """The headline figures of a placement summary, as lines to print.

    Works on the summary of both placements: lines whose figures a summary lacks are left out.

    Examples
    --------
    >>> s = {"placed": 3, "employees": 4, "filled_seats": 3, "seats": 3, "unfilled_seats": 0,
    ...      "mean_jpm": 81.25, "moves": 1, "incumbents": 2, "stays": 1, "moved": 0,
    ...      "left_without_post": 1, "categories": {"Memenuhi Syarat": 3}}
    >>> print(summary_text(s))
    placed employees:   3 of 4
    filled seats:       3 of 3 (0 unfilled)
    mean JPM of placed: 81.2%
    incumbents moved:   1 of 2
      kept in post:          1
      moved to another post: 0
      left without a post:   1
    placed per category:
      Memenuhi Syarat          3
    """
    s = summary
    lines = [
        f"placed employees:   {s['placed']} of {s['employees']}",
        f"filled seats:       {s['filled_seats']} of {s['seats']} ({s['unfilled_seats']} unfilled)",
    ]
    if s.get("vacant_seats") is not None:
        lines.append(f"vacancies filled:   {s['vacancies_filled']} of {s['vacant_seats']}")
    lines += [
        "mean JPM of placed: " + ("-" if s["mean_jpm"] is None else f"{s['mean_jpm']:.1f}%"),
        f"incumbents moved:   {s['moves']} of {s['incumbents']}",
    ]
    if s.get("moved") is not None:
        lines += [
            f"  kept in post:          {s['stays']}",
            f"  moved to another post: {s['moved']}",
            f"  left without a post:   {s['left_without_post']}",
        ]
    if s.get("below_minimum") is not None:
        lines.append(f"below the minimum:  {s['below_minimum']} placed ({s['minimum']})")
    lines.append("placed per category:")
    lines += [f"  {label:<24} {count}" for label, count in s["categories"].items()]
    return "\n".join(lines)


def rounded(frame: pd.DataFrame, decimals: int | None) -> pd.DataFrame:
    """``frame`` with its float columns rounded to ``decimals`` (a copy; None: unchanged).

    Written files are for people: ``69.87`` reads better than ``69.87222222300001``. Python
    frames keep full precision.

    Examples
    --------
    >>> rounded(pd.DataFrame({"id": ["a"], "composite": [69.87222222300001]}), 2)["composite"][0]
    np.float64(69.87)
    """
    if decimals is None:
        return frame
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c].dtype)]
    if not floats:
        return frame
    out = frame.copy()
    out[floats] = out[floats].round(decimals)
    return out


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

    justification(placement)
    available = np.where(placed, placement.next_available[safe] if p_ids.size else -1, -1)
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
        "candidate_rank": pd.array(placement.candidate_rank, dtype="Int64"),
        "higher_placed_elsewhere": pd.array(placement.higher_placed_elsewhere, dtype="Int64"),
        "next_available_id": np.where(
            available >= 0, e_ids[np.maximum(available, 0)] if n else _NONE, _NONE
        ),
        "next_available_score": np.where(
            placed, placement.next_available_score[safe] if p_ids.size else np.nan, np.nan
        ),
        "shadow_price": _employee_price(placement),
        "current_position_id": current,
        "moved": moved,
        "locked": sol.employee_locked.copy(),
        "reason_code": reason_texts(placement.reasons.employee_code, EMPLOYEE_REASONS),
        "reason": _employee_reason_text(placement),
    }
    frame = pd.DataFrame(employees)
    frame.loc[~placed, ["seat", "option_rank", "candidate_rank", "higher_placed_elsewhere"]] = pd.NA

    open_seat = np.flatnonzero(sol.seat_employee < 0)
    sp = sol.seat_position[open_seat]
    cand = placement.next_available[sp] if n else np.full(open_seat.size, -1)
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
            "option_rank": pd.array([pd.NA] * open_seat.size, dtype="Int64"),
            "candidate_rank": pd.array([pd.NA] * open_seat.size, dtype="Int64"),
            "higher_placed_elsewhere": pd.array([pd.NA] * open_seat.size, dtype="Int64"),
            "next_available_id": np.where(has, e_ids[np.maximum(cand, 0)] if n else _NONE, _NONE),
            "next_available_score": np.where(
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
    "next_available_id",
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
    justification(placement, np.array([i]))
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
    e_ids = placement.scores.employees.ids
    p_ids = placement.scores.positions.ids
    values = placement.dense.composite
    sol = placement.solution
    e_id = e_ids[i]
    if row["status"] == "placed":
        j = int(sol.employee_position[i])
        text = (
            f"{e_id} is placed at {row['position_id']} (seat {row['seat']}) with composite "
            f"{_fmt(row['composite'])}, JPM {_fmt(row['jpm'])}% ({row['category']}). "
            f"Why: {row['reason']}."
        )
        if row["locked"]:
            text += " The pair was locked."
        higher = int(placement.higher_placed_elsewhere[i])
        if higher:
            own = np.round(values[i, j], RANK_DECIMALS)
            others = np.flatnonzero(
                placement.allowed[:, j]
                & (sol.employee_position >= 0)
                & (sol.employee_position != j)
                & (np.round(values[:, j], RANK_DECIMALS) > own)
            )
            others = others[np.argsort(-values[others, j], kind="stable")]
            listed = ", ".join(
                f"{e_ids[k]} ({_fmt(values[k, j])} here) went to {p_ids[sol.employee_position[k]]}"
                for k in others[:5].tolist()
            )
            more = f", and {others.size - 5} more" if others.size > 5 else ""
            text += (
                f" {higher} candidate{'s' if higher > 1 else ''} with a higher composite here "
                f"{'were' if higher > 1 else 'was'} placed in other posts: {listed}{more}."
            )
        if row["next_available_id"] is not None:
            text += (
                f" The best candidate for this position who is not placed anywhere is "
                f"{row['next_available_id']} ({_fmt(row['next_available_score'])})."
            )
        else:
            text += " Every other allowed candidate for this position is placed."
        if row["shadow_price"] is not None and np.isfinite(row["shadow_price"]):
            text += (
                f" The seat's shadow price is {_fmt(row['shadow_price'])}: without this seat the "
                f"best placement's total would be {_fmt(row['shadow_price'])} lower."
            )
        return text
    text = f"{e_id} is not placed: {row['reason']}."
    cur = int(placement.incumbent[i])
    if cur >= 0:
        holders = sol.seat_employee[(sol.seat_position == cur) & (sol.seat_employee >= 0)]
        if not placement.allowed[i, cur]:
            text += f" They may not stay at {p_ids[cur]}: not eligible or below the minimum"
            if holders.size:
                text += f"; {e_ids[holders[0]]} holds it now ({_fmt(values[holders[0], cur])})"
            text += "."
        elif holders.size:
            taker = int(holders[np.argmin(values[holders, cur])])
            text += (
                f" Their post {p_ids[cur]} went to {e_ids[taker]} ({_fmt(values[taker, cur])} "
                f"there against their {_fmt(values[i, cur])}): {e_ids[taker]}'s reason: "
                f"{_employee_reason_text(placement)[taker]}."
            )
        else:
            text += f" Their post {p_ids[cur]} is left unfilled."
    return text


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
