"""Compilation of the numba kernels: one decorator for every compiled function of the package."""

from __future__ import annotations

import numba

__all__ = ["jit"]


def jit(function):
    """``numba.njit(cache=True)``, or without the cache when no cache directory is writable.

    Numba decides where to cache when the decorator runs and raises RuntimeError when it finds no
    writable place (e.g. a read-only install without a home directory); compiling every process
    is then the only option, and must not warn (tests turn warnings into errors).
    """
    try:
        return numba.njit(cache=True)(function)
    except RuntimeError:
        return numba.njit(cache=False)(function)
