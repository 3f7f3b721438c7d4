"""Sync through a folder another program moves between devices (issue 18)."""
