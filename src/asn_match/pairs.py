"""Pair arguments: the one parser of ``locked``, ``forbidden`` and ``allowed`` options.

:func:`asn_match.assign` takes ``locked`` and ``forbidden`` pairs, :func:`asn_match.recommend`
and :func:`asn_match.succession` take ``allowed`` and ``forbidden`` ones. Every one of them is
read here, with one meaning:

- an iterable of ``(employee_id, position_id)`` pairs;
- a dict ``{employee_id: position_id}`` (one pair per employee) or
  ``{employee_id: [position_id, ...]}`` (several);
- a DataFrame, or a path to a file, with columns ``employee_id`` and ``position_id``
  (:func:`asn_match.read_pairs`);
- where the option allows it (``forbidden`` and ``allowed``, not ``locked``), a bare id in the
  iterable stands for every pair of that employee, or every pair of that position.

Unknown ids are :class:`~asn_match.errors.Problem` entries (all of them, at once); a malformed
argument is an :class:`~asn_match.errors.InvalidParameterError`.

Examples
--------
>>> index = PairIndex(["e1", "e2"], ["p1", "p2", "p3"])
>>> rows, cols = index.pairs({"e1": "p2", "e2": ["p1", "p3"]}, "forbidden", "assign")
>>> rows.tolist(), cols.tolist()
([0, 1, 1], [1, 0, 2])
>>> index.mask(["e2"], "forbidden", "recommend").astype(int).tolist()
[[0, 0, 0], [1, 1, 1]]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .errors import InputError, InvalidParameterError, Problem
from .io import read_pairs

__all__ = ["PAIRS_FORMS", "PairIndex", "id_index"]

#: What a pair argument may be, for messages.
PAIRS_FORMS = (
    "None, an iterable of (employee_id, position_id) pairs, a dict {employee_id: position_id "
    "or [position_id, ...]}, or a DataFrame or file with columns employee_id and position_id"
)


def id_index(ids) -> pd.Index:
    """A pandas Index of ids as exact strings (for look-ups by id).

    Examples
    --------
    >>> id_index([198609262015051001, "P1"]).tolist()
    ['198609262015051001', 'P1']
    """
    return pd.Index(np.asarray(ids, dtype=object).astype(str))


class PairIndex:
    """Turns pair arguments into index arrays over given employee and position ids.

    Parameters
    ----------
    employee_ids : array-like of shape (n_employees,)
    position_ids : array-like of shape (n_positions,)
    """

    def __init__(self, employee_ids, position_ids):
        self.employees = id_index(employee_ids)
        self.positions = id_index(position_ids)

    @property
    def shape(self) -> tuple[int, int]:
        """(n_employees, n_positions)."""
        return len(self.employees), len(self.positions)

    def pairs(
        self,
        items,
        name: str,
        caller: str,
        *,
        bare_ids: bool = False,
        problems: list[Problem] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Row and column indices of the pairs ``items`` names, in the order given.

        Parameters
        ----------
        items : pairs, dict, DataFrame, path or None
            See the module docstring.
        name, caller : str
            The parameter and the public function, for messages.
        bare_ids : bool, default=False
            Accept a bare employee or position id for all its pairs.
        problems : list of Problem, optional
            Unknown ids are appended here; without a list they raise
            :class:`~asn_match.errors.InputError` at once.

        Returns
        -------
        rows, cols : ndarray of int of shape (n_pairs,)
            The pairs with known ids (a bare id expanded to all its pairs).
        """
        own = problems is None
        found: list[Problem] = [] if problems is None else problems
        before = len(found)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        for t, item in enumerate(self._items(items, name, caller, bare_ids)):
            if isinstance(item, str):
                self._bare(item, t, name, caller, rows, cols, found)
                continue
            e, p = item
            i = int(self.employees.get_indexer(pd.Index([e]))[0])
            j = int(self.positions.get_indexer(pd.Index([p]))[0])
            for index, value, column, table in (
                (i, e, "employee_id", "employees"),
                (j, p, "position_id", "positions"),
            ):
                if index < 0:
                    found.append(
                        Problem(
                            name,
                            f"pair {t + 1}: {column} {value!r} is not in the scored {table}.",
                            row=t + 2,
                            column=column,
                            value=value,
                            expected=f"an id of the scored {table}",
                            code="unknown_id",
                            record_id=value,
                        )
                    )
            if i >= 0 and j >= 0:
                rows.append(np.array([i]))
                cols.append(np.array([j]))
        if own and len(found) > before:
            raise InputError(found)
        if not rows:
            return np.empty(0, np.intp), np.empty(0, np.intp)
        return np.concatenate(rows).astype(np.intp), np.concatenate(cols).astype(np.intp)

    def mask(self, items, name: str, caller: str, *, bare_ids: bool = True) -> np.ndarray:
        """Boolean mask of shape (n_employees, n_positions) of the pairs ``items`` names.

        Unknown ids raise :class:`~asn_match.errors.InputError` listing all of them.
        """
        rows, cols = self.pairs(items, name, caller, bare_ids=bare_ids)
        result = np.zeros(self.shape, dtype=bool)
        result[rows, cols] = True
        return result

    def _items(self, items, name: str, caller: str, bare_ids: bool) -> list:
        """The argument as a list of (employee_id, position_id) tuples and bare id strings."""
        if items is None:
            return []
        if isinstance(items, pd.DataFrame) or isinstance(items, os.PathLike):
            return self._read(items, name)
        if isinstance(items, str):
            if bare_ids and (items in self.employees or items in self.positions):
                return [items]
            return self._read(items, name)
        if isinstance(items, Mapping):
            result: list = []
            for e, targets in items.items():
                many = isinstance(targets, Iterable) and not isinstance(targets, (str, bytes))
                result.extend((str(e), str(p)) for p in (targets if many else [targets]))
            return result
        if not isinstance(items, Iterable):
            raise InvalidParameterError(name, caller, PAIRS_FORMS, items)
        result = []
        for item in items:
            if isinstance(item, (str, bytes, np.str_)) or np.isscalar(item):
                if not bare_ids:
                    raise InvalidParameterError(
                        name,
                        caller,
                        PAIRS_FORMS,
                        item,
                        fix="Each item must be an (employee_id, position_id) pair.",
                    )
                result.append(str(item))
            elif isinstance(item, Iterable) and len(item := tuple(item)) == 2:
                result.append((str(item[0]), str(item[1])))
            else:
                raise InvalidParameterError(name, caller, PAIRS_FORMS, item)
        return result

    @staticmethod
    def _read(source, name: str) -> list:
        return list(read_pairs(source, what=name))

    def _bare(self, key, t, name, caller, rows, cols, found) -> None:
        n, m = self.shape
        i = int(self.employees.get_indexer(pd.Index([key]))[0])
        j = int(self.positions.get_indexer(pd.Index([key]))[0])
        if i >= 0 and j >= 0:
            raise InvalidParameterError(
                name,
                caller,
                "pairs or ids that are either an employee or a position id",
                key,
                fix="It is both an employee and a position id: give the pair "
                "(employee_id, position_id) instead.",
            )
        if i >= 0:
            rows.append(np.full(m, i))
            cols.append(np.arange(m))
        elif j >= 0:
            rows.append(np.arange(n))
            cols.append(np.full(n, j))
        else:
            found.append(
                Problem(
                    name,
                    f"item {t + 1}: {key!r} is neither an employee id nor a position id of the "
                    "scores.",
                    value=key,
                    code="unknown_id",
                    expected="a scored employee or position id",
                    record_id=key,
                )
            )
