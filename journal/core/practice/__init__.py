"""Practices around a session that need no storage: the breathing pacer and
the body scan (pacer.py), the soft tones at their turns (tones.py), and the
treatment day's checklist file (checklist.py)."""
