"""ExpectationLearner against scikit-learn's own estimator checks.

Every check runs; none is skipped here. scikit-learn itself skips ``check_array_api_input``
unless ``SCIPY_ARRAY_API`` is set (the learner converts to numpy float64 like most estimators).
Two tags shape the data the checks use, each for a stated reason:

- ``positive_only``: levels are >= 0 (a negative level has no meaning and JPM rejects it);
- ``poor_score``: the model is one index (the outcome rises with the weighted capped JPM), so
  it is not expected to fit arbitrary regression data to R^2 > 0.5.
"""

from __future__ import annotations

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from asn_match.learn import ExpectationLearner

_CHECKS = parametrize_with_checks(
    [ExpectationLearner(n_bootstrap=3, test_size=0.0, cv=3, random_state=0)],
    expected_failed_checks=lambda estimator: {},
).mark
# scikit-learn 1.6.0 hands pytest a generator, which pytest deprecates: a list, the same checks.
_NAMES, _VALUES = _CHECKS.args[:2]


@pytest.mark.parametrize(_NAMES, list(_VALUES), **_CHECKS.kwargs)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
