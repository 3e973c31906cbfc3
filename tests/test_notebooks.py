"""Every notebook in notebooks/ is stored without outputs and runs top to bottom.

Two runs: the default one executes the code cells in this process (IPython magics such as
``%matplotlib inline`` are left out: they configure display only), which catches an API change
in seconds; the slow run (which CI runs too) executes each notebook as a reader does, in an
IPython kernel through nbclient, magics and display included.
"""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _code_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [cell for cell in cells if cell["cell_type"] == "code"]


def test_the_notebooks_are_found():
    names = {path.name for path in NOTEBOOKS}
    assert {"quickstart.ipynb", "talent_mapping.ipynb", "large_workforce.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    code = _code_cells(path)
    assert code, f"{path.name} has no code cells"
    for number, cell in enumerate(code, 1):
        assert cell["outputs"] == [], f"{path.name}: code cell {number} has stored outputs"
        assert cell["execution_count"] is None, f"{path.name}: code cell {number} was run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a notebook writes stays out of the repository
    namespace: dict = {}
    for number, cell in enumerate(_code_cells(path), 1):
        lines = "".join(cell["source"]).splitlines(keepends=True)
        source = "".join(line for line in lines if not line.lstrip().startswith("%"))
        exec(compile(source, f"{path.name}, code cell {number}", "exec"), namespace)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel(path, tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="the dev extra brings nbformat")
    nbclient = pytest.importorskip("nbclient", reason="the dev extra brings nbclient")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError naming the cell and its traceback
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
