"""Talent management on the competency mapping: 9-box, succession pools, IP ASN, development.

What an HR analyst does with the scores besides placing people (docs/DOMAIN.md):

- :func:`nine_box` and :func:`nine_box_counts`: performance and potential to boxes 1-9
  (:class:`NineBoxPolicy`);
- :func:`succession_pools` and :func:`pool_strength`: the succession group of each position
  (PP 11/2017 art. 199-200), built on :func:`asn_match.succession`;
- :func:`professionalism_index` and :func:`professionalism_by_unit`: the Indeks Profesionalitas
  ASN (:class:`ProfessionalismPolicy`);
- :func:`development_plan` and :func:`training_needs`: the gaps to the current and a target
  position, ordered by their weight on the JPM, in lesson hours against the 20 JP a year
  (:class:`DevelopmentPolicy`).
"""

from .development import DevelopmentPolicy, development_plan, training_needs
from .nine_box import NineBoxPolicy, nine_box, nine_box_counts
from .pools import pool_strength, succession_pools
from .professionalism import (
    ProfessionalismPolicy,
    professionalism_by_unit,
    professionalism_index,
)

__all__ = [
    "DevelopmentPolicy",
    "NineBoxPolicy",
    "ProfessionalismPolicy",
    "development_plan",
    "nine_box",
    "nine_box_counts",
    "pool_strength",
    "professionalism_by_unit",
    "professionalism_index",
    "succession_pools",
    "training_needs",
]
