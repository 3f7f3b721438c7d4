"""Afterglow: an encrypted, local-first journal for ketamine-assisted therapy."""

__version__ = "0.1.0"
# The application id (reverse DNS): the desktop entry, AppStream metainfo and
# icons are named by it, and the desktop matches windows to the entry by it.
APP_ID = "org.afterglowjournal.Afterglow"
