"""Fair by construction: protected attributes change nothing that scoring or placement decide.

DOMAIN.md ("Fairness"): scores and placements must not depend on gender, religion, ethnicity,
origin, marital status or age. The readers keep those columns in ``Employees.protected``, apart
from everything scoring receives. These tests prove it two ways:

- as a property: any change of any protected attribute of any employee (Hypothesis draws which
  and to what) leaves every score, placement, recommendation, succession list, top-k list and the
  command line's placement file identical, byte for byte where a file is written;
- structurally: a tripwire in place of the protected frame fails at the first touch, on every
  public path; and no module of the scoring and placement layers names the protected frame or a
  protected attribute in its source (read with :mod:`ast`).

Changing a NIP-coded attribute (birth date, gender) may contradict the NIP: the readers then warn
(:class:`~asn_match.errors.DataQualityWarning`), which is expected here and silenced.
"""

from __future__ import annotations

import ast
import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_match as am
from asn_match import cli
from asn_match.errors import DataQualityWarning
from asn_match.rules import PROTECTED_ATTRIBUTES
from strategies import seeds, workforces

SOURCE = Path(am.__file__).resolve().parent

#: Small workforces (at least one employee and one position): each example runs every path.
SMALL = workforces(min_employees=1, max_employees=18, min_positions=1, max_positions=5)

#: What each protected attribute may be set to: well-formed values and odd ones alike.
PROTECTED_VALUES = {
    "gender": st.sampled_from(["L", "P", "laki-laki", "perempuan", "M", "F", "", "x"]),
    "religion": st.sampled_from(["Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Khonghucu"]),
    "birth_date": st.dates(
        min_value=pd.Timestamp("1955-01-01").date(), max_value=pd.Timestamp("2004-12-31").date()
    ).map(str),
    "ethnicity": st.sampled_from(["Jawa", "Sunda", "Batak", "Minang", "Bugis", "Tionghoa"]),
    "origin": st.sampled_from(["Tegal", "Brebes", "Jakarta", "Medan", "Makassar", "Papua"]),
    "marital_status": st.sampled_from(["kawin", "belum kawin", "cerai hidup", "cerai mati"]),
    "age": st.integers(18, 70).map(str),
    "disability": st.sampled_from(["ya", "tidak", ""]),
}


@st.composite
def protected_changes(draw, n_employees: int):
    """[(attribute, rows, values), ...]: new values of 1 to 3 attributes for some employees."""
    attributes = draw(st.lists(st.sampled_from(PROTECTED_ATTRIBUTES), min_size=1, max_size=3))
    changes = []
    for attribute in attributes:
        rows = draw(st.lists(st.integers(0, n_employees - 1), min_size=1, max_size=n_employees))
        changes.append((attribute, rows, [draw(PROTECTED_VALUES[attribute]) for _ in rows]))
    return changes


def _with_protected(employees_df: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The frame with every protected attribute present, filled from a seeded draw."""
    rng = np.random.default_rng(seed)
    df = employees_df.copy()
    choices = {
        "gender": ["L", "P"],
        "religion": ["Islam", "Kristen", "Hindu"],
        "birth_date": ["1970-01-01", "1985-06-15", "1990-12-31"],
        "ethnicity": ["Jawa", "Sunda"],
        "origin": ["Tegal", "Brebes"],
        "marital_status": ["kawin", "belum kawin"],
        "age": ["35", "50"],
        "disability": ["tidak", "ya"],
    }
    for attribute in PROTECTED_ATTRIBUTES:
        if attribute not in df.columns:
            df[attribute] = rng.choice(choices[attribute], size=len(df))
    return df


def _changed(df: pd.DataFrame, changes) -> pd.DataFrame:
    out = df.copy()
    for attribute, rows, values in changes:
        column = out[attribute].to_numpy(dtype=object, copy=True)
        column[np.asarray(rows)] = values
        out[attribute] = column
    return out


def _outcomes(employees_df: pd.DataFrame, positions_df: pd.DataFrame) -> dict[str, object]:
    """Everything a public path decides from these inputs, as comparable values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        employees = am.read_employees(employees_df)
    positions = am.read_positions(positions_df)
    dense = am.score(employees, positions, dense=True)
    streamed = am.score(employees, positions, dense=False, top_k=3)
    k = min(3, len(positions))
    return {
        "jpm": dense.jpm,
        "composite": dense.composite,
        "eligible": dense.eligible,
        "reasons": dense.reasons,
        "category": dense.category_code,
        "candidates": dataclasses.astuple(streamed.candidates),
        "pairs": dense.to_frame(),
        "top_k": dense.top_k(k, by="employee"),
        "top_k_streamed": streamed.top_k(k, by="position"),
        "placement": am.assign(dense).to_frame(),
        "placement_summary": am.assign(dense).summary(),
        "placement_streamed": am.assign(streamed).to_frame(),
        "recommend": am.recommend(dense, k=k, by="position"),
        "recommend_employee": am.recommend(streamed, k=k, by="employee"),
        "succession": am.succession(dense, k=k, include_not_ready=True),
        "bench": am.bench_strength(streamed),
    }


def _assert_same(before: dict[str, object], after: dict[str, object]) -> None:
    for name, value in before.items():
        other = after[name]
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, other, obj=name)
        elif isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, other, err_msg=name)
        elif isinstance(value, tuple):
            for a, b in zip(value, other, strict=True):
                np.testing.assert_array_equal(a, b, err_msg=name)
        else:
            assert value == other, name


def _check_protected_changes(data, workforce, seed) -> None:
    employees_df, positions_df = workforce
    baseline = _with_protected(employees_df, seed)
    changes = data.draw(protected_changes(len(baseline)))
    _assert_same(
        _outcomes(baseline, positions_df), _outcomes(_changed(baseline, changes), positions_df)
    )


# Each example runs every public path twice (about a second on a busy machine): a few in the
# default run, many more in the slow one.
@settings(max_examples=8)
@given(data=st.data(), workforce=SMALL, seed=seeds)
def test_no_protected_attribute_changes_any_public_result(data, workforce, seed):
    _check_protected_changes(data, workforce, seed)


@pytest.mark.slow
@settings(max_examples=150)
@given(data=st.data(), workforce=SMALL, seed=seeds)
def test_no_protected_attribute_changes_any_public_result_many(data, workforce, seed):
    _check_protected_changes(data, workforce, seed)


def test_dropping_every_protected_column_changes_nothing():
    employees_df, positions_df = am.datasets.synthetic_workforce(25, 5, seed=5)
    with_protected = _with_protected(employees_df, 5)
    without = with_protected.drop(columns=list(PROTECTED_ATTRIBUTES))
    _assert_same(_outcomes(with_protected, positions_df), _outcomes(without, positions_df))


def test_cli_match_file_is_the_same_whatever_the_protected_attributes(tmp_path):
    employees_df, positions_df = am.datasets.synthetic_workforce(40, 8, seed=3)
    employees_df = _with_protected(employees_df, 3)
    positions_df.to_csv(tmp_path / "positions.csv", index=False)
    rng = np.random.default_rng(7)
    flipped = employees_df.copy()
    for attribute in PROTECTED_ATTRIBUTES:
        flipped[attribute] = rng.permutation(flipped[attribute].to_numpy())
    outputs = []
    for name, frame in (("a", employees_df), ("b", flipped)):
        frame.to_csv(tmp_path / f"employees_{name}.csv", index=False)
        out = tmp_path / f"placement_{name}.csv"
        argv = ["match", str(tmp_path / f"employees_{name}.csv"), str(tmp_path / "positions.csv")]
        assert cli.main([*argv, "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


# ----------------------------------------------------------------------------- the structure


class Tripwire:
    """Stands in for the protected frame: any use of it fails the test, naming the access."""

    def __getattr__(self, name: str):
        raise AssertionError(f"the protected frame was read (.{name})")

    def __len__(self):
        raise AssertionError("the protected frame was read (len)")

    def __getitem__(self, key):
        raise AssertionError(f"the protected frame was read ([{key!r}])")

    def __iter__(self):
        raise AssertionError("the protected frame was read (iter)")


def test_no_public_path_touches_the_protected_frame(tmp_path):
    employees_df, positions_df = am.datasets.synthetic_workforce(30, 6, seed=11)
    employees = am.read_employees(_with_protected(employees_df, 11))
    assert set(employees.protected.columns) == set(PROTECTED_ATTRIBUTES)
    # the arrays handed to scoring carry no protected column: the tripwire replaces the frame
    guarded = dataclasses.replace(employees, protected=Tripwire())
    with pytest.raises(AssertionError, match="protected frame was read"):
        guarded.to_frame(include_protected=True)  # the tripwire is live
    positions = am.read_positions(positions_df)
    for scores in (
        am.score(guarded, positions, dense=True),
        am.score(guarded, positions, dense=False, top_k=3),
    ):
        placement = am.assign(scores)
        placement.to_frame()
        placement.summary()
        placement.export(tmp_path / "placement.csv")
        scores.to_frame()
        scores.top_k(2)
        am.recommend(scores, k=2)
        am.recommend(scores, k=2, by="employee")
        am.succession(scores, k=2)
        am.bench_strength(scores)
    dense = am.score(guarded, positions, dense=True)
    placement = am.assign(dense, incumbent_bonus=1.0)
    placement.explain(guarded.ids[0])
    placement.compare_current()
    placement.compare_current(by="unit")
    dense.breakdown(guarded.ids[0])


#: Modules that compute scores, placements and rankings: none may name protected data.
DECIDING_MODULES = (
    "scoring.py",
    "_scoring_policy.py",
    "_scoring_stream.py",
    "placement.py",
    "_placement_rules.py",
    "large.py",
    "recommend.py",
    "kernels",
)


def _deciding_files() -> list[Path]:
    files = []
    for name in DECIDING_MODULES:
        path = SOURCE / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def protected_references(path: Path) -> list[str]:
    """Where a module's code names the protected frame or a protected attribute.

    An attribute access ``.protected`` (or a name ``PROTECTED_ATTRIBUTES``) and any string
    constant equal to a protected attribute count; docstrings do not (they are text).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "protected":
            found.append(f"{path.name}:{node.lineno} .protected")
        elif isinstance(node, ast.Name | ast.alias) and "PROTECTED_ATTRIBUTES" in (
            getattr(node, "id", None),
            getattr(node, "name", None),
        ):
            found.append(f"{path.name}:{getattr(node, 'lineno', '?')} PROTECTED_ATTRIBUTES")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value in PROTECTED_ATTRIBUTES
        ):
            found.append(f"{path.name}:{node.lineno} {node.value!r}")
    return found


@pytest.mark.parametrize("path", _deciding_files(), ids=lambda p: p.relative_to(SOURCE).as_posix())
def test_scoring_and_placement_source_never_names_protected_data(path):
    assert protected_references(path) == []


def test_the_source_check_finds_a_planted_reference(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""gender in a docstring is fine."""\n'
        "def f(employees):\n"
        "    return employees.protected['religion']\n"
    )
    assert protected_references(planted) == ["planted.py:3 .protected", "planted.py:3 'religion'"]
