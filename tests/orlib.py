"""Load OR-Library linear assignment instances (Beasley 1990) with their known optima.

The files live outside the package, in the project's shared folder next to the repository
(``<parent of repo>/shared/data/orlib``), or in the folder named by the environment variable
``ASN_MATCH_ORLIB_DIR``; callers skip, saying which file is missing and how to get it, when
they are absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

ORLIB_DIR = Path(
    os.environ.get("ASN_MATCH_ORLIB_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "orlib"
)
#: Where the instances are published (one file per instance, e.g. assign100.txt).
ORLIB_URL = "http://people.brunel.ac.uk/~mastjjb/jeb/orlib/files/"

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
    if path.is_file():
        return None
    return (
        f"OR-Library instance {name} not found: {path} is missing. Check out the project's "
        f"shared folder next to the repository (../shared/data/orlib), or download "
        f"{ORLIB_URL}{path.name} into a folder named by ASN_MATCH_ORLIB_DIR."
    )


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
