"""Afterglow: an encrypted, local-first journal for ketamine-assisted therapy."""

__version__ = "0.1.0"
