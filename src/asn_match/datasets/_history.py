"""Synthetic placement histories whose outcomes follow known competency weights.

The generative model, fully vectorized:

- ``n_families`` job families; family ``f`` requires every SKJ competency at its own levels
  (2-5) and two technical competencies of its own, so its standard profile is clearly its own; each
  position is its family's profile with one level moved up or down by 1 now and then;
- each family has true weights (importance) over the competencies it requires, drawn from a
  gamma distribution and normalised to mean 1, unless given;
- each employee holds ``stints`` positions one after another, drawn at random (no selection: who
  was placed where does not depend on merit here, unlike real history), with levels assessed
  at the start of each stint from the employee's own levels plus growth with time;
- the outcome is ``20 + 0.7 * JPM`` under the true weights of the position's family (the weighted
  capped JPM, :func:`asn_match.jpm`) plus normal noise of standard deviation ``noise``, clipped
  to 0-100. ``signal=False`` draws the outcome from noise alone (no competency matters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._checks import check_bool, check_int, check_real
from ..errors import InvalidParameterError
from ..framework import SKJ_MANAGERIAL, SKJ_SOCIO_CULTURAL
from ..kernels.jpm import jpm_contributions
from ..rules import POSITION_COLUMNS
from ._synthetic import TECHNICAL_COMPETENCIES

__all__ = ["synthetic_history"]

_SKJ_CODES: tuple[str, ...] = tuple(c for c, _ in SKJ_MANAGERIAL + SKJ_SOCIO_CULTURAL)
_TECHNICAL_PER_FAMILY = 2
_FIRST_YEAR = 2012
# Outcome = _BASE + _SLOPE * JPM: JPM 50-100 maps to outcomes 55-90, inside the SKP range.
_BASE = 20.0
_SLOPE = 0.7


def synthetic_history(
    n_employees: int,
    n_positions: int,
    *,
    seed: int = 0,
    true_weights: pd.DataFrame | None = None,
    noise: float = 4.0,
    n_families: int = 3,
    stints: int = 3,
    signal: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A placement history whose outcomes depend on known weights per job family, plus noise.

    Parameters
    ----------
    n_employees : int
        Employees, >= 1; each holds ``stints`` positions, so the history has
        ``n_employees * stints`` records.
    n_positions : int
        Positions, >= ``n_families``; position ``j`` belongs to family ``j % n_families``.
    seed : int, default 0
    true_weights : DataFrame of shape (n_families, n_competencies), optional
        The weights of each family (index: the family names ``T1``, ``T2``, ...; columns:
        competency codes, as returned), >= 0 where the family requires the competency. Default:
        drawn from Gamma(2) and normalised to mean 1 per family.
    noise : float, default 4.0
        Standard deviation of the outcome noise, in outcome points (0-100 scale), >= 0.
    n_families : int, default 3
        Job families, from 1 to 7.
    stints : int, default 3
        Positions held by each employee, >= 1.
    signal : bool, default True
        False: outcomes are noise around 75 alone, whatever the competencies.

    Returns
    -------
    history : DataFrame
        The history schema (:func:`asn_match.read_history`): ``employee_id``, ``position_id``,
        ``start``, ``end``, ``outcome``, then the levels assessed at the start of each stint.
    positions : DataFrame
        The positions schema, with an ``info_family`` column naming each position's true family;
        no ``<code>_weight`` columns (the uniform prior).
    true_weights : DataFrame of shape (n_families, n_competencies)
        The weights the outcomes follow (NaN where the family does not require a competency).

    Examples
    --------
    >>> history, positions, truth = synthetic_history(100, 12, seed=0)
    >>> len(history), len(positions), truth.index.tolist()
    (300, 12, ['T1', 'T2', 'T3'])
    >>> bool((truth.mean(axis=1).round(9) == 1).all())
    True
    """
    caller = "synthetic_history"
    n_employees = check_int(n_employees, "n_employees", caller, minimum=1)
    n_families = check_int(n_families, "n_families", caller, minimum=1, maximum=7)
    n_positions = check_int(n_positions, "n_positions", caller, minimum=n_families)
    seed = check_int(seed, "seed", caller, minimum=0)
    noise = check_real(noise, "noise", caller, minimum=0)
    stints = check_int(stints, "stints", caller, minimum=1)
    signal = check_bool(signal, "signal", caller)
    rng = np.random.default_rng(seed)

    technical = [code for code, _ in TECHNICAL_COMPETENCIES[: n_families * _TECHNICAL_PER_FAMILY]]
    codes = [*_SKJ_CODES, *technical]
    n_codes = len(codes)
    families = [f"T{f + 1}" for f in range(n_families)]

    # Family profiles: SKJ at a family level (2-5, varied per competency), own technical ones.
    profile = np.full((n_families, n_codes), np.nan)
    for f in range(n_families):
        skj = 3 + f % 2 + rng.integers(-1, 2, len(_SKJ_CODES))
        profile[f, : len(_SKJ_CODES)] = np.clip(skj, 2, 5)
        first = len(_SKJ_CODES) + f * _TECHNICAL_PER_FAMILY
        own = slice(first, first + _TECHNICAL_PER_FAMILY)
        profile[f, own] = rng.integers(3, 5, _TECHNICAL_PER_FAMILY)
    weights = _true_weights(true_weights, profile, families, codes, rng, caller)

    family_of = np.arange(n_positions) % n_families
    standard = profile[family_of].copy()
    moved = rng.random(standard.shape) < 0.15
    standard = np.where(
        moved & ~np.isnan(standard),
        np.clip(standard + rng.choice([-1.0, 1.0], standard.shape), 1, 5),
        standard,
    )
    position_ids = np.array([f"POS-{j + 1:05d}" for j in range(n_positions)], dtype=object)
    classes = np.array(["Administrator", "Pengawas", "Ahli Muda"], dtype=object)
    positions = pd.DataFrame(
        {
            "position_id": position_ids,
            "title": [f"Jabatan {families[f]}-{j + 1}" for j, f in enumerate(family_of)],
            "unit": "Pemerintah Kabupaten",
            "class": classes[rng.integers(0, len(classes), n_positions)],
            "seats": 1,
            "min_rank": "III/a",
            "min_education": "S1",
            "info_family": np.array(families, dtype=object)[family_of],
        }
    )
    assert list(positions.columns[: len(POSITION_COLUMNS)]) == list(POSITION_COLUMNS)
    positions = pd.concat([positions, pd.DataFrame(standard, columns=codes)], axis=1)

    # Stints: employee e's stint s, in a random position; levels grow a little with time.
    n_records = n_employees * stints
    employee = np.repeat(np.arange(n_employees), stints)
    stint = np.tile(np.arange(stints), n_employees)
    held = rng.integers(0, n_positions, n_records)
    ability = rng.normal(3.0, 0.9, (n_employees, n_codes))
    levels = np.clip(
        np.rint(
            ability[employee] + 0.25 * stint[:, None] + rng.normal(0, 0.5, (n_records, n_codes))
        ),
        1,
        5,
    )
    if signal:
        pair_weights = np.nan_to_num(weights.to_numpy()[family_of[held]], nan=0.0)
        jpm = jpm_contributions(levels, standard[held], weights=pair_weights).sum(axis=1)
        outcome = _BASE + _SLOPE * jpm + rng.normal(0, noise, n_records)
    else:
        outcome = 75.0 + rng.normal(0, max(noise, 1.0), n_records)
    years = rng.integers(2, 5, (n_employees, stints)).cumsum(axis=1) - 2
    start_year = _FIRST_YEAR + years.ravel()
    start = pd.to_datetime(pd.DataFrame({"year": start_year, "month": 1, "day": 2}))
    next_start = start.shift(-1) - pd.Timedelta(days=1)
    end = next_start.where(stint < stints - 1)
    history = pd.DataFrame(
        {
            "employee_id": [f"EMP-{e + 1:06d}" for e in employee],
            "position_id": position_ids[held],
            "start": start.dt.strftime("%Y-%m-%d"),
            "end": end.dt.strftime("%Y-%m-%d"),
            "outcome": np.clip(outcome, 0, 100).round(1),
        }
    )
    history = pd.concat([history, pd.DataFrame(levels, columns=codes)], axis=1)
    return history, positions, weights


def _true_weights(
    given: pd.DataFrame | None,
    profile: np.ndarray,
    families: list[str],
    codes: list[str],
    rng: np.random.Generator,
    caller: str,
) -> pd.DataFrame:
    required = ~np.isnan(profile)
    if given is None:
        drawn = rng.gamma(2.0, 1.0, profile.shape)
        drawn = np.where(required, drawn, np.nan)
        drawn /= np.nanmean(drawn, axis=1, keepdims=True)
        return pd.DataFrame(drawn, index=pd.Index(families, name="family"), columns=codes)
    expected = f"a DataFrame with index {families} and columns {codes}, >= 0 where required"
    if not isinstance(given, pd.DataFrame):
        raise InvalidParameterError("true_weights", caller, expected, type(given))
    try:
        values = given.reindex(index=families, columns=codes).to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError("true_weights", caller, expected, given) from None
    bad = required & ~(np.isfinite(values) & (values >= 0))
    if bad.any() or (np.where(required, values, 0).sum(axis=1) <= 0).any():
        raise InvalidParameterError("true_weights", caller, expected, given)
    values = np.where(required, values, np.nan)
    return pd.DataFrame(values, index=pd.Index(families, name="family"), columns=codes)
