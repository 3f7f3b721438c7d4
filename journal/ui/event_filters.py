"""Two small event filters of the main window: restarting the auto-lock
timer on any use, and noticing the window's first paint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

_USER_INPUT = (
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
)


class IdleWatcher(QObject):
    """Restarts the auto-lock timer on any key press or mouse use."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() in _USER_INPUT and self._timer.isActive():
            self._timer.start()
        return False


class FirstPaint(QObject):
    """Calls back once, when the watched widget first paints."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)
        return False
