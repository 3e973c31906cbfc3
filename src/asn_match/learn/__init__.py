"""Learning the job expectation from placement outcomes (the ``learn`` extra: scikit-learn).

- :mod:`~asn_match.learn.history`: the placement history (:func:`read_history`, :class:`History`);
- :mod:`~asn_match.learn.families`: job families, positions grouped by their standard profiles
  (:func:`job_families`, :class:`JobFamilies`);
- :mod:`~asn_match.learn.learner`: :class:`ExpectationLearner`, a scikit-learn estimator of the
  competency weights of each job family, and :func:`learn_expectation`, the whole loop from a
  history and a positions table to a weights table.

scikit-learn is imported only when a clustering or the learner is used, so that ``import
asn_match`` works without it; a missing scikit-learn is reported by name with the extra to
install (``pip install 'asn_match[learn]'``).
"""

from typing import Any

from .history import HISTORY_COLUMNS, HISTORY_REQUIRED, History, build_history, read_history

__all__ = [
    "HISTORY_COLUMNS",
    "HISTORY_REQUIRED",
    "ExpectationLearner",
    "History",
    "JobFamilies",
    "LearnedExpectation",
    "build_history",
    "job_families",
    "learn_expectation",
    "read_history",
]

_LAZY = {
    "ExpectationLearner": "learner",
    "LearnedExpectation": "learner",
    "learn_expectation": "learner",
    "JobFamilies": "families",
    "job_families": "families",
}


def __getattr__(name: str) -> Any:
    # The learner subclasses scikit-learn's BaseEstimator, so importing it needs scikit-learn;
    # it is imported on first use, with the extra named when scikit-learn is missing.
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
