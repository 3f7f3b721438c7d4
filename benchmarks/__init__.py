"""Reproducible performance measurements (see docs/performance.md)."""
