"""Pictures and sound coming into the journal: checked, and stripped of metadata."""
