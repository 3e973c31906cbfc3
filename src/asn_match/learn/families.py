"""Job families: positions grouped by what they require, so that evidence pools across them.

A job family is a set of positions whose competency standards look alike (the same competencies
required at about the same levels). The learner fits one set of weights per family: a single
position rarely has enough history, a family often does.

Two ways to form families:

- ``by="standard"`` (default): k-means (scikit-learn ``KMeans``) of the standard profiles, a
  position's profile being its standard levels with 0 where a competency is not required. The
  number of families is the one that maximises the mean silhouette coefficient over 2 to
  ``max_families`` clusters; when even the best mean silhouette is below 0.25, the profiles show
  no substantial cluster structure (Kaufman and Rousseeuw's reading of the coefficient) and all
  positions form one family. ``n_families`` fixes the number instead.
- ``by="class"``: the agency's own ``class`` column (Administrator, Pengawas, ...); positions
  without a class form the family ``"(no class)"``.

Results do not depend on the row order of the positions: the distinct profiles are clustered in
lexicographic order (weighted by how many positions share each), and families are named ``F1``,
``F2``, ... in the order of their first profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from .._checks import check_choice, check_int
from ..errors import InvalidParameterError
from ..tables import Positions

__all__ = ["SILHOUETTE_FLOOR", "JobFamilies", "job_families", "require_sklearn"]

FamilyBasis = Literal["standard", "class"]

#: Below this best mean silhouette, the standard profiles form one family.
SILHOUETTE_FLOOR = 0.25
_NO_CLASS = "(no class)"
# The silhouette is quadratic in the positions; above this many it is estimated on a sample.
_SILHOUETTE_SAMPLE = 5000


def require_sklearn(caller: str) -> None:
    """Raise a clear ImportError naming the ``learn`` extra when scikit-learn is missing.

    Examples
    --------
    >>> require_sklearn("job_families")  # scikit-learn is installed here: nothing happens
    """
    try:
        import sklearn  # noqa: F401  (optional: the learn extra)
    except ImportError:
        raise ImportError(
            f"{caller} needs scikit-learn, which is not installed. Install it with: "
            "pip install 'asn_match[learn]'"
        ) from None


@dataclass(frozen=True, eq=False)
class JobFamilies:
    """The job family of each position, and how the families were formed.

    Attributes
    ----------
    position_ids : ndarray of shape (n_positions,), dtype object
    labels : ndarray of shape (n_positions,), dtype object
        The family of each position.
    names : tuple of str
        The families, in order.
    basis : {"standard", "class"}
    silhouette : DataFrame or None
        With ``by="standard"`` and no fixed ``n_families``: the mean silhouette coefficient of
        each number of families tried (columns ``n_families``, ``silhouette``).
    """

    position_ids: np.ndarray
    labels: np.ndarray
    names: tuple[str, ...]
    basis: str
    silhouette: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        for array in (self.position_ids, self.labels):
            array.setflags(write=False)

    def __len__(self) -> int:
        return len(self.names)

    def of(self, position_ids) -> np.ndarray:
        """The families of the given positions, shape (n,); raises KeyError on an unknown id.

        Examples
        --------
        >>> import asn_match as am
        >>> _, positions = am.datasets.synthetic_workforce(40, 12, seed=1)
        >>> families = job_families(am.read_positions(positions), by="class")
        >>> families.of(["POS-00001"]).tolist() == [families.labels[0]]
        True
        """
        lookup = pd.Series(self.labels, index=pd.Index(self.position_ids))
        wanted = pd.Index(np.asarray(position_ids, dtype=object))
        missing = wanted[~wanted.isin(lookup.index)]
        if len(missing):
            raise KeyError(f"positions without a family: {', '.join(map(str, missing[:10]))}")
        return lookup.loc[wanted].to_numpy(dtype=object)

    def to_frame(self) -> pd.DataFrame:
        """One row per position: ``position_id``, ``family``."""
        return pd.DataFrame({"position_id": self.position_ids, "family": self.labels})


def job_families(
    positions: Positions,
    *,
    by: FamilyBasis = "standard",
    n_families: int | None = None,
    max_families: int = 8,
    random_state: int = 0,
) -> JobFamilies:
    """Group positions into job families by their standard profiles or their class.

    Parameters
    ----------
    positions : Positions
        Validated positions (:func:`asn_match.read_positions`).
    by : {"standard", "class"}, default "standard"
        ``"standard"``: k-means of the standard profiles (module docstring); ``"class"``: the
        ``class`` column.
    n_families : int, optional
        With ``by="standard"``: the number of families. Default None: chosen by the mean
        silhouette coefficient over 2 to ``max_families``, one family when the best is below
        :data:`SILHOUETTE_FLOOR`.
    max_families : int, default 8
        The most families tried when ``n_families`` is None.
    random_state : int, default 0
        Seed of k-means (10 starts).

    Returns
    -------
    JobFamilies

    Raises
    ------
    InvalidParameterError
        On an unknown ``by``, or ``n_families`` above the number of distinct profiles.
    ImportError
        When scikit-learn is missing (``by="standard"``), naming the extra to install.

    Examples
    --------
    >>> import asn_match as am
    >>> history, positions, truth = am.datasets.synthetic_history(200, 30, seed=0)
    >>> families = job_families(am.read_positions(positions))
    >>> len(families) == truth.shape[0]
    True
    """
    caller = "job_families"
    if not isinstance(positions, Positions):
        raise InvalidParameterError(
            "positions", caller, "a Positions table (read it with asn_match.read_positions)",
            type(positions),
        )  # fmt: skip
    by = check_choice(by, "by", caller, get_args(FamilyBasis))
    max_families = check_int(max_families, "max_families", caller, minimum=2)
    n_families = check_int(n_families, "n_families", caller, minimum=1, allow_none=True)
    random_state = check_int(random_state, "random_state", caller, minimum=0)
    ids = np.asarray(positions.ids, dtype=object)
    if by == "class":
        labels = np.array(
            [_NO_CLASS if c is None else str(c) for c in positions.position_class], dtype=object
        )
        return JobFamilies(ids, labels, tuple(sorted(set(labels))), "class")

    require_sklearn(caller)
    profiles = np.nan_to_num(positions.standard, nan=0.0)
    distinct, inverse, counts = np.unique(profiles, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    if n_families is not None and n_families > len(distinct):
        raise InvalidParameterError(
            "n_families", caller,
            f"an int <= {len(distinct)} (the number of distinct standard profiles)", n_families,
        )  # fmt: skip
    silhouette = None
    if n_families is None:
        n_families, silhouette = _choose_n_families(
            distinct, counts, max_families=max_families, random_state=random_state
        )
    clusters = _kmeans(distinct, counts, n_families, random_state)
    # Families named in the order of their first (lexicographically smallest) profile.
    order = {c: i for i, c in enumerate(dict.fromkeys(clusters.tolist()))}
    names = tuple(f"F{i + 1}" for i in range(len(order)))
    family_of_profile = np.array([names[order[c]] for c in clusters], dtype=object)
    return JobFamilies(ids, family_of_profile[inverse], names, "standard", silhouette)


def _kmeans(profiles: np.ndarray, counts: np.ndarray, k: int, random_state: int) -> np.ndarray:
    if k == 1:
        return np.zeros(len(profiles), dtype=np.intp)
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    model = KMeans(n_clusters=k, n_init=10, random_state=random_state)
    # A few hundred profiles: threads only contend on a busy machine.
    with threadpool_limits(limits=1):
        return np.asarray(model.fit_predict(profiles, sample_weight=counts))


def _choose_n_families(
    profiles: np.ndarray, counts: np.ndarray, *, max_families: int, random_state: int
) -> tuple[int, pd.DataFrame]:
    """The number of families with the best mean silhouette (1 below the floor)."""
    from sklearn.metrics import silhouette_score

    tried, scores = [], []
    # Every position counts once in the silhouette, as in the clustering: profiles shared by
    # several positions are repeated.
    expanded = np.repeat(np.arange(len(profiles)), counts)
    for k in range(2, min(max_families, len(profiles) - 1) + 1):
        clusters = _kmeans(profiles, counts, k, random_state)
        if len(np.unique(clusters)) < 2:
            continue
        tried.append(k)
        sample = _SILHOUETTE_SAMPLE if len(expanded) > _SILHOUETTE_SAMPLE else None
        score = silhouette_score(
            profiles[expanded], clusters[expanded], sample_size=sample, random_state=random_state
        )
        scores.append(float(score))
    table = pd.DataFrame({"n_families": tried, "silhouette": scores})
    if not scores or max(scores) < SILHOUETTE_FLOOR:
        return 1, table
    return tried[int(np.argmax(scores))], table
