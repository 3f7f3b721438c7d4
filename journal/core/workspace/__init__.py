"""The therapist's workspace: bundles kept encrypted in the therapist's own
vault, read across visits, with the therapist's own notes.

keeping.py (keep a verified bundle under its patient, and every refusal),
view.py (a patient across every bundle: merged records, new since the last
bundle, agenda marks, search), record.py (the export for the clinical record).
"""
