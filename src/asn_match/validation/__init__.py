"""Column-wise validation of employee and position tables.

:func:`build_employees` and :func:`build_positions` turn a raw table (cells as read from a file,
or a caller's DataFrame) into the validated :class:`~asn_match.tables.Employees` /
:class:`~asn_match.tables.Positions`, or raise :class:`~asn_match.errors.InputError` listing every
problem at once. Each check runs on a whole column (pandas/numpy); Python loops run only over
columns and over the rows already found bad, to describe them.

Column rules
------------
Headers are matched case-insensitively after stripping whitespace; inner spaces and hyphens become
underscores (``"Min Rank"`` reads as ``min_rank``, ``"Kerja Sama"`` as ``kerja_sama``).

- Schema columns (:data:`EMPLOYEE_COLUMNS`, :data:`POSITION_COLUMNS`) are parsed as documented.
- Employees: the protected attributes (:data:`asn_match.rules.PROTECTED_ATTRIBUTES`) go to
  ``Employees.protected`` only. A column that looks like one under another name (``jenis_kelamin``,
  ``tanggal_lahir``, ``agama``, ...) is an error, so background data can never be read as a
  competency.
- Columns whose name starts with :data:`INFO_PREFIX` (``info_``) are descriptive: kept as text in
  ``.info`` and never scored.
- Positions: ``<code>_weight`` columns are the job-expectation weights of competency ``<code>``.
- Every other column is a competency code holding levels (employees) or standard levels
  (positions). A descriptive column must therefore be renamed with the ``info_`` prefix or dropped;
  a text column in competency position is reported as such, with that fix.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2 (for a
DataFrame, as if it were written to a sheet). Rows whose cells are all empty are skipped.

Modules: ``_cells`` (cell parsers), ``_report`` (the problem report), ``_schema`` (column lists,
aliases, one spec per table kind), ``_table`` (the raw table), ``_columns`` (column checks),
``_build`` (the builder every table kind starts with), ``_employees``, ``_positions``, ``_pairs``,
and ``_references`` (checks where employees meet positions: :func:`unknown_current_positions`).
"""

from ..rules import (
    EMPLOYEE_COLUMNS,
    EMPLOYEE_REQUIRED,
    INFO_PREFIX,
    POSITION_COLUMNS,
    POSITION_REQUIRED,
    WEIGHT_SUFFIX,
)
from ._cells import normalize_header
from ._employees import build_employees
from ._pairs import build_pairs
from ._positions import build_positions
from ._references import unknown_current_positions
from ._report import warn_quality

__all__ = [
    "EMPLOYEE_COLUMNS",
    "EMPLOYEE_REQUIRED",
    "INFO_PREFIX",
    "POSITION_COLUMNS",
    "POSITION_REQUIRED",
    "WEIGHT_SUFFIX",
    "build_employees",
    "build_pairs",
    "build_positions",
    "normalize_header",
    "unknown_current_positions",
    "warn_quality",
]
