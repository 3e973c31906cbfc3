"""Progress bars of long runs: tqdm when the caller asks for it (the ``progress`` extra).

Library code never prints; a bar appears on standard error only with ``progress=True``.
"""

from __future__ import annotations

from typing import Any

from .errors import InvalidParameterError

__all__ = ["progress_bar"]


def progress_bar(show: bool, total: int, unit: str, caller: str) -> Any:
    """A tqdm bar of ``total`` ``unit``s, or None when ``show`` is False.

    Raises :class:`~asn_match.errors.InvalidParameterError` naming the extra to install when
    tqdm is missing.

    Examples
    --------
    >>> progress_bar(False, 10, "employee", "score") is None
    True
    """
    if not show:
        return None
    try:
        from tqdm.auto import tqdm  # optional: imported only when a bar is asked for
    except ImportError:
        raise InvalidParameterError(
            "progress",
            caller,
            "False unless tqdm is installed",
            True,
            fix="Install it with: pip install 'asn_match[progress]'.",
        ) from None
    return tqdm(total=total, unit=unit, leave=False)
