"""Settings: theme, text size, gentle mode, motion, auto-lock, the country for crisis numbers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal.core.checkins import crisis
from journal.ui import settings as keys
from journal.ui.settings import Settings
from journal.ui.theme import THEMES
from journal.ui.theme import apply as apply_theme
from journal.ui.widgets import fit_dialog, label


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for theme in THEMES.values():
            self.theme.addItem(theme.label, theme.name)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.text_size = QSpinBox()
        self.text_size.setAccessibleName("Text size")
        self.text_size.setRange(keys.TEXT_SIZE.minimum or 14, keys.TEXT_SIZE.maximum or 36)
        self.text_size.setSuffix(" pt")
        self.text_size.setValue(settings.text_size)
        self.gentle = QCheckBox("One prompt at a time, in large type")
        self.gentle.setAccessibleName("Gentle mode")
        self.gentle.setChecked(settings.gentle_mode)
        self.still = QCheckBox("Keep moving shapes still (the breathing guide)")
        self.still.setAccessibleName("Reduce motion")
        self.still.setChecked(settings.reduce_motion)
        self.notify = QCheckBox("Tell me on the desktop when a next step is ready")
        self.notify.setAccessibleName("Desktop notifications")
        self.notify.setAccessibleDescription(
            "Only which kind of step, such as “a next-day reflection is ready”; never your words"
        )
        self.notify.setChecked(bool(settings.get(keys.NOTIFICATIONS)))
        self.auto_lock = QSpinBox()
        self.auto_lock.setAccessibleName("Auto-lock after minutes")
        self.auto_lock.setRange(0, keys.AUTO_LOCK_MINUTES.maximum or 240)
        self.auto_lock.setSuffix(" min")
        self.auto_lock.setSpecialValueText("Never")
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.country = QComboBox()
        self.country.setAccessibleName("Country for crisis numbers")
        self.country.addItem("As this computer's region", "auto")
        regions = sorted(
            (r for r in crisis.REGIONS.values() if r.code != crisis.OTHER), key=lambda r: r.name
        )
        for region in regions:
            self.country.addItem(region.name, region.code)
        self.country.addItem(crisis.REGIONS[crisis.OTHER].name, crisis.OTHER)
        self.country.setCurrentIndex(
            max(0, self.country.findData(settings.get(keys.CRISIS_COUNTRY)))
        )
        form = QFormLayout()
        form.setSpacing(14)
        # Each label above its field: nothing is squeezed beside a long label.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for text, field in (
            ("Theme", self.theme),
            ("Text size", self.text_size),
            ("Gentle mode", self.gentle),
            ("Motion", self.still),
            ("Reminders", self.notify),
            ("Lock after", self.auto_lock),
            ("Crisis numbers", self.country),
        ):
            caption = label(text, wrap=False)
            caption.setBuddy(field)  # a screen reader names the field by its label
            form.addRow(caption, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(28, 20, 28, 12)
        layout.addLayout(form)
        layout.addWidget(
            label(
                "Settings hold only how Afterglow looks and behaves — never anything you wrote.",
                name="hint",
            )
        )
        fit_dialog(self, content, buttons, width=980, height=720)

    def save(self) -> None:
        self.settings.set(keys.THEME, self.theme.currentData())
        self.settings.set(keys.TEXT_SIZE, self.text_size.value())
        self.settings.set(keys.GENTLE_MODE, self.gentle.isChecked())
        self.settings.set(keys.REDUCE_MOTION, self.still.isChecked())
        self.settings.set(keys.NOTIFICATIONS, self.notify.isChecked())
        self.settings.set(keys.AUTO_LOCK_MINUTES, self.auto_lock.value())
        self.settings.set(keys.CRISIS_COUNTRY, self.country.currentData())


def open_settings(parent: QWidget, settings: Settings, *, saved: Callable[[], None]) -> None:
    """Open the settings (not blocking); on Save, store them, apply the theme and
    text size to the whole app, and call ``saved``."""
    dialog = SettingsDialog(settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def accepted() -> None:
        dialog.save()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, settings.theme, settings.text_size)
        saved()

    dialog.accepted.connect(accepted)
    dialog.open()
