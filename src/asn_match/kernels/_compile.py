"""Compilation of the numba kernels: one decorator for every compiled function of the package."""

from __future__ import annotations

import numba

__all__ = ["jit"]


def jit(function=None, *, inline: bool = False):
    """``numba.njit(cache=True)``, or without the cache when no cache directory is writable.

    Numba decides where to cache when the decorator runs and raises RuntimeError when it finds no
    writable place (e.g. a read-only install without a home directory); compiling every process
    is then the only option, and must not warn (tests turn warnings into errors).

    ``@jit(inline=True)`` inlines the function into its compiled callers: a call that passes
    arrays otherwise counts references on each of them, atomically, which dominated the search
    of the capacity solver (its heap's small functions run millions of times a solve).
    """
    options = {"inline": "always"} if inline else {}

    def compiled(function):
        try:
            return numba.njit(cache=True, **options)(function)
        except RuntimeError:
            return numba.njit(cache=False, **options)(function)

    return compiled if function is None else compiled(function)
