"""Load OR-Library linear assignment instances (Beasley 1990) with their known optima.

The files live outside the package, in the shared data folder next to the repository
(``<parent of repo>/shared/data/orlib``); callers skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ORLIB_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "orlib"

#: Published optimal total costs (OR-Library, assignment problem instances).
KNOWN_OPTIMA: dict[str, int] = {
    "assign100": 305,
    "assign500": 991,
    "assign600": 1176,
    "assign700": 1362,
}


def orlib_path(name: str) -> Path:
    """Where instance ``name`` (e.g. ``"assign100"``) is expected."""
    return ORLIB_DIR / f"{name}.txt"


def missing_reason(name: str) -> str | None:
    """Why instance ``name`` cannot be loaded, or None when its file is there."""
    path = orlib_path(name)
    if not path.is_file():
        return f"OR-Library instance {name} not found at {path} (shared data folder absent)"
    return None


def load_assignment(name: str) -> np.ndarray:
    """The (n, n) integer cost matrix of an OR-Library assignment instance.

    The file is a stream of whitespace-separated integers: n, then the n*n costs row by row
    (rows wrap over several lines, so it is read as one token stream).
    """
    tokens = np.array(orlib_path(name).read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    if tokens.size != 1 + n * n:
        raise ValueError(
            f"{orlib_path(name)}: expected 1 + {n}*{n} = {1 + n * n} integers, found {tokens.size}"
        )
    return tokens[1:].reshape(n, n)
