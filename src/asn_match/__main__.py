"""``python -m asn_match``: the same as the ``asn-match`` command."""

import sys

from .cli import main

sys.exit(main())
