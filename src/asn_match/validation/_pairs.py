"""Pairs tables: (employee_id, position_id) rows such as locked or forbidden placements."""

from __future__ import annotations

import pandas as pd

from ._cells import _ids
from ._report import _Report
from ._table import _split_columns


def build_pairs(
    frame: pd.DataFrame, *, source: str = "<DataFrame>", what: str = "pairs"
) -> list[tuple[str, str]]:
    """Validate an (employee_id, position_id) pairs table, e.g. locked or forbidden placements.

    Parameters
    ----------
    frame : DataFrame
        With columns ``employee_id`` and ``position_id`` (others are ignored). Never modified.
    source : str, default "<DataFrame>"
    what : str, default "pairs"
        What the pairs are, for messages (e.g. ``"locks"``).

    Returns
    -------
    list of (str, str)
        The pairs in file order, ids as exact strings.

    Raises
    ------
    InputError
        A missing column, an empty or truncated id.

    Examples
    --------
    >>> import pandas as pd
    >>> build_pairs(pd.DataFrame({"employee_id": [198609262015051001], "position_id": ["P1"]}))
    [('198609262015051001', 'P1')]
    """
    table = _split_columns(frame, source, caller="build_pairs")
    report = _Report(source, table.rows)
    report.problems.extend(table.problems)
    n = len(table.rows)
    found = ", ".join(table.headers.values()) or "(none)"
    columns = {}
    for name in ("employee_id", "position_id"):
        if name not in table.columns:
            report.add(
                f"the {what} table needs a column {name!r}. Columns found: {found}.",
                code="missing_column",
                column=name,
                expected=f"a column named {name!r}",
            )
            continue
        ids, lost = _ids(table.columns[name])
        report.cells(
            lost,
            name,
            ids,
            lambda i, v, name=name: f"{name} {v!r} has lost its last digits.",
            code="id_precision_lost",
            expected="the id as text",
        )
        report.cells(
            pd.isna(ids) & ~lost,
            name,
            ids,
            lambda i, v, name=name: f"{name} is empty.",
            code="empty_id",
            expected="a non-empty id",
        )
        columns[name] = ids
    report.raise_problems()
    if n == 0:
        return []
    return list(zip(columns["employee_id"].tolist(), columns["position_id"].tolist(), strict=True))
