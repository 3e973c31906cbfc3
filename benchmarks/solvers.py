"""The solvers the suite runs side by side, each on the same scores, each returning its total.

Every solver maximises the same objective: the sum over placed pairs of the *gain*, the eligible
composite score rounded to 9 decimals (0 for an ineligible pair, which is then as good as leaving
the employee unplaced). Each returns the total of the placement it found, computed from its own
answer (its assignment, plan or flow), so the suite can assert them equal before timing them.

The anchors (POT, OR-Tools, lapx) are optional: :func:`missing` says why one cannot run.
"""

from __future__ import annotations

import importlib
import importlib.util

import numpy as np
from scipy.optimize import linear_sum_assignment

import asn_match as am
from asn_match.kernels.seating import SCORE_DECIMALS

#: Integer costs for OR-Tools: gains are multiples of 1e-9, so this scale makes them exact.
INTEGER_SCALE = 10**SCORE_DECIMALS

#: Optional packages of the anchors: import name -> package to install (the ``bench`` extra).
PACKAGES = {"ot": "pot", "ortools": "ortools", "lap": "lapx", "matplotlib": "matplotlib"}


def missing(module: str) -> str | None:
    """Why the anchor needing ``module`` cannot run (not installed), or None when it can."""
    if importlib.util.find_spec(module) is None:
        return f"{PACKAGES.get(module, module)} is not installed (pip install -e '.[bench]')"
    return None


def version(module: str) -> str | None:
    """The installed version of an optional module, None when absent."""
    if missing(module):
        return None
    imported = importlib.import_module(module)
    if module == "ortools":
        return importlib.import_module("ortools").__version__
    return getattr(imported, "__version__", "?")


def gain_matrix(scores) -> np.ndarray:
    """(n_employees, n_positions) float64: eligible composite rounded to 9 decimals, else 0."""
    composite = np.round(np.asarray(scores.composite, dtype=np.float64), SCORE_DECIMALS)
    return np.ascontiguousarray(np.where(scores.eligible & (composite > 0), composite, 0.0))


def placement_total(gain: np.ndarray, employee_position: np.ndarray) -> float:
    """Total gain of a placement given as the position of each employee (-1: unplaced)."""
    placed = np.flatnonzero(employee_position >= 0)
    return float(gain[placed, employee_position[placed]].sum())


# asn_match ------------------------------------------------------------------------------------


def assign_total(scores, gain: np.ndarray, **options) -> float:
    """``am.assign(scores, **options)``: the total gain of its placement."""
    placement = am.assign(scores, **options)
    return placement_total(gain, np.asarray(placement.solution.employee_position))


# expanded seats (one column per seat) -----------------------------------------------------------


def expanded(gain: np.ndarray, seats: np.ndarray) -> np.ndarray:
    """(n_employees, total seats): the gain of each employee for each seat."""
    return gain[:, np.repeat(np.arange(seats.size), seats)]


def scipy_lsap(gain: np.ndarray, seats: np.ndarray) -> float:
    """scipy ``linear_sum_assignment(maximize=True)`` on expanded seats (expansion timed)."""
    matrix = expanded(gain, seats)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def lapjv(gain: np.ndarray, seats: np.ndarray) -> float:
    """lapx ``lapjv`` on the negated expanded seats (square when the seats equal the employees)."""
    import lap

    matrix = expanded(gain, seats)
    cost = -matrix
    _, x, _ = lap.lapjv(cost, extend_cost=cost.shape[0] != cost.shape[1])
    rows = np.flatnonzero(x >= 0)
    return float(matrix[rows, x[rows]].sum())


# transportation form (positions with capacities) -----------------------------------------------


def pot_emd(gain: np.ndarray, seats: np.ndarray) -> float:
    """POT ``ot.emd`` (network simplex) on the balanced transportation form.

    Employees (supply 1 each) and a slack row (supply: every seat) against the positions (demand:
    their seats) and a dummy sink "unplaced" (demand: every employee); cost ``-gain``, 0 to and
    from the dummies, so an employee may stay unplaced and a seat empty.
    """
    import ot

    n, m = gain.shape
    cost = np.zeros((n + 1, m + 1))
    np.negative(gain, out=cost[:n, :m])
    supply = np.concatenate([np.ones(n), [float(seats.sum())]])
    demand = np.concatenate([seats.astype(np.float64), [float(n)]])
    plan = ot.emd(supply, demand, cost, numItermax=10**10)
    del cost
    position = np.argmax(plan[:n], axis=1)
    position[position == m] = -1  # the dummy sink
    assert np.allclose(plan[:n].max(axis=1), 1.0), "ot.emd: a fractional plan"
    return placement_total(gain, position)


def ortools_flow(gain: np.ndarray, seats: np.ndarray) -> float:
    """OR-Tools ``SimpleMinCostFlow`` on source -> employee -> position -> sink (graph included).

    Arcs only for pairs of positive gain, at integer cost ``-gain * 1e9`` (exact); each employee
    also has a zero-cost arc to the sink (unplaced).
    """
    from ortools.graph.python import min_cost_flow

    n, m = gain.shape
    source, sink = n + m, n + m + 1
    rows, cols = np.nonzero(gain > 0)
    weights = np.rint(gain[rows, cols] * INTEGER_SCALE).astype(np.int64)
    employees = np.arange(n)
    tails = np.concatenate([np.full(n, source), rows, n + np.arange(m), employees])
    heads = np.concatenate([employees, n + cols, np.full(m, sink), np.full(n, sink)])
    capacities = np.concatenate([np.ones(n), np.ones(rows.size), seats, np.ones(n)])
    costs = np.concatenate([np.zeros(n, np.int64), -weights, np.zeros(m + n, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs,
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    assert status == flow.OPTIMAL, f"OR-Tools min-cost flow: status {status}"
    used = flow.flows(np.arange(n, n + rows.size)) > 0
    position = np.full(n, -1)
    position[rows[used]] = cols[used]
    assert -int(flow.optimal_cost()) == int(weights[used].sum())
    return placement_total(gain, position)
