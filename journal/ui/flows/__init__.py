"""The flows of the main window: each owns its pages and their wiring and
gets the window only as a `journal.ui.shell.Shell`.

`opening` (first run, unlock, recovery), `home`, `journaling` (the guided
recall and its autosaved draft), `reading` (an entry, edits, reflections),
`searching`, `imagery` (the motif catalog), `checkins`, `sharing`,
`safekeeping` (backups, restore, export of everything), `workspace` (a
therapist's patients, their bundles read together, appointment notes).
"""
