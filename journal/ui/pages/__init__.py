"""The screens of the main window, one thing at a time."""
