"""Every setting, declared once with its type and default (after KeePassXC).

Stored with QSettings. Settings hold nothing sensitive: no entry text,
titles, names, vault or export paths — only how the app looks and behaves.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import QLocale, QSettings

from journal.core.checkins import crisis


class Setting(NamedTuple):
    key: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


THEME = Setting("appearance/theme", "calm_dark", choices=("calm_dark", "light", "high_contrast"))
TEXT_SIZE = Setting("appearance/text_size", 20, minimum=14, maximum=36)
GENTLE_MODE = Setting("journaling/gentle_mode", True)
AUTO_LOCK_MINUTES = Setting("security/auto_lock_minutes", 10, minimum=0, maximum=240)
# A therapist's workspace holds many people's journals: it locks after this
# many idle minutes, unless the person chose a shorter time.
WORKSPACE_LOCK_MINUTES = 5
# Which crisis numbers to show; "auto" follows the system's region.
CRISIS_COUNTRY = Setting("safety/crisis_country", "auto", choices=("auto", *crisis.REGIONS))

# Motion: the breathing pacer's shape stays still and only its words change.
# (Qt 6 reports no desktop "reduce motion" preference, only a contrast one.)
REDUCE_MOTION = Setting("accessibility/reduce_motion", False)
# Desktop notifications of the next step (off unless the patient turns them
# on); they say only which kind of step is ready, never a word of the journal.
NOTIFICATIONS = Setting("reminders/notifications", False)
MEDITATION_TONES = Setting("meditation/tones", True)
MEDITATION_MINUTES = Setting("meditation/minutes", 5, minimum=3, maximum=10)
BREATHS_PER_MINUTE = Setting("meditation/breaths_per_minute", 6, minimum=4, maximum=6)
MEDITATION_KIND = Setting("meditation/kind", "breathing", choices=("breathing", "body_scan"))

# Those the Settings dialog shows; the meditation's choices are remembered
# where they are made.
DIALOG = (
    THEME,
    TEXT_SIZE,
    GENTLE_MODE,
    AUTO_LOCK_MINUTES,
    CRISIS_COUNTRY,
    REDUCE_MOTION,
    NOTIFICATIONS,
)
ALL = (*DIALOG, MEDITATION_TONES, MEDITATION_MINUTES, BREATHS_PER_MINUTE, MEDITATION_KIND)


class Settings:
    """Typed access to the declared settings; out-of-range stored values fall
    back to the default rather than break the app."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("Afterglow", "Afterglow")

    def get(self, setting: Setting) -> Any:
        raw = self._store.value(setting.key, setting.default)
        default = setting.default
        try:
            if isinstance(default, bool):
                value: Any = raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1")
            elif isinstance(default, int):
                value = int(str(raw))
                if setting.minimum is not None and value < setting.minimum:
                    return default
                if setting.maximum is not None and value > setting.maximum:
                    return default
            else:
                value = str(raw)
                if setting.choices and value not in setting.choices:
                    return default
        except (TypeError, ValueError):
            return default
        return value

    def set(self, setting: Setting, value: Any) -> None:
        self._store.setValue(setting.key, value)
        self._store.sync()

    @property
    def theme(self) -> str:
        return str(self.get(THEME))

    @property
    def text_size(self) -> int:
        return int(self.get(TEXT_SIZE))

    @property
    def gentle_mode(self) -> bool:
        return bool(self.get(GENTLE_MODE))

    @property
    def reduce_motion(self) -> bool:
        return bool(self.get(REDUCE_MOTION))

    @property
    def auto_lock_minutes(self) -> int:
        return int(self.get(AUTO_LOCK_MINUTES))

    def lock_minutes(self, *, workspace: bool) -> int:
        """The idle minutes before locking (0: never). A workspace never waits
        longer than `WORKSPACE_LOCK_MINUTES`, "never" included."""
        minutes = self.auto_lock_minutes
        if workspace and not 0 < minutes <= WORKSPACE_LOCK_MINUTES:
            return WORKSPACE_LOCK_MINUTES
        return minutes

    @property
    def crisis_country(self) -> str:
        """A key of `crisis.REGIONS`: the chosen country, or the system's
        region when that is one Afterglow knows, else "other"."""
        chosen = str(self.get(CRISIS_COUNTRY))
        if chosen != "auto":
            return chosen
        code = QLocale.territoryToCode(QLocale.system().territory())
        return code if code in crisis.REGIONS else crisis.OTHER
