"""The layers of docs/ARCHITECTURE.md, held by reading the import graph of src/asn_match.

Every ``import`` and ``from ... import`` statement of every module is read with :mod:`ast`
(imports inside functions and under ``if TYPE_CHECKING:`` included: a lazy import is still a
dependency), resolved to a module name, and checked against the rules:

- leaves (``errors``, ``_checks``, ``rules``, ``tiebreak``): the standard library and numpy only;
  within the package, other leaves only (``_checks`` raises ``errors.InvalidParameterError``);
- kernels (``kernels/*``): the standard library, numpy, scipy and numba; within the package, the
  leaves and other kernels only (no pandas, no pydantic, no tables);
- the api layer: ``scoring``, ``placement``, ``recommend``, ``large``, ``cli`` and the modules
  split from them, named after them (``placement_views``, ``_scoring_stream``);
- tables level (every other module, e.g. ``tables``, ``io``, ``validation``, ``datasets``):
  never the api layer;
- nothing imports ``cli`` (but ``__main__``, which runs it).

The package ``__init__`` re-exports the public names, so it may import anything.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
PACKAGE = "asn_match"

# tiebreak is a leaf too: the keyed hash that orders ties, hashlib and numpy only, used by the
# kernels (seating) and the api alike.
LEAVES = frozenset(f"{PACKAGE}.{name}" for name in ("errors", "_checks", "rules", "tiebreak"))
API_NAMES = (
    "scoring",
    "placement",
    "recommend",
    "large",
    "cli",
    "audit",
    "talent",
    "plots",
    "report",
)
CLI = f"{PACKAGE}.cli"
KERNELS = f"{PACKAGE}.kernels"
TOP = frozenset({PACKAGE, f"{PACKAGE}.__main__"})

LEAF_LIBRARIES = frozenset({"numpy"})
KERNEL_LIBRARIES = frozenset({"numpy", "scipy", "numba"})
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}

# Violations known today and being removed in the same release; strict, so that a fixed one
# fails here until its entry goes.
# e.g. {f"{KERNELS}.eligibility": "kernels/eligibility.py imports asn_match.ordinals"}
KNOWN: dict[str, str] = {}


# ----------------------------------------------------------------------------- the checker


def module_names(source: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of ``package`` under ``source`` (a src folder), by dotted name."""
    names = {}
    for path in sorted((source / package).rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imported_modules(module: str, path: Path, known: set[str] | dict) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, relative imports resolved.

    ``from X import name`` counts as an import of ``X.name`` when that is a module of the package
    (``from . import datasets``), else of ``X``.
    """
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((node.lineno, sub if sub in known else target))
    return found


def layer(module: str) -> str:
    """The layer of a module of the package: top, leaf, kernel, api or tables."""
    if module in TOP:
        return "top"
    if module in LEAVES:
        return "leaf"
    if module == KERNELS or module.startswith(KERNELS + "."):
        return "kernel"
    parts = module.split(".")
    if len(parts) == 2 and any(
        parts[1].lstrip("_") == name or parts[1].lstrip("_").startswith(name + "_")
        for name in API_NAMES
    ):
        return "api"
    # a package of the api layer (talent/) puts every module under it there too
    if len(parts) > 2 and parts[1].lstrip("_") in API_NAMES:
        return "api"
    return "tables"


def violations_of(module: str, path: Path, known: set[str] | dict) -> list[str]:
    """Every import of ``module`` that breaks the layers, as 'file:line: why'."""
    own = layer(module)
    found = []
    for line, target in imported_modules(module, path, known):
        top = target.split(".")[0]
        inside = top == PACKAGE
        why = None
        if inside and target == CLI and module != f"{PACKAGE}.__main__":
            why = "nothing imports the command line"
        elif own == "leaf":
            if inside and target not in LEAVES:
                why = "a leaf imports only other leaves of the package"
            elif not inside and top not in STDLIB | LEAF_LIBRARIES:
                why = "a leaf imports only the standard library and numpy"
        elif own == "kernel":
            if inside and layer(target) not in ("leaf", "kernel"):
                why = "a kernel imports only leaves (errors, _checks, rules) and other kernels"
            elif not inside and top not in STDLIB | KERNEL_LIBRARIES:
                why = "a kernel imports only the standard library, numpy, scipy and numba"
        elif own == "tables" and inside and layer(target) == "api":
            why = "the tables level never imports the api layer"
        if why:
            found.append(f"{path.name}:{line}: {module} imports {target}: {why}")
    return found


def all_violations(source: Path, package: str = PACKAGE) -> dict[str, list[str]]:
    """The violations of every module of the package under ``source``, by module."""
    known = module_names(source, package)
    return {name: violations_of(name, path, known) for name, path in known.items()}


# ----------------------------------------------------------------------------- the package

MODULES = module_names(SOURCE)


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name]))
        if name in KNOWN
        else name
        for name in MODULES
    ],
)
def test_module_respects_the_layers(module):
    assert violations_of(module, MODULES[module], MODULES) == []


def test_every_layer_is_present():
    # A renamed package or folder must not turn the test above into one that checks nothing.
    layers = {layer(name) for name in MODULES}
    assert layers == {"top", "leaf", "kernel", "api", "tables"}
    assert {f"{PACKAGE}.errors", f"{PACKAGE}._checks", f"{KERNELS}.jpm", CLI} <= set(MODULES)


@pytest.mark.parametrize(
    "module, expected",
    [
        ("asn_match", "top"),
        ("asn_match.__main__", "top"),
        ("asn_match.errors", "leaf"),
        ("asn_match.tiebreak", "leaf"),
        ("asn_match.kernels", "kernel"),
        ("asn_match.kernels.seating", "kernel"),
        ("asn_match.scoring", "api"),
        ("asn_match._scoring_stream", "api"),
        ("asn_match.placement_views", "api"),
        ("asn_match.cli", "api"),
        ("asn_match.tables", "tables"),
        ("asn_match.validation._build", "tables"),
        ("asn_match.datasets._synthetic", "tables"),
        ("asn_match.scoring_rules.x", "tables"),  # only top-level modules take an api name
        ("asn_match.talent.pools", "api"),  # a package named for the api layer
        ("asn_match.placements", "tables"),
    ],
)
def test_layer_of_a_module(module, expected):
    assert layer(module) == expected


def test_known_violations_name_real_modules():
    assert set(KNOWN) <= set(MODULES)


# ----------------------------------------------------------------------------- the checker itself


def write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_checker_catches_planted_violations(tmp_path):
    pkg = f"{PACKAGE}/"
    write(tmp_path, pkg + "__init__.py", "from . import cli\nfrom .scoring import score\n")
    write(tmp_path, pkg + "__main__.py", "from .cli import main\n")
    write(tmp_path, pkg + "cli.py", "import argparse\nfrom .placement import assign\n")
    write(tmp_path, pkg + "errors.py", "import numpy as np\nimport pandas as pd\n")
    write(tmp_path, pkg + "_checks.py", "from .errors import InvalidParameterError\n")
    write(tmp_path, pkg + "rules.py", "from .tables import Employees\n")
    write(tmp_path, pkg + "scoring.py", "from .kernels.jpm import jpm\nfrom .tables import T\n")
    write(tmp_path, pkg + "placement.py", "from .scoring import Scores\n")
    write(tmp_path, pkg + "recommend.py", "from .placement import assign\n")
    write(tmp_path, pkg + "_scoring_stream.py", "from .scoring import Scores\n")  # api, split
    write(tmp_path, pkg + "placement_views.py", "from .placement import Placement\n")
    write(tmp_path, pkg + "tiebreak.py", "import hashlib\nfrom .tables import Employees\n")
    write(
        tmp_path,
        pkg + "tables.py",
        "import pandas as pd\nfrom .kernels import jpm\n\n\n"
        "def f():\n    from .placement import x\n",
    )
    write(tmp_path, pkg + "io.py", "from . import cli\n")
    write(tmp_path, pkg + "datasets/__init__.py", "from ._synthetic import make\n")
    write(tmp_path, pkg + "datasets/_synthetic.py", "from .. import recommend\n")
    write(tmp_path, pkg + "kernels/__init__.py", "")
    write(
        tmp_path,
        pkg + "kernels/jpm.py",
        "import math\nimport numpy as np\nfrom scipy import sparse\nimport numba\n"
        "from ..errors import InputError\nfrom .._checks import check_int\nfrom .. import rules\n"
        "from .lap import solve\n",
    )
    write(tmp_path, pkg + "kernels/lap.py", "import pandas\nfrom ..ordinals import RANKS\n")
    write(
        tmp_path,
        pkg + "kernels/topk.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..tables import Employees\n",
    )
    found = all_violations(tmp_path)
    flat = {(module.removeprefix(PACKAGE + "."), v.split(" imports ")[1].split(":")[0])
            for module, vs in found.items() for v in vs}  # fmt: skip
    assert flat == {
        ("errors", "pandas"),  # a leaf imports a third-party library other than numpy
        ("rules", "asn_match.tables"),  # a leaf imports a module above it
        ("tiebreak", "asn_match.tables"),
        ("tables", "asn_match.placement"),  # upward, even inside a function
        ("io", "asn_match.cli"),  # nothing imports the command line
        ("asn_match", "asn_match.cli"),  # not even the package
        ("datasets._synthetic", "asn_match.recommend"),  # upward, through `from .. import`
        ("kernels.lap", "pandas"),  # impure kernel
        ("kernels.lap", "asn_match.ordinals"),  # a kernel imports the tables level
        ("kernels.topk", "asn_match.tables"),  # under TYPE_CHECKING too
    }
    # the line is named, for the reader of a failure
    assert found[f"{PACKAGE}.kernels.lap"][0].startswith("lap.py:1: ")


def test_relative_imports_resolve_from_packages_and_modules(tmp_path):
    write(tmp_path, f"{PACKAGE}/__init__.py", "from . import datasets\nfrom .io import read\n")
    write(tmp_path, f"{PACKAGE}/io.py", "")
    write(tmp_path, f"{PACKAGE}/datasets/__init__.py", "from ._synthetic import make\n")
    synthetic = "from .. import io\nfrom ..io import read\n"
    write(tmp_path, f"{PACKAGE}/datasets/_synthetic.py", synthetic)
    known = module_names(tmp_path)
    assert set(known) == {
        PACKAGE,
        f"{PACKAGE}.io",
        f"{PACKAGE}.datasets",
        f"{PACKAGE}.datasets._synthetic",
    }
    imports = {
        name: [target for _, target in imported_modules(name, path, known)]
        for name, path in known.items()
    }
    assert imports[PACKAGE] == [f"{PACKAGE}.datasets", f"{PACKAGE}.io"]
    assert imports[f"{PACKAGE}.datasets"] == [f"{PACKAGE}.datasets._synthetic"]
    assert imports[f"{PACKAGE}.datasets._synthetic"] == [f"{PACKAGE}.io", f"{PACKAGE}.io"]
