"""A neutral, documented order for breaking ties between equal scores.

When two employees have the same score for a seat, something must decide who gets it. The order of
the rows in the input file must not (the same data sorted differently would give another
placement), and neither may the raw id: an 18-digit NIP starts with the birth date and carries a
gender digit, so "smallest NIP first" would quietly prefer the oldest employees and, among people
born and appointed in the same month, men.

The rule used everywhere in asn_match: each id is hashed with keyed BLAKE2b (``hashlib.blake2b``,
8-byte digest, key :data:`TIEBREAK_KEY`) and ties go to the smaller hash. A keyed hash of the id is
a fixed pseudo-random permutation: it is reproducible (the same id always gets the same key, in any
input order, on any machine) and it carries no information about birth date or gender. The key is
part of the contract: changing it changes which of two exactly tied candidates is chosen, so it is
versioned (``-v1``) and only ever replaced by a new version.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from .errors import InvalidParameterError

__all__ = ["TIEBREAK_KEY", "canonical_order", "tiebreak_keys", "tiebreak_rank"]

#: The fixed, public key of the tie-break hash (see the module docstring).
TIEBREAK_KEY: bytes = b"asn_match-tiebreak-v1"

_DIGEST_SIZE = 8


def _as_id_strings(ids: npt.ArrayLike, caller: str) -> list[str]:
    arr = np.asarray(ids, dtype=object)
    if arr.ndim != 1:
        raise ValueError(
            f"The 'ids' parameter of {caller} must be a 1-D array-like of ids. "
            f"Got an array of shape {arr.shape} instead."
        )
    # str() of an id read as a string is itself; numbers (e.g. test data) get their decimal form.
    return [str(x) for x in arr.tolist()]


def _check_key(key: object, caller: str) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or not 0 < len(key) <= 64:
        raise InvalidParameterError("key", caller, "a bytes object of 1 to 64 bytes", key)
    return bytes(key)


def tiebreak_keys(ids: npt.ArrayLike, *, key: bytes = TIEBREAK_KEY) -> np.ndarray:
    """Keyed-hash tie-break keys of ids.

    Parameters
    ----------
    ids : array-like of shape (n,)
        Employee or position ids; each is used through ``str(id)``, encoded as UTF-8.
    key : bytes, default=TIEBREAK_KEY
        BLAKE2b key (1 to 64 bytes). Keep the default: it is the documented rule.

    Returns
    -------
    ndarray of shape (n,), uint64
        The first 8 bytes of ``blake2b(id, key=key)``, read big-endian. Smaller wins a tie.

    Examples
    --------
    >>> k = tiebreak_keys(["198609262015051001", "199001312014032007"])
    >>> k.dtype.name, k.shape
    ('uint64', (2,))
    >>> bool(k[0] == tiebreak_keys(["198609262015051001"])[0])
    True
    """
    strings = _as_id_strings(ids, "tiebreak_keys")
    key = _check_key(key, "tiebreak_keys")
    digests = b"".join(
        hashlib.blake2b(s.encode("utf-8"), key=key, digest_size=_DIGEST_SIZE).digest()
        for s in strings
    )
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


def canonical_order(ids: npt.ArrayLike, *, key: bytes = TIEBREAK_KEY) -> np.ndarray:
    """The permutation that sorts ids by their tie-break key.

    Solving a problem in this order makes the solver's own tie behaviour (which of two equal
    candidates it keeps) depend only on the hash of the ids, never on the input's row order or on
    the digits of the ids.

    Parameters
    ----------
    ids : array-like of shape (n,)
        Distinct ids.
    key : bytes, default=TIEBREAK_KEY
        BLAKE2b key; see :func:`tiebreak_keys`.

    Returns
    -------
    ndarray of shape (n,), intp
        ``order`` such that ``ids[order]`` is in canonical order: by hash, and by the id string
        for the (astronomically unlikely) equal hashes.

    Examples
    --------
    >>> ids = ["A", "B", "C", "D"]
    >>> order = canonical_order(ids)
    >>> shuffled = ["C", "A", "D", "B"]
    >>> [ids[i] for i in order] == [shuffled[i] for i in canonical_order(shuffled)]
    True
    """
    strings = _as_id_strings(ids, "canonical_order")
    hashes = tiebreak_keys(strings, key=key)
    if len(strings) == 0:
        return np.empty(0, dtype=np.intp)
    # lexsort: the last key is the primary one.
    return np.lexsort((np.array(strings, dtype=str), hashes)).astype(np.intp)


def tiebreak_rank(ids: npt.ArrayLike, *, key: bytes = TIEBREAK_KEY) -> np.ndarray:
    """Each id's place in the canonical order (0 = wins every tie).

    Parameters
    ----------
    ids : array-like of shape (n,)
        Distinct ids.
    key : bytes, default=TIEBREAK_KEY
        BLAKE2b key; see :func:`tiebreak_keys`.

    Returns
    -------
    ndarray of shape (n,), intp
        The inverse permutation of :func:`canonical_order`: use it as the last sort key, e.g.
        ``np.lexsort((tiebreak_rank(ids), -scores))`` sorts by score, ties by hash.

    Examples
    --------
    >>> ranks = tiebreak_rank(["A", "B", "C"])
    >>> sorted(ranks.tolist())
    [0, 1, 2]
    """
    order = canonical_order(ids, key=key)
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order), dtype=np.intp)
    return rank
