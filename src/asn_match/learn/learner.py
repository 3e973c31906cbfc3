r"""The job expectation learned from outcomes: competency weights per job family, by evidence.

The model
---------
For a record of an employee with assessed levels :math:`a_k` in a position with standard levels
:math:`r_k` of job family :math:`f`, the outcome (the SKP rating that followed, on 0-100) is
modelled as

.. math::

    y = \alpha_f + \beta_f \, \mathrm{JPM}_{w_f}(a, r), \qquad
    \mathrm{JPM}_{w}(a, r) = 100 \, \frac{\sum_k w_k \min(a_k, r_k)}{\sum_k w_k r_k},

the weighted capped JPM that scoring uses (``sum_ratio``, capped; :mod:`asn_match.kernels.jpm`
computes it), with non-negative weights :math:`w_f` and :math:`\beta_f \ge 0`: a better match
never predicts a worse outcome. The weights are scale-free (JPM does not change when every
weight of a position is multiplied by the same constant), so they are reported with mean 1 over
the competencies the family requires.

How it is fitted, and why this way
----------------------------------
For given weights, :math:`\alpha_f` and :math:`\beta_f` are the least-squares line of the
outcome on the JPM, so the squared error left is :math:`S_{yy} - \mathrm{cov}^2/\mathrm{var}`
(sums over the family's records, :math:`\beta \ge 0`): the best weights are those under which
the JPM correlates best with the outcome. The weights minimise that error plus a ridge toward
the prior,

.. math::

    \min_{w \ge 0}\ S_{yy}
    - \frac{\mathrm{cov}(y, \mathrm{JPM}_w)_+^2}{\mathrm{var}(\mathrm{JPM}_w)}
    + \lambda\, u \sum_k m_k (w_k - w^0_k)^2,

where :math:`w^0` is the prior (the weights typed in, or uniform, on the mean-1 scale),
:math:`m_k` the mean square of competency :math:`k`'s centred JPM term under the prior and
:math:`u = \mathrm{var}(y) / \mathrm{var}(\mathrm{JPM}_{w^0})`, so that :math:`\lambda` counts
outcomes: the prior weighs about as much as :math:`\lambda` records. :math:`\lambda = 0` is the
fit on the data alone; :math:`\lambda = \infty` keeps the prior exactly.

Why not ``nnls`` or ``lsq_linear``: the JPM is a ratio in the weights (they appear in the
denominator :math:`\sum_k w_k r_k` too), so no linear least-squares problem is the JPM model
except where every position of a family has the same standard. Linearising it (fixed
denominators, then NNLS on :math:`\beta w`, repeated) was tried: on the synthetic histories
it needed 20 to 70 rounds per fit and still drifted by a factor of two on weakly identified
competencies. So the exact objective is minimised, with its analytic gradient, by L-BFGS-B with
the bounds :math:`w_k \ge 0` (``scipy.optimize.minimize``). Every sum it needs is taken once per
distinct standard profile (:math:`\sum_i t_i`, :math:`\sum_i t_i t_i^\top`,
:math:`\sum_i t_i y_i` of the unit-weight capped terms :math:`t_i` that
:func:`asn_match.kernels.jpm.jpm_contributions` gives), so an evaluation costs the same for 100
records as for 100,000, and a bootstrap resample is the same sums with multiplicities.

Choosing the shrinkage
----------------------
:math:`\lambda` is chosen per family by cross-validation grouped by employee
(``GroupKFold``): the records of one employee are never split between fitting and scoring, so
an employee's own stable traits cannot leak into the score. The value with the least mean
held-out squared error is kept, except that the prior (:math:`\lambda = \infty`) is kept
whenever its error is within one standard error of that best one: when the data do not clearly
beat the prior, the prior stays. With outcomes that are pure noise, that is what happens.

What it reports, and its honest limits
--------------------------------------
- Bootstrap intervals per weight (employees resampled, the chosen :math:`\lambda` refitted); a
  weight whose interval contains its prior value is flagged ``includes_prior``: the history does
  not show it differs from what was typed in.
- The held-out predictive gain: employees split once into fitting and test (``test_size``), the
  whole procedure (choice of :math:`\lambda` included) run on the fitting part, and the
  :math:`R^2` of the learned weights compared with that of the prior weights on the test part.
- A family with fewer than ``min_outcomes`` records keeps its prior, and says so.
- **Selection bias.** The history records outcomes only for the people who were placed, in the
  positions they were placed in. If past placements favoured people with certain strengths
  for certain posts, the outcomes say little about how others would have done there, and a
  competency that everyone placed somewhere already had cannot show its importance there. The
  learned weights describe the placements that happened, not what would happen under a
  different placement; read them as evidence to discuss, not as a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from .._checks import check_choice, check_int, check_real
from ..errors import InputError, InvalidParameterError, Problem
from ..kernels.jpm import jpm_contributions
from .families import JobFamilies, job_families, require_sklearn

require_sklearn("asn_match.learn.learner")

from sklearn.base import BaseEstimator, RegressorMixin  # noqa: E402  (after the check above)
from sklearn.model_selection import GroupKFold, GroupShuffleSplit  # noqa: E402
from sklearn.utils import check_random_state  # noqa: E402
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402  (a scikit-learn dependency)

__all__ = [
    "DEFAULT_SHRINKAGE_GRID",
    "SELECTION_BIAS",
    "ExpectationLearner",
    "LearnedExpectation",
    "learn_expectation",
]

#: The shrinkage values cross-validation chooses from, in outcomes (``inf``: the prior's shape).
DEFAULT_SHRINKAGE_GRID: tuple[float, ...] = (0.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, math.inf)

#: The selection-bias caveat, in plain words, as reports print it.
SELECTION_BIAS = (
    "Outcomes exist only for people who were placed, in the positions they were placed in. If "
    "past placements favoured certain strengths for certain posts, the history cannot show how "
    "others would have done there, so the learned weights describe past placements, not what a "
    "different placement would bring. Treat them as evidence to discuss, not as a verdict."
)

_ALL = "all"
# A tiny ridge where the grid says 0: directions the data leave undetermined (a competency
# whose capped level never varies) go to the prior instead of an arbitrary vertex.
_TINY = 1e-9
# The least weighted standard sum of a profile (levels are >= 1 where required, weights mean 1).
_FLOOR = 1e-9


# ------------------------------------------------------------------------------------ numerics


@dataclass(frozen=True)
class _Fit:
    """One family's fit: weights (mean 1 over its competencies), intercept and slope."""

    weights: NDArray[np.float64]  # (K_active,)
    intercept: float
    slope: float


@dataclass
class _Stats:
    """Sums over records by standard profile: all the fit needs, whatever the number of records.

    With ``t_i`` the capped terms of record ``i`` (unit weights) and ``p`` its profile:
    ``t_sum[p] = sum t_i``, ``tt[p] = sum t_i t_i'``, ``ty[p] = sum t_i y_i``.
    """

    n: float
    y_sum: float
    yy_sum: float
    t_sum: NDArray  # (P, K)
    tt: NDArray  # (P, K, K)
    ty: NDArray  # (P, K)
    standard: NDArray  # (P, K)
    unit_sum: NDArray  # (P,)


@dataclass
class _FamilyData:
    """One family's records: the capped terms of the JPM kernel, by standard profile.

    ``terms[i, k] = 100 min(a_ik, r_ik) / sum_k r_ik`` (the kernel's contributions at unit
    weights); ``profile[i]`` indexes the distinct standard rows of the family, whose levels (0
    where not required) are ``standard[p]`` and whose sums are ``unit_sum[p]``. The JPM of
    record ``i`` under weights ``w`` is ``unit_sum[p] * (w @ terms[i]) / (w @ standard[p])``.
    """

    terms: NDArray  # (n, K_active)
    y: NDArray  # (n,)
    groups: NDArray  # (n,)
    profile: NDArray[np.intp]  # (n,)
    standard: NDArray  # (P, K_active)
    unit_sum: NDArray  # (P,)

    def take(self, idx: NDArray) -> _FamilyData:
        return _FamilyData(
            self.terms[idx], self.y[idx], self.groups[idx], self.profile[idx], self.standard,
            self.unit_sum,
        )  # fmt: skip

    def stats(self, weight: NDArray | None = None) -> _Stats:
        """Sufficient statistics of the records (with multiplicities ``weight``) by profile."""
        n_profiles, k = self.standard.shape
        v = np.ones(len(self.y)) if weight is None else weight
        vt = self.terms * v[:, None]
        t_sum = np.zeros((n_profiles, k))
        ty = np.zeros((n_profiles, k))
        np.add.at(t_sum, self.profile, vt)
        np.add.at(ty, self.profile, vt * self.y[:, None])
        order = np.argsort(self.profile, kind="stable")
        bounds = np.searchsorted(self.profile[order], np.arange(n_profiles + 1))
        tt = np.zeros((n_profiles, k, k))
        for p in range(n_profiles):
            rows = order[bounds[p] : bounds[p + 1]]
            if len(rows):
                tt[p] = vt[rows].T @ self.terms[rows]
        return _Stats(
            float(v.sum()), float(v @ self.y), float(v @ (self.y * self.y)), t_sum, tt, ty,
            self.standard, self.unit_sum,
        )  # fmt: skip

    def jpm(self, w: NDArray) -> NDArray:
        """The weighted capped JPM of every record, shape (n,)."""
        weighted = self.standard @ w
        scale = np.divide(self.unit_sum, weighted, out=np.zeros_like(weighted), where=weighted > 0)
        return scale[self.profile] * (self.terms @ w)

    def predict(self, fit: _Fit) -> NDArray:
        return fit.intercept + fit.slope * self.jpm(fit.weights)


def _check_levels(levels: NDArray) -> None:
    if (levels < 0).any():
        raise ValueError(
            "Negative values in data passed to ExpectationLearner: assessed levels must be >= 0."
        )


def _moments(stats: _Stats, w: NDArray, *, gradient: bool):
    """Variance of JPM, its covariance with y (both times n) and their gradients in ``w``."""
    # A profile whose required competencies all weigh 0 has no JPM; the floor keeps its terms
    # at 0 (they carry the weights as factors) instead of 0/0.
    d = np.maximum(stats.standard @ w, _FLOOR)
    s = stats.unit_sum / d
    u = stats.t_sum @ w
    sw = stats.tt @ w  # (P, K)
    q = sw @ w
    v = stats.ty @ w
    n, sy = stats.n, stats.y_sum
    sj, sjj, sjy = s @ u, (s * s) @ q, s @ v
    var = sjj - sj * sj / n
    cov = sjy - sj * sy / n
    if not gradient:
        return var, cov, None, None
    ratio = stats.standard / d[:, None]  # d s_p / d w = -s_p * r_p / d_p
    d_sj = s @ stats.t_sum - (s * u) @ ratio
    d_sjj = 2 * ((s * s) @ sw - (s * s * q) @ ratio)
    d_sjy = s @ stats.ty - (s * v) @ ratio
    return var, cov, d_sjj - 2 * sj * d_sj / n, d_sjy - sy * d_sj / n


def _fit_family(stats: _Stats, lam: float, prior: NDArray, start: NDArray | None = None) -> _Fit:
    """The weights minimising the squared error plus the ridge toward the prior (docstring)."""
    y_mean = stats.y_sum / stats.n
    syy = stats.yy_sum - stats.y_sum * y_mean
    if not math.isinf(lam) and syy > 0:
        var0, _, _, _ = _moments(stats, prior, gradient=False)
        # One outcome's worth of penalty: the change of the prediction that a weight change
        # makes, relative to the spread of the prior's JPM, in units of the outcome variance.
        unit = (syy / stats.n) / max(var0 / stats.n, 1e-300)
        strength = max(lam, _TINY) * unit * _prior_spread(stats, prior)

        def objective(w: NDArray) -> tuple[float, NDArray]:
            var, cov, d_var, d_cov = _moments(stats, w, gradient=True)
            gap = w - prior
            value = float(strength @ (gap * gap))
            grad = 2 * strength * gap
            if cov > 0 and var > 0:
                value -= cov * cov / var
                grad = grad - (2 * cov * d_cov * var - cov * cov * d_var) / (var * var)
            return value, grad

        x0 = prior if start is None else start
        result = minimize(
            objective, x0, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * len(prior),
            options={"maxiter": 500, "ftol": 1e-10, "gtol": 1e-7},
        )  # fmt: skip
        w = np.asarray(result.x, dtype=np.float64)
        if not w.sum() > 0 or not np.isfinite(w).all():
            w = prior
    else:
        w = prior
    var, cov, _, _ = _moments(stats, w, gradient=False)
    if not (cov > 0 and var > 0):  # outcomes do not rise with JPM: nothing to learn
        return _Fit(prior, y_mean, 0.0)
    slope = cov / var
    w = w * (len(w) / w.sum())
    mean_jpm = float((stats.unit_sum / np.maximum(stats.standard @ w, _FLOOR)) @ (stats.t_sum @ w))
    mean_jpm /= stats.n
    return _Fit(w, y_mean - slope * mean_jpm, slope)


def _prior_spread(stats: _Stats, prior: NDArray) -> NDArray:
    """Per competency, the mean square of its centred JPM term at the prior weights."""
    d = stats.standard @ prior
    s = stats.unit_sum / d
    n = stats.n
    mean = (s @ stats.t_sum) / n
    square = np.einsum("p,pkk->k", s * s, stats.tt) / n
    spread = np.maximum(square - mean * mean, 0.0)
    fallback = spread.max() if spread.max() > 0 else 1.0
    return np.where(spread > 0, spread, fallback)


def _mse(y: NDArray, predicted: NDArray) -> float:
    return float(np.mean((y - predicted) ** 2))


def _r2(y: NDArray, predicted: NDArray) -> float:
    total = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - float(np.sum((y - predicted) ** 2)) / total if total > 0 else 0.0


# ----------------------------------------------------------------------------------- estimator


class ExpectationLearner(RegressorMixin, BaseEstimator):  # type: ignore[misc]
    """Learn the job expectation (competency weights per job family) from placement outcomes.

    A scikit-learn regressor: the outcome of a record is predicted as ``intercept + slope *
    JPM``, the weighted capped JPM of the employee's levels against the standard of the
    position held, with non-negative weights per competency and job family, shrunk toward the
    prior weights by an amount chosen by cross-validation grouped by employee. The fit, its
    reasons and its limits (selection bias among them) are in the module docstring of
    :mod:`asn_match.learn.learner`. :func:`learn_expectation` runs the whole loop from a history
    file and a positions file.

    Parameters
    ----------
    prior : array-like of shape (n_competencies,), mapping of family to such arrays, or None
        The prior weights (the job expectation typed in); scale-free. Default None: uniform.
    shrinkage : "cv" or float, default "cv"
        The ridge toward the prior, in outcomes (``math.inf``: the prior exactly); ``"cv"``:
        chosen per family from ``shrinkage_grid`` by cross-validation grouped by employee, the
        prior kept unless the best value beats it by more than one standard error.
    shrinkage_grid : sequence of float, default DEFAULT_SHRINKAGE_GRID
        Values >= 0 (``inf`` allowed) that cross-validation chooses from.
    cv : int, default 5
        Folds of the grouped cross-validation, >= 2 (fewer when a family has fewer employees).
    min_outcomes : int, default 200
        A family with fewer records keeps its prior weights (only intercept and slope are fitted).
    n_bootstrap : int, default 200
        Bootstrap resamples (of employees) for the weight intervals; 0 skips them.
    confidence : float, default 0.9
        Coverage of the bootstrap intervals, in (0, 1).
    test_size : float, default 0.2
        Share of employees held out to measure the predictive gain over the prior; 0 skips it.
    random_state : int, RandomState or None, default None
        Seeds the bootstrap and the held-out split.

    Attributes
    ----------
    n_features_in_, n_competencies_ : int
        The competencies (columns of X).
    competencies_ : ndarray of str, shape (n_competencies,)
        Names of the competencies: X's column names, or ``k0``, ``k1``, ...
    reference_level_ : float
        The highest level in the fitted X: the standard of every competency when ``standard``
        is not given.
    families_ : ndarray of shape (n_families,), dtype object
    weights_ : ndarray of shape (n_families, n_competencies)
        Learned weights, mean 1 over the competencies each family requires; NaN elsewhere.
    prior_weights_ : ndarray of shape (n_families, n_competencies)
        The prior on the same scale.
    intervals_ : ndarray of shape (n_families, n_competencies, 2)
        Bootstrap interval of each weight (NaN without bootstrap).
    intercept_, slope_ : ndarray of shape (n_families,)
    shrinkage_ : ndarray of shape (n_families,)
        The shrinkage used per family (``inf`` where the prior's shape was kept).
    cv_results_ : dict of family to DataFrame
        Mean and standard error of the held-out squared error per shrinkage.
    summary_ : DataFrame
        One row per family: ``family``, ``n_outcomes``, ``n_employees``, ``status``,
        ``shrinkage``, ``r2_prior``, ``r2_learned``, ``gain`` (held-out), ``note``.
    weights_table_ : DataFrame
        One row per family and required competency: ``family``, ``competency``, ``prior``,
        ``weight``, ``low``, ``high``, ``includes_prior``.
    heldout_gain_ : float
        Held-out R^2 of the learned weights minus that of the prior, over all families (NaN when
        ``test_size=0``).

    Notes
    -----
    ``fit(X, y, standard=..., groups=..., family=...)``: X holds the assessed levels,
    ``standard`` the standard levels of the position each record held (as ``sample_weight``
    would, one row per record), ``groups`` the employee ids (records of one employee never
    straddle a fold; default: every record its own group), ``family`` the job family of each
    record (default: one family). ``predict`` and ``score`` take the same ``standard`` and
    ``family``. Standard levels of 0 or NaN mean "not required".

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> levels = rng.integers(1, 6, (2000, 3)).astype(float)
    >>> standard = np.full((2000, 3), 4.0)
    >>> capped = np.minimum(levels, standard)
    >>> y = 20 + 0.7 * 100 * (capped @ [3.0, 1.0, 0.0]) / (standard @ [3.0, 1.0, 0.0])
    >>> learner = ExpectationLearner(n_bootstrap=0, random_state=0)
    >>> learner = learner.fit(levels, y + rng.normal(0, 2, 2000), standard=standard)
    >>> learner.weights_.round()  # the true weights 3, 1, 0 on the mean-1 scale: 2.25, 0.75, 0
    array([[2., 1., 0.]])
    """

    def __init__(
        self,
        *,
        prior: ArrayLike | Mapping[Any, ArrayLike] | None = None,
        shrinkage: str | float = "cv",
        shrinkage_grid: Sequence[float] = DEFAULT_SHRINKAGE_GRID,
        cv: int = 5,
        min_outcomes: int = 200,
        n_bootstrap: int = 200,
        confidence: float = 0.9,
        test_size: float = 0.2,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.prior = prior
        self.shrinkage = shrinkage
        self.shrinkage_grid = shrinkage_grid
        self.cv = cv
        self.min_outcomes = min_outcomes
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.test_size = test_size
        self.random_state = random_state

    # -------------------------------------------------------------------- scikit-learn tags

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Levels are >= 0 (JPM is undefined for negative levels).
        tags.input_tags.positive_only = True
        # A one-index model (the outcome rises with JPM) cannot fit arbitrary regression data.
        tags.regressor_tags.poor_score = True
        return tags

    # ------------------------------------------------------------------------------ checks

    def _check_options(self) -> tuple[str | float, tuple[float, ...]]:
        caller = "ExpectationLearner"
        if isinstance(self.shrinkage, str):
            shrinkage: str | float = check_choice(self.shrinkage, "shrinkage", caller, ("cv",))
        else:
            try:
                shrinkage = float(self.shrinkage)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                shrinkage = -1.0
            if not shrinkage >= 0:
                raise InvalidParameterError(
                    "shrinkage", caller, "'cv' or a number >= 0 (math.inf allowed)", self.shrinkage
                )
        try:
            grid = tuple(float(v) for v in self.shrinkage_grid)
        except (TypeError, ValueError):
            grid = ()
        if not grid or any(not v >= 0 for v in grid):
            raise InvalidParameterError(
                "shrinkage_grid", caller, "a non-empty sequence of numbers >= 0 (inf allowed)",
                self.shrinkage_grid,
            )  # fmt: skip
        check_int(self.cv, "cv", caller, minimum=2)
        check_int(self.min_outcomes, "min_outcomes", caller, minimum=1)
        check_int(self.n_bootstrap, "n_bootstrap", caller, minimum=0)
        confidence = check_real(self.confidence, "confidence", caller, minimum=0, maximum=1)
        if not 0 < confidence < 1:
            raise InvalidParameterError("confidence", caller, "a number in (0, 1)", confidence)
        test_size = check_real(self.test_size, "test_size", caller, minimum=0, maximum=1)
        if test_size >= 1:
            raise InvalidParameterError("test_size", caller, "a number in [0, 1)", test_size)
        return shrinkage, tuple(sorted(set(grid)))

    def _check_standard(self, standard: ArrayLike | None, n: int, k: int, caller: str) -> NDArray:
        """Standard levels of each record's position, shape (n, K), 0 where not required."""
        if standard is None:
            return np.full((n, k), float(self.reference_level_))
        try:
            array = np.asarray(standard, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is None or array.shape != (n, k):
            raise InvalidParameterError(
                "standard", caller,
                f"an array-like of shape ({n}, {k}): the standard levels of the position each "
                "record held, NaN or 0 where not required",
                type(standard) if array is None else f"an array of shape {array.shape}",
            )  # fmt: skip
        if np.isinf(array).any() or (array < 0).any():
            raise ValueError(
                f"The 'standard' parameter of {caller} must hold levels >= 0 or NaN (not "
                "required); it holds negative or infinite values."
            )
        standard0 = np.nan_to_num(array, nan=0.0)
        empty = ~(standard0 > 0).any(axis=1)
        if empty.any():
            raise ValueError(
                f"Every record's position must require some competency (a standard level > 0); "
                f"the standard rows {np.flatnonzero(empty)[:10].tolist()} require none."
            )
        return standard0

    def _labels(self, family: ArrayLike | None, n: int, caller: str) -> NDArray:
        if family is None:
            return np.full(n, _ALL, dtype=object)
        labels = np.asarray(family, dtype=object)
        if labels.shape != (n,):
            raise InvalidParameterError(
                "family", caller, f"an array-like of shape ({n},), one family per record",
                family,
            )  # fmt: skip
        return labels

    def _prior_of(self, family: object, k: int) -> NDArray:
        caller = "ExpectationLearner"
        prior = self.prior
        if isinstance(prior, Mapping):
            prior = prior.get(family)
        if prior is None:
            return np.ones(k)
        values = np.asarray(prior, dtype=np.float64)
        if values.shape != (k,) or not np.isfinite(values).all() or (values < 0).any():
            raise InvalidParameterError(
                "prior", caller,
                f"None, an array of {k} finite weights >= 0, or a mapping of family to such",
                self.prior,
            )  # fmt: skip
        return values

    # --------------------------------------------------------------------------------- fit

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        standard: ArrayLike | None = None,
        groups: ArrayLike | None = None,
        family: ArrayLike | None = None,
    ) -> ExpectationLearner:
        """Fit the weights of every family.

        Parameters
        ----------
        X : array-like of shape (n_records, n_competencies)
            The levels assessed at placement, >= 0.
        y : array-like of shape (n_records,)
            The outcomes (e.g. SKP on 0-100).
        standard : array-like of shape (n_records, n_competencies), optional
            The standard levels of the position each record held (0 or NaN: not required).
            Default: one position requiring every competency at the highest level in X.
        groups : array-like of shape (n_records,), optional
            Employee ids: cross-validation, bootstrap and the held-out split keep each
            employee's records together. Default: every record its own group.
        family : array-like of shape (n_records,), optional
            Job family of each record. Default: one family.

        Returns
        -------
        self
        """
        # Every matrix here is K x K or P x K: BLAS threads only contend (measured: the bounded
        # optimiser ran 50x slower on a loaded 2-core machine with them).
        with threadpool_limits(limits=1):
            return self._fit(X, y, standard=standard, groups=groups, family=family)

    def _fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        standard: ArrayLike | None,
        groups: ArrayLike | None,
        family: ArrayLike | None,
    ) -> ExpectationLearner:
        shrinkage, grid = self._check_options()
        levels, target = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        _check_levels(levels)
        names = getattr(self, "feature_names_in_", None)
        n, k = levels.shape
        top = float(levels.max()) if levels.size else 0.0
        self.reference_level_ = top if top > 0 else 1.0
        standard0 = self._check_standard(standard, n, k, "ExpectationLearner.fit")
        labels = self._labels(family, n, "ExpectationLearner.fit")
        group_ids = (
            np.arange(n) if groups is None else pd.factorize(np.asarray(groups, dtype=object))[0]
        )
        if len(group_ids) != n:
            raise InvalidParameterError(
                "groups", "ExpectationLearner.fit", f"an array-like of shape ({n},)", groups
            )
        rng = check_random_state(self.random_state)
        self.n_competencies_ = k
        self.competencies_ = np.array(
            [str(c) for c in names[:k]] if names is not None else [f"k{i}" for i in range(k)],
            dtype=object,
        )
        standard = np.where(standard0 > 0, standard0, np.nan)
        # The capped terms come from the JPM kernel itself, at unit weights; the learned weights
        # enter through the denominators only (module docstring).
        terms = jpm_contributions(levels, standard)
        families = np.array(sorted(set(labels.tolist()), key=str), dtype=object)
        self.families_ = families
        n_fam = len(families)
        self.weights_ = np.full((n_fam, k), np.nan)
        self.prior_weights_ = np.full((n_fam, k), np.nan)
        self.intervals_ = np.full((n_fam, k, 2), np.nan)
        self.intercept_ = np.zeros(n_fam)
        self.slope_ = np.zeros(n_fam)
        self.shrinkage_ = np.full(n_fam, math.inf)
        self.cv_results_: dict[Any, pd.DataFrame] = {}
        self._active: list[NDArray[np.intp]] = []
        rows_summary, rows_table = [], []
        heldout_y, heldout_prior, heldout_learned = [], [], []
        for f, name in enumerate(families):
            rows = np.flatnonzero(labels == name)
            active = np.flatnonzero((standard0[rows] > 0).any(axis=0))
            self._active.append(active)
            prior_full = self._prior_of(name, k)
            prior = prior_full[active]
            if prior.sum() <= 0:
                prior = np.ones(len(active))
            prior = prior * (len(prior) / prior.sum())
            profiles, profile = np.unique(
                standard0[np.ix_(rows, active)], axis=0, return_inverse=True
            )
            data = _FamilyData(
                terms[np.ix_(rows, active)], target[rows], group_ids[rows], profile.ravel(),
                profiles, profiles.sum(axis=1),
            )  # fmt: skip
            stats = data.stats()
            n_groups = len(np.unique(data.groups))
            status, note = "learned", ""
            if len(rows) < self.min_outcomes:
                fit = _fit_family(stats, math.inf, prior)
                lam = math.inf
                status = "prior kept"
                note = (
                    f"too little history: {len(rows)} outcomes, fewer than min_outcomes="
                    f"{self.min_outcomes}; the prior weights are kept."
                )
            else:
                lam = self._choose(data, prior, shrinkage, grid, f, name)
                fit = _fit_family(stats, lam, prior)
                if math.isinf(lam) or fit.slope == 0:
                    status = "prior kept"
                    note = (
                        "outcomes do not rise with JPM here; the prior weights are kept."
                        if fit.slope == 0
                        else "the history does not predict outcomes better than the prior "
                        "(cross-validation chose the prior); the prior weights are kept."
                    )
                    fit = _Fit(prior, fit.intercept, fit.slope)
            self.shrinkage_[f] = lam
            self.weights_[f, active] = fit.weights
            self.prior_weights_[f, active] = prior
            self.intercept_[f], self.slope_[f] = fit.intercept, fit.slope
            if status == "learned" and self.n_bootstrap and n_groups >= 2:
                self.intervals_[f, active] = self._bootstrap(data, lam, prior, fit.weights, rng)
            elif status == "prior kept":
                self.intervals_[f, active] = np.column_stack([prior, prior])
            r2_prior = r2_learned = math.nan
            if self.test_size > 0 and n_groups >= 5:
                y_test, p_prior, p_learned = self._heldout(
                    data, prior, shrinkage if status == "learned" else math.inf, grid, rng
                )
                r2_prior, r2_learned = _r2(y_test, p_prior), _r2(y_test, p_learned)
                heldout_y.append(y_test)
                heldout_prior.append(p_prior)
                heldout_learned.append(p_learned)
            rows_summary.append(
                {
                    "family": name,
                    "n_outcomes": len(rows),
                    "n_employees": n_groups,
                    "status": status,
                    "shrinkage": lam,
                    "r2_prior": r2_prior,
                    "r2_learned": r2_learned,
                    "gain": r2_learned - r2_prior,
                    "note": note,
                }
            )
            low, high = self.intervals_[f, active, 0], self.intervals_[f, active, 1]
            for j, code in enumerate(self.competencies_[active]):
                rows_table.append(
                    {
                        "family": name,
                        "competency": code,
                        "prior": prior[j],
                        "weight": fit.weights[j],
                        "low": low[j],
                        "high": high[j],
                        "includes_prior": bool(low[j] <= prior[j] <= high[j])
                        if np.isfinite(low[j])
                        else False,
                    }
                )
        self.summary_ = pd.DataFrame(rows_summary)
        self.weights_table_ = pd.DataFrame(
            rows_table,
            columns=["family", "competency", "prior", "weight", "low", "high", "includes_prior"],
        )
        if heldout_y:
            y_all = np.concatenate(heldout_y)
            self.heldout_gain_ = _r2(y_all, np.concatenate(heldout_learned)) - _r2(
                y_all, np.concatenate(heldout_prior)
            )
        else:
            self.heldout_gain_ = math.nan
        return self

    def _folds(self, data: _FamilyData) -> list[tuple[NDArray, NDArray]]:
        n_groups = len(np.unique(data.groups))
        n_splits = min(int(self.cv), n_groups)
        if n_splits < 2:
            return []
        return list(GroupKFold(n_splits=n_splits).split(data.y, groups=data.groups))

    def _choose(
        self,
        data: _FamilyData,
        prior: NDArray,
        shrinkage: str | float,
        grid: tuple[float, ...],
        f: int | None,
        name: object,
    ) -> float:
        """The shrinkage: given, or by grouped CV, the prior kept unless beaten by one SE."""
        if shrinkage != "cv":
            return float(shrinkage)
        folds = self._folds(data)
        if not folds:
            return math.inf
        errors = np.empty((len(grid), len(folds)))
        for j, (train, test) in enumerate(folds):
            stats, held = data.take(train).stats(), data.take(test)
            start = None
            # From the least shrunk to the most, each fit starting where the last one ended.
            for i, lam in enumerate(grid):
                fit = _fit_family(stats, lam, prior, start)
                start = fit.weights if fit.slope > 0 else None
                errors[i, j] = _mse(held.y, held.predict(fit))
        mean = errors.mean(axis=1)
        se = errors.std(axis=1, ddof=1) / math.sqrt(len(folds))
        best = int(np.argmin(mean))
        # The prior is kept unless the best shrinkage beats it by more than one standard error.
        keep_prior = math.isinf(grid[-1]) and mean[-1] <= mean[best] + se[best]
        chosen = grid[-1] if keep_prior else grid[best]
        if f is not None:
            self.cv_results_[name] = pd.DataFrame(
                {"shrinkage": grid, "mse": mean, "se": se, "chosen": np.array(grid) == chosen}
            )
        return chosen

    def _bootstrap(
        self,
        data: _FamilyData,
        lam: float,
        prior: NDArray,
        start: NDArray,
        rng: np.random.RandomState,
    ) -> NDArray:
        """Percentile intervals of the weights over employee resamples, shape (K_active, 2)."""
        _, members = np.unique(data.groups, return_inverse=True)
        members = members.ravel()
        n_groups = int(members.max()) + 1
        draws = np.empty((int(self.n_bootstrap), len(prior)))
        for b in range(int(self.n_bootstrap)):
            # Employees drawn with replacement, as multiplicities of their records.
            drawn = np.bincount(rng.randint(0, n_groups, n_groups), minlength=n_groups)
            draws[b] = _fit_family(
                data.stats(drawn[members].astype(float)), lam, prior, start
            ).weights
        tail = (1 - float(self.confidence)) / 2
        return np.quantile(draws, [tail, 1 - tail], axis=0).T

    def _heldout(
        self,
        data: _FamilyData,
        prior: NDArray,
        shrinkage: str | float,
        grid: tuple[float, ...],
        rng: np.random.RandomState,
    ) -> tuple[NDArray, NDArray, NDArray]:
        """Outcomes of held-out employees and their predictions by the prior and the learner."""
        split = GroupShuffleSplit(
            n_splits=1, test_size=float(self.test_size), random_state=rng.randint(2**31 - 1)
        )
        train, test = next(split.split(data.y, groups=data.groups))
        part, held = data.take(train), data.take(test)
        stats = part.stats()
        lam = self._choose(part, prior, shrinkage, grid, None, None)
        learned = _fit_family(stats, lam, prior)
        if learned.slope == 0:
            learned = _Fit(prior, learned.intercept, 0.0)
        baseline = _fit_family(stats, math.inf, prior)
        return held.y, held.predict(baseline), held.predict(learned)

    # ----------------------------------------------------------------------------- predict

    def predict(
        self,
        X: ArrayLike,
        *,
        standard: ArrayLike | None = None,
        family: ArrayLike | None = None,
    ) -> NDArray[np.float64]:
        """Predicted outcomes: ``intercept + slope * JPM`` with each family's learned weights.

        Parameters
        ----------
        X : array-like of shape (n_records, n_competencies)
            Assessed levels, >= 0.
        standard : array-like of shape (n_records, n_competencies), optional
            As in :meth:`fit`.
        family : array-like of shape (n_records,), optional
            Default: the one family of a fit without families.

        Returns
        -------
        ndarray of shape (n_records,)
        """
        check_is_fitted(self, "weights_")
        levels = validate_data(self, X, reset=False, dtype=np.float64)
        _check_levels(levels)
        n = len(levels)
        standard0 = self._check_standard(
            standard, n, self.n_competencies_, "ExpectationLearner.predict"
        )
        labels = self._labels(family, n, "ExpectationLearner.predict")
        index = {name: f for f, name in enumerate(self.families_)}
        unknown = sorted({str(v) for v in labels.tolist() if v not in index})
        if unknown:
            raise ValueError(
                f"families not seen in fit: {', '.join(unknown[:10])}; pass family= with the "
                f"families of the fit ({', '.join(map(str, self.families_[:10]))})."
            )
        codes = np.array([index[v] for v in labels.tolist()], dtype=np.intp)
        weights = self.expectation()[codes]
        standard = np.where(standard0 > 0, standard0, np.nan)
        score = jpm_contributions(levels, standard, weights=weights).sum(axis=1)
        return self.intercept_[codes] + self.slope_[codes] * score

    def score(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        *,
        standard: ArrayLike | None = None,
        family: ArrayLike | None = None,
    ) -> float:
        """R^2 of :meth:`predict` (with ``standard`` and ``family``), as regressors score."""
        from sklearn.metrics import r2_score

        predicted = self.predict(X, standard=standard, family=family)
        return float(r2_score(y, predicted, sample_weight=sample_weight))

    def expectation(self) -> NDArray[np.float64]:
        """Weights of every family for every competency, shape (n_families, n_competencies).

        The learned weights where a family requires the competency; elsewhere (a position the
        fit never saw requiring it) the prior, on the family's scale.
        """
        check_is_fitted(self, "weights_")
        out = np.empty_like(self.weights_)
        for f, name in enumerate(self.families_):
            prior = self._prior_of(name, self.n_competencies_)
            known = self.prior_weights_[f][~np.isnan(self.prior_weights_[f])]
            raw = prior[self._active[f]]
            scale = known.sum() / raw.sum() if raw.sum() > 0 else 1.0
            out[f] = np.where(np.isnan(self.weights_[f]), prior * scale, self.weights_[f])
        return out


# --------------------------------------------------------------------------- the whole loop


@dataclass(frozen=True, eq=False)
class LearnedExpectation:
    """What :func:`learn_expectation` found: weights per family, their evidence and limits.

    Attributes
    ----------
    learner : ExpectationLearner
        The fitted estimator.
    families : JobFamilies
        The job family of every position.
    weights : DataFrame
        One row per family and required competency: ``family``, ``competency``, ``prior``,
        ``weight``, ``low``, ``high``, ``includes_prior``.
    summary : DataFrame
        One row per family (``learner.summary_``).
    heldout_gain : float
        Held-out R^2 of the learned weights minus that of the prior, over all families.
    positions : DataFrame
        The positions table in the input schema with the learned ``<code>_weight`` columns,
        ready for :func:`asn_match.read_positions`.
    note : str
        The selection-bias caveat (:data:`SELECTION_BIAS`).
    """

    learner: ExpectationLearner
    families: JobFamilies
    weights: pd.DataFrame
    summary: pd.DataFrame
    heldout_gain: float
    positions: pd.DataFrame
    note: str = SELECTION_BIAS

    def to_text(self) -> str:
        """The per-family table, the weights with their intervals, the held-out gain, the caveat.

        Examples
        --------
        >>> import asn_match as am
        >>> history, positions, _ = am.datasets.synthetic_history(300, 12, seed=0)
        >>> learned = learn_expectation(history, positions, n_bootstrap=0, min_outcomes=50)
        >>> print(learned.to_text().splitlines()[0])
        Job families: 3 (by standard profile), 900 outcomes.
        """
        basis = {"standard": "by standard profile", "class": "by the class column"}
        summary = self.summary.copy()
        summary["shrinkage"] = summary["shrinkage"].map(
            lambda v: "prior" if math.isinf(v) else f"{v:g}"
        )
        columns = ["family", "n_outcomes", "n_employees", "status", "shrinkage"]
        columns += ["r2_prior", "r2_learned", "gain"]
        weights = self.weights.copy()
        weights["interval"] = [
            "" if not np.isfinite(lo) else f"[{lo:.2f}, {hi:.2f}]"
            for lo, hi in zip(weights["low"], weights["high"], strict=True)
        ]
        weights["vs prior"] = np.where(weights["includes_prior"], "not shown to differ", "differs")
        lines = [
            f"Job families: {len(self.families)} ({basis.get(self.families.basis, '')}), "
            f"{int(summary['n_outcomes'].sum())} outcomes.",
            "",
            summary[columns].to_string(index=False, float_format=lambda v: f"{v:.3f}"),
        ]
        notes = [
            f"  {f}: {n}" for f, n in zip(summary["family"], summary["note"], strict=True) if n
        ]
        if notes:
            lines += ["", *notes]
        lines += [
            "",
            "Weights (mean 1 per family; bootstrap interval; 'not shown to differ': the interval "
            "contains the prior):",
            weights[["family", "competency", "prior", "weight", "interval", "vs prior"]].to_string(
                index=False, float_format=lambda v: f"{v:.2f}"
            ),
            "",
            "Held-out gain in R^2 over the prior weights (employees never used in fitting): "
            + ("n/a" if math.isnan(self.heldout_gain) else f"{self.heldout_gain:+.3f}"),
            "",
            "Selection bias: " + self.note,
        ]
        return "\n".join(lines)


def learn_expectation(
    history: Any,
    positions: Any,
    *,
    families: str | JobFamilies = "standard",
    n_families: int | None = None,
    **params: Any,
) -> LearnedExpectation:
    """Learn the competency weights of each job family from a placement history.

    Parameters
    ----------
    history : path, DataFrame or History
        The placement history (:func:`asn_match.read_history`).
    positions : path, DataFrame or Positions
        The positions the history refers to (:func:`asn_match.read_positions`); their typed-in
        ``<code>_weight`` columns are the prior (uniform where absent).
    families : {"standard", "class"} or JobFamilies, default "standard"
        How positions form job families (:func:`asn_match.learn.job_families`).
    n_families : int, optional
        Fixes the number of families with ``families="standard"``.
    **params
        Options of :class:`ExpectationLearner` (``min_outcomes``, ``n_bootstrap``, ...).

    Returns
    -------
    LearnedExpectation
        ``.positions`` drops straight into the positions input.

    Raises
    ------
    InputError
        History records whose position is not in the positions table, or whose employee has no
        assessed level for a competency the position requires; every such record at once.

    Examples
    --------
    >>> import asn_match as am
    >>> history, positions, truth = am.datasets.synthetic_history(600, 30, seed=0)
    >>> learned = learn_expectation(history, positions, n_bootstrap=0, random_state=0)
    >>> learned.summary["status"].tolist()
    ['learned', 'learned', 'learned']
    >>> am.read_positions(learned.positions).weights.shape
    (30, 15)
    """
    from ..io import read_positions
    from .history import read_history

    table = read_positions(positions)
    record = read_history(history, framework=table.framework)
    if isinstance(families, JobFamilies):
        grouping = families
    else:
        grouping = job_families(table, by=families, n_families=n_families)  # type: ignore[arg-type]
    index = pd.Index(table.ids)
    where = index.get_indexer(pd.Index(record.position_ids))
    problems = [
        Problem(
            record.source,
            f"position {record.position_ids[i]!r} is not in the positions table "
            f"({table.source}); add it there or drop the record.",
            row=int(record.rows[i]),
            column="position_id",
            value=record.position_ids[i],
            expected="a position_id of the positions table",
            code="unknown_position",
            record_id=str(record.employee_ids[i]),
        )  # fmt: skip
        for i in np.flatnonzero(where < 0)
    ]
    known = where >= 0
    standard = np.full_like(record.levels, np.nan)
    standard[known] = table.standard[where[known]]
    missing = known[:, None] & ~np.isnan(standard) & np.isnan(record.levels)
    for i, k in zip(*np.nonzero(missing), strict=True):
        problems.append(
            Problem(
                record.source,
                f"level of {table.codes[k]!r} is empty, but position "
                f"{record.position_ids[i]!r} requires it; fill in the level assessed at the time "
                "or drop the record.",
                row=int(record.rows[i]),
                column=table.codes[k],
                expected="a level",
                code="missing_level",
                record_id=str(record.employee_ids[i]),
            )  # fmt: skip
        )
    if problems:
        raise InputError(problems)
    family_of_position = grouping.of(table.ids)
    labels = family_of_position[where]
    # The prior of a family: the typed-in weights of its positions, each scaled to mean 1 over
    # what it requires, averaged.
    prior: dict[Any, NDArray] = {}
    required = table.required
    for name in grouping.names:
        members = np.flatnonzero(family_of_position == name)
        if not len(members):
            continue
        mask = required[members]
        w = np.where(mask, table.weights[members], 0.0)
        per_position = w.sum(axis=1, keepdims=True) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        w = np.divide(w, per_position, out=np.zeros_like(w), where=per_position > 0)
        count = mask.sum(axis=0)
        prior[name] = np.where(count > 0, w.sum(axis=0) / np.maximum(count, 1), 1.0)
    X = pd.DataFrame(record.levels, columns=list(table.codes))
    learner = ExpectationLearner(prior=prior, **params)
    learner.fit(X, record.outcome, standard=standard, groups=record.employee_ids, family=labels)
    expectation = learner.expectation()
    family_index = {name: f for f, name in enumerate(learner.families_)}
    frame = table.to_frame()
    kept: dict[Any, list[str]] = {}
    for j, name in enumerate(family_of_position):
        f = family_index.get(name)
        if f is None:
            continue  # a family without history keeps its positions' own weights
        if not (expectation[f][required[j]] > 0).any():
            # Everything this position requires was learned at weight 0: its JPM would be
            # undefined, so it keeps its own weights.
            kept.setdefault(name, []).append(str(table.ids[j]))
            continue
        w = np.where(required[j], expectation[f], np.nan)
        frame.loc[j, [f"{c}_weight" for c in table.codes]] = w
    summary = learner.summary_
    if kept:
        summary = summary.copy()
        for name, ids in kept.items():
            row = summary.index[summary["family"] == name]
            text = (
                f"positions {', '.join(ids[:5])}{' ...' if len(ids) > 5 else ''} require only "
                "competencies learned at weight 0 and keep their own weights."
            )
            summary.loc[row, "note"] = (summary.loc[row, "note"] + " " + text).str.strip()
    return LearnedExpectation(
        learner=learner,
        families=grouping,
        weights=learner.weights_table_,
        summary=summary,
        heldout_gain=float(learner.heldout_gain_),
        positions=frame,
    )
