"""Example data in the input schema: the embedded default and synthetic workforces of any size."""

from ._history import synthetic_history
from ._synthetic import synthetic_workforce
from ._tegal import tegal_administrators

__all__ = ["synthetic_history", "synthetic_workforce", "tegal_administrators"]
