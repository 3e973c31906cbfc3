"""Test configuration: Hypothesis profiles chosen by the HYPOTHESIS_PROFILE environment variable.

- ``default``: what CI and a plain ``pytest`` run use; derandomized so a failure reproduces.
- ``dev``: fewer examples for a quick local loop.
- ``thorough``: many more examples, for a search before a release.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=15, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
