"""Themes: calm dark (the default), light and high contrast.

Colours are declared once per theme; the stylesheet is generated from them
and from the text size. Body text meets WCAG AAA contrast (7:1) in the calm
dark and high-contrast themes, which a test computes from these colours.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import NamedTuple

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication


class Theme(NamedTuple):
    name: str
    label: str
    background: str
    surface: str
    text: str
    muted: str
    border: str
    accent: str
    on_accent: str
    focus: str
    error: str
    highlight: str


THEMES = {
    "calm_dark": Theme(
        name="calm_dark",
        label="Calm dark",
        background="#14161b",
        surface="#1e2229",
        text="#ece7dd",
        muted="#c9c2b6",
        border="#3a404b",
        accent="#e5b27a",
        on_accent="#1a1208",
        focus="#f2c894",
        error="#ffb3a8",
        highlight="#5a4326",
    ),
    "light": Theme(
        name="light",
        label="Light",
        background="#faf8f4",
        surface="#ffffff",
        text="#1f1d1a",
        muted="#4a4640",
        border="#c9c3b8",
        accent="#8a4b12",
        on_accent="#ffffff",
        focus="#8a4b12",
        error="#a3261a",
        highlight="#f6dfb9",
    ),
    "high_contrast": Theme(
        name="high_contrast",
        label="High contrast",
        background="#000000",
        surface="#000000",
        text="#ffffff",
        muted="#ffffff",
        border="#ffffff",
        accent="#ffd54a",
        on_accent="#000000",
        focus="#00e5ff",
        error="#ff9e9e",
        highlight="#004e6b",
    ),
}


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def icons_folder() -> Path:
    """The folder of the app's icons (``journal.resources.icons``), found the
    way `importlib.resources.files` finds a package on disk, without its
    import (tempfile, shutil: ~8 ms of a start that has not painted yet)."""
    return Path(import_module("journal.resources.icons").__path__[0])


def _check_icon(theme: Theme) -> str:
    """Path of the check mark drawn in the theme's on-accent colour."""
    name = {"#ffffff": "light", "#000000": "black"}.get(theme.on_accent, "dark")
    icon = icons_folder() / f"check-{name}.svg"
    return str(icon).replace("\\", "/")


def _chevron_icon(theme: Theme) -> str:
    """Path of the drop-down arrow drawn in the theme's text colour."""
    name = "light" if relative_luminance(theme.text) > 0.5 else "dark"
    icon = icons_folder() / f"chevron-{name}.svg"
    return str(icon).replace("\\", "/")


def stylesheet(theme: Theme, text_size: int) -> str:
    t = theme
    check_icon = _check_icon(theme)
    chevron = _chevron_icon(theme)
    return f"""
    QWidget {{ background: {t.background}; color: {t.text}; font-size: {text_size}pt; }}
    QMainWindow, QDialog {{ background: {t.background}; }}
    QLabel {{ background: transparent; }}
    QLabel#title {{ font-size: {text_size + 10}pt; font-weight: 600; }}
    QLabel#prompt {{ font-size: {text_size + 8}pt; font-weight: 600; }}
    QLabel#pacer {{ font-size: {text_size + 14}pt; font-weight: 600; }}
    QLabel#hint, QLabel#muted {{ color: {t.muted}; }}
    QLabel#strong {{ font-weight: 700; }}
    QLabel#error {{ color: {t.error}; font-weight: 600; }}
    QLabel#banner {{ background: {t.surface}; border-bottom: 1px solid {t.border};
        padding: 10px 32px; }}
    QLabel#suggestion {{ font-size: {text_size + 2}pt; font-weight: 600;
                   background: {t.surface}; border: 1px solid {t.border};
                   border-radius: 10px; padding: 10px 16px; }}
    QLabel#code {{ font-family: monospace; font-size: {text_size + 4}pt;
                   background: {t.surface}; border: 1px solid {t.border};
                   border-radius: 10px; padding: 16px; }}
    QPushButton {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border};
                   border-radius: 10px; padding: 10px 20px; min-height: 1.6em; }}
    QPushButton:hover {{ border-color: {t.accent}; }}
    QPushButton:focus, QToolButton:focus {{ border: 3px solid {t.focus}; }}
    QPushButton:disabled {{ color: {t.muted}; background: {t.background};
                            border: 2px dashed {t.muted}; font-weight: 400; }}
    QPushButton#primary {{ background: {t.accent}; color: {t.on_accent}; font-weight: 700;
                           border: 3px solid {t.accent}; }}
    QPushButton#primary:focus {{ border: 3px solid {t.accent}; }}
    QPushButton#primary:disabled {{ background: {t.background}; color: {t.muted};
                                    border: 2px dashed {t.muted}; font-weight: 400; }}
    QPushButton#scale {{ min-width: 1.4em; min-height: 2.2em; padding: 4px;
                          font-size: {min(text_size + 4, 26)}pt; }}
    QPushButton#scale:checked {{ background: {t.accent}; color: {t.on_accent};
                                  font-weight: 700; }}
    QPushButton#option {{ text-align: left; padding: 6px 18px; }}
    QPushButton#option:checked {{ background: {t.accent}; color: {t.on_accent};
                                  font-weight: 700; }}
    QPushButton#segment:checked {{ background: {t.highlight}; border: 2px solid {t.accent}; }}
    QPushButton#swatch {{ border-radius: 22px; padding: 0; min-width: 44px; max-width: 44px;
                          min-height: 44px; max-height: 44px; border: 2px solid {t.muted}; }}
    QPushButton#swatch:checked {{ border: 6px solid {t.text}; }}
    QPushButton#swatch:focus {{ border: 6px solid {t.focus}; }}
    QLineEdit, QPlainTextEdit, QTextBrowser, QListView, QTreeView, QComboBox, QSpinBox,
    QDateTimeEdit {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border};
                     border-radius: 10px; padding: 8px;
                     selection-background-color: {t.highlight}; selection-color: {t.text};
                     placeholder-text-color: {t.muted}; }}
    QComboBox::drop-down, QDateTimeEdit::drop-down {{ subcontrol-origin: padding;
        subcontrol-position: center right; width: 40px; border: none; background: transparent; }}
    QComboBox::down-arrow, QDateTimeEdit::down-arrow {{ image: url("{chevron}"); width: 20px;
                                                      height: 12px; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextBrowser:focus, QListView:focus,
    QTreeView:focus, QComboBox:focus, QSpinBox:focus, QDateTimeEdit:focus {{
        border: 3px solid {t.focus}; }}
    QListView::item, QTreeView::item {{ padding: 8px; }}
    QListView::indicator {{ width: {text_size + 6}px; height: {text_size + 6}px;
        border: 2px solid {t.text}; border-radius: 6px; background: {t.surface}; }}
    QListView::indicator:checked {{ background: {t.accent}; border-color: {t.accent};
                                    image: url("{check_icon}"); }}
    QListView::item:selected, QTreeView::item:selected {{ background: {t.highlight};
                                                          color: {t.text}; }}
    QCheckBox, QRadioButton {{ spacing: 14px; padding: 4px 6px; min-height: 1.5em;
                              background: transparent; border: 3px solid transparent;
                              border-radius: 8px; }}
    QCheckBox:focus, QRadioButton:focus {{ border: 3px solid {t.focus}; }}
    QCheckBox:disabled, QRadioButton:disabled {{ color: {t.muted}; }}
    QSlider {{ border: 3px solid transparent; border-radius: 8px; }}
    QSlider:focus {{ border: 3px solid {t.focus}; }}
    QCheckBox::indicator, QRadioButton::indicator {{
        width: {text_size + 6}px; height: {text_size + 6}px; border: 2px solid {t.text};
        background: {t.surface}; }}
    QCheckBox::indicator {{ border-radius: 6px; }}
    QRadioButton::indicator {{ border-radius: {(text_size + 10) // 2}px; }}
    QCheckBox::indicator:checked {{ background: {t.accent}; border-color: {t.accent};
                                    image: url("{check_icon}"); }}
    QRadioButton::indicator:checked {{ background: {t.accent}; border: 6px solid {t.surface};
                                       outline: 2px solid {t.accent}; }}
    QCheckBox::indicator:focus, QRadioButton::indicator:focus {{ border-color: {t.focus}; }}
    QTabWidget::pane {{ border: 1px solid {t.border}; border-radius: 10px; top: -1px; }}
    QTabBar {{ qproperty-drawBase: 0; }}
    QTabBar::tab {{ background: {t.background}; color: {t.text}; border: 1px solid {t.border};
                    border-radius: 10px; padding: 6px 16px; margin: 0 6px 6px 0; }}
    QTabBar::tab:selected {{ background: {t.highlight}; border: 1px solid {t.text};
                             font-weight: 700; }}
    QTabBar::tab:focus {{ border: 3px solid {t.focus}; }}
    QWidget#offer {{ background: {t.surface}; border: 1px solid {t.border};
                     border-radius: 12px; }}
    QWidget#scalebox {{ border: 3px solid transparent; border-radius: 12px; }}
    QWidget#scalebox:focus {{ border: 3px solid {t.focus}; }}
    QToolBar > QWidget {{ background: transparent; }}
    QToolBar {{ background: {t.surface}; border: none; spacing: 8px; padding: 6px; }}
    QToolButton {{ background: transparent; color: {t.text}; border: 1px solid transparent;
                   border-radius: 8px; padding: 4px 8px; font-size: {max(14, text_size - 3)}pt; }}
    QToolButton:hover {{ border-color: {t.border}; }}
    QToolButton#tile {{ padding: 2px 4px; }}
    QToolButton#tile::menu-indicator {{ image: none; width: 0; }}
    QProgressBar {{ background: {t.surface}; border: none; border-radius: 4px; height: 8px; }}
    QProgressBar::chunk {{ background: {t.accent}; border-radius: 4px; }}
    QScrollArea {{ border: none; }}
    QScrollBar:vertical {{ background: {t.background}; width: 14px; margin: 2px; border: none; }}
    QScrollBar:horizontal {{ background: {t.background}; height: 14px; margin: 2px; border: none; }}
    QScrollBar::handle {{ background: {t.muted}; border-radius: 5px; min-height: 40px;
                          min-width: 40px; }}
    QScrollBar::handle:hover {{ background: {t.text}; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
    QMenuBar, QMenu {{ background: {t.surface}; color: {t.text}; }}
    QMenu::item:selected, QMenuBar::item:selected {{ background: {t.highlight}; }}
    QToolTip {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; }}
    """


def apply(app: QApplication, theme_name: str, text_size: int) -> Theme:
    theme = THEMES.get(theme_name, THEMES["calm_dark"])
    font = QFont(app.font())
    font.setPointSize(text_size)
    app.setFont(font)
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, theme.background),
        (QPalette.ColorRole.Base, theme.surface),
        (QPalette.ColorRole.Text, theme.text),
        (QPalette.ColorRole.WindowText, theme.text),
        (QPalette.ColorRole.ButtonText, theme.text),
        (QPalette.ColorRole.Button, theme.surface),
        (QPalette.ColorRole.Highlight, theme.highlight),
        (QPalette.ColorRole.HighlightedText, theme.text),
        (QPalette.ColorRole.Link, theme.accent),
        (QPalette.ColorRole.PlaceholderText, theme.muted),
    ):
        palette.setColor(role, QColor(color))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(theme, text_size))
    app.setProperty(_THEME_PROPERTY, theme_name)
    return theme


_THEME_PROPERTY = "afterglow-theme"
DESK_TEXT_SIZE = 12  # the therapist's reader: read at a desk, not right after a session


def current(app: QApplication | None = None) -> Theme:
    """The theme the app shows now (for what is painted by hand)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    name = str(app.property(_THEME_PROPERTY) or "") if app is not None else ""
    return THEMES.get(name, THEMES["calm_dark"])


def desk_stylesheet(app: QApplication) -> str:
    """The current theme at a desk reading size (the reader's window)."""
    return stylesheet(current(app), DESK_TEXT_SIZE)
