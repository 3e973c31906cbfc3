"""Benchmarks of asn_match: the placement suite (``python -m benchmarks``) and standalone scripts.

``python -m benchmarks --suite quick|full`` runs the placement suite of :mod:`benchmarks.suite`;
the ``bench_*.py`` scripts measure single kernels (see ``RESULTS.md``).
"""
