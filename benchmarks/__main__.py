"""``python -m benchmarks``: the placement benchmark suite (see :mod:`benchmarks.suite`)."""

from benchmarks.suite import main

raise SystemExit(main())
