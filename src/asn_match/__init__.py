"""asn_match: merit-based placement of civil servants.

Score every employee against every position (Job Person Match and a merit composite, with
eligibility rules and an explanation for each pair), then place them in seats as an assignment
problem solved exactly.

Examples
--------
>>> import asn_match as am
>>> employees, positions = am.datasets.tegal_administrators()
>>> scores = am.score(employees, positions)
>>> placement = am.assign(scores)
>>> placement.summary()["placed"] > 100
True
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from . import datasets, plots
from .audit import Audit, audit
from .config import ScoringConfig
from .errors import DataQualityWarning, InfeasibleError, InputError, InvalidParameterError, Problem
from .framework import Competency, CompetencyFramework, LevelScale
from .io import read_employees, read_pairs, read_positions, write_table
from .kernels.jpm import categorize, jpm
from .kernels.lap import solve_assignment
from .learn import read_history
from .placement import Placement, assign
from .pseudonym import pseudonymize
from .recommend import bench_strength, recommend, succession
from .records import EmployeeRecord, PositionRecord
from .report import report
from .schemas import schemas
from .scoring import CandidateScores, DenseScores, Scores, score
from .tables import Employees, Positions
from .talent import (
    DevelopmentPolicy,
    NineBoxPolicy,
    ProfessionalismPolicy,
    development_plan,
    nine_box,
    nine_box_counts,
    pool_strength,
    professionalism_by_unit,
    professionalism_index,
    succession_pools,
    training_needs,
)

try:  # one place for the version: pyproject.toml, as installed
    __version__ = _version("asn_match")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Audit",
    "CandidateScores",
    "Competency",
    "CompetencyFramework",
    "DataQualityWarning",
    "DenseScores",
    "DevelopmentPolicy",
    "EmployeeRecord",
    "Employees",
    "ExpectationLearner",
    "InfeasibleError",
    "InputError",
    "InvalidParameterError",
    "LevelScale",
    "NineBoxPolicy",
    "Placement",
    "PositionRecord",
    "Positions",
    "Problem",
    "ProfessionalismPolicy",
    "Scores",
    "ScoringConfig",
    "assign",
    "audit",
    "bench_strength",
    "categorize",
    "datasets",
    "development_plan",
    "jpm",
    "nine_box",
    "nine_box_counts",
    "plots",
    "pool_strength",
    "professionalism_by_unit",
    "professionalism_index",
    "pseudonymize",
    "read_employees",
    "read_history",
    "read_pairs",
    "read_positions",
    "recommend",
    "report",
    "schemas",
    "score",
    "solve_assignment",
    "succession",
    "succession_pools",
    "training_needs",
    "write_table",
]


def __getattr__(name: str):
    # The learner subclasses scikit-learn's BaseEstimator: imported on first use, so that
    # `import asn_match` works without the learn extra, and a missing scikit-learn is named.
    if name == "ExpectationLearner":
        from .learn import ExpectationLearner

        return ExpectationLearner
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
