"""The README's examples run and print what the README says (doctest)."""

import doctest
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write files
    result = doctest.testfile(
        str(README), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 5
    assert result.failed == 0


def test_readme_quick_start_is_what_ci_runs():
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = '.venv/bin/pip install -e ".[dev]" && .venv/bin/python -m pytest'
    assert test_command in text
    assert test_command in ci
    assert ".venv/bin/asn-match demo" in text


def test_readme_lint_commands_are_what_ci_runs():
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    paths = "src tests benchmarks tools"
    for command in (f"ruff check {paths}", f"ruff format --check {paths}"):
        assert f".venv/bin/{command}" in text
    assert f"lint_paths=({paths})" in ci
    assert '.venv/bin/ruff check "${lint_paths[@]}"' in ci
    assert '.venv/bin/ruff format --check "${lint_paths[@]}"' in ci
