"""The public surface: every name in __all__ resolves, is documented, and docs/API.md is current."""

import importlib
import importlib.metadata
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import asn_match as am

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "asn_match"
# Every module of the package whose name is not private, and the two packages with public names.
MODULES = ["asn_match", "asn_match.datasets"] + sorted(
    ".".join(("asn_match", *path.relative_to(SOURCE).with_suffix("").parts))
    for path in SOURCE.rglob("*.py")
    if not any(part.startswith("_") for part in path.relative_to(SOURCE).parts)
)


@pytest.mark.parametrize("module_name", MODULES)
def test_every_name_in_all_resolves(module_name):
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


@pytest.mark.parametrize("name", am.__all__)
def test_public_names_have_docstrings_with_an_example(name):
    obj = getattr(am, name)
    doc = inspect.getdoc(obj) or ""
    assert doc, f"am.{name} has no docstring"
    if inspect.isfunction(obj):
        assert "Examples" in doc, f"am.{name} has no Examples section"


def test_contract_names_present():
    for name in (
        "read_employees", "read_positions", "score", "assign", "recommend", "jpm",
        "solve_assignment", "InputError", "InfeasibleError", "datasets",
    ):  # fmt: skip
        assert name in am.__all__


def test_public_modules_are_found():
    # the layers themselves are checked on the import graph: tests/test_layers.py
    assert {"asn_match.scoring", "asn_match.kernels.jpm", "asn_match.cli"} <= set(MODULES)


def test_api_docs_are_current():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        make_api_docs = importlib.import_module("make_api_docs")
    finally:
        sys.path.pop(0)
    current = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    assert current == make_api_docs.render(), "run: python tools/make_api_docs.py"


def test_version_is_the_one_in_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r'^version = "([^"]+)"$', pyproject, re.MULTILINE)
    assert declared, "pyproject.toml declares no version"
    assert am.__version__ == importlib.metadata.version("asn_match")
    assert am.__version__ == declared.group(1), 'reinstall: pip install -e ".[dev]"'


def test_version_of_a_source_checkout_never_installed():
    code = (
        "import importlib.metadata as m\n"
        "def missing(name):\n"
        "    raise m.PackageNotFoundError(name)\n"
        "m.version = missing\n"
        "import asn_match\n"
        "print(asn_match.__version__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "0+unknown"
