"""The Qt desktop app. Thin: it shows state and calls core operations.

Importing it loads PySide6 and stops shiboken reading source files at every
later import (`no_feature_source_reads`), before any page module loads.
"""

import sys

import PySide6.QtCore  # noqa: F401  (loads shiboken and its import hook)


def _uses_pyside(_module: object) -> bool:
    return True


def no_feature_source_reads() -> None:
    """PySide's ``__feature__`` support (``from __feature__ import snake_case``)
    hooks every import made after PySide6's and, for each module it has not
    seen, reads the module's whole source looking for the word "PySide6"
    (``shibokensupport.feature._mod_uses_pyside``): some 60 source files and
    about 5 ms before the app's first window. Nothing in Afterglow selects a
    feature, so every module gets the answer that check gives a module using
    PySide and selecting none (Qt's own camelCase names); a module that does
    import ``__feature__`` is still handled by the hook. A PySide6 without
    this internal keeps its check."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]


no_feature_source_reads()
