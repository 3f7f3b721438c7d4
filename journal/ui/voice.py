"""Voice notes: recording from the microphone into memory (a level meter and
the elapsed time while recording), and playing a voice note from memory.
Encoding to WAV happens in `journal.core.imagery.media`; nothing touches the disk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QTimer,
    QUrl,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from journal.ui.widgets import button, label


def default_input() -> Any:
    """The system's default microphone, or None where there is none or
    QtMultimedia cannot load (the edge tests replace)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return None
    device = QMediaDevices.defaultAudioInput()
    return None if device.isNull() else device


@dataclass(frozen=True)
class Recording:
    frames: bytes
    rate: int
    channels: int
    sample_width: int
    is_float: bool


class VoiceRecorder(QDialog):
    """Record from the microphone into memory: a level meter and the elapsed
    time while recording; then keep it, record again, or discard it."""

    def __init__(self, parent: QWidget | None, max_bytes: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Voice note")
        self.setModal(True)
        self.max_bytes = max_bytes
        self.on_keep: Callable[[Recording], None] | None = None
        self.frames = bytearray()
        self.source: Any = None
        self._io: Any = None
        self.format: tuple[int, int, int, bool] = (16_000, 1, 2, False)
        self.ticker = QTimer(self)
        self.ticker.setInterval(200)
        self.ticker.timeout.connect(self._tick)
        self.status = label("")
        self.elapsed = label("0:00", name="title", wrap=False)
        self.elapsed.setAccessibleName("Elapsed time")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Sound level")
        self.meter.setMinimumHeight(18)
        self.record = button("Start recording", primary=True)
        self.record.clicked.connect(self._toggle)
        self.keep = button("Keep voice note", primary=True)
        self.again = button("Record again")
        self.discard = button("Discard")
        self.keep.clicked.connect(self.accept)
        self.again.clicked.connect(self._again)
        self.discard.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.discard)
        row.addStretch(1)
        row.addWidget(self.again)
        row.addWidget(self.record)
        row.addWidget(self.keep)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(16)
        layout.addWidget(label("A voice note", name="title"))
        layout.addWidget(label("Say what you saw, in your own words.", name="hint"))
        layout.addWidget(self.status)
        layout.addWidget(self.elapsed)
        layout.addWidget(self.meter)
        layout.addLayout(row)
        self.device = default_input()
        if self.device is None:
            self.status.setText(
                "No microphone was found, so recording is not possible on this computer. "
                "You can still add a sound file, draw, or write."
            )
            self.record.setEnabled(False)
            self.discard.setText("Close")
            self.discard.setAccessibleName("Close")
        else:
            self.status.setText(
                "Press Start recording and speak; the recording stays in memory until you "
                "keep it in your journal."
            )
        self._show_state(recording=False)
        self.setMinimumSize(760, 440)

    def _show_state(self, *, recording: bool) -> None:
        has = bool(self.frames)
        self.record.setText("Stop" if recording else "Start recording")
        self.record.setAccessibleName(self.record.text())
        self.record.setVisible(recording or not has)
        self.keep.setVisible(has and not recording)
        self.again.setVisible(has and not recording)
        self.meter.setVisible(self.device is not None)
        self.elapsed.setVisible(self.device is not None)
        if self.device is None:
            self.record.setVisible(False)  # nothing to start: only Close
            self.discard.setFocus()
        else:
            (self.keep if has and not recording else self.record).setFocus()

    def _toggle(self) -> None:
        if self.source is None:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSource

        wanted = QAudioFormat()
        wanted.setSampleRate(16_000)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        chosen = wanted if self.device.isFormatSupported(wanted) else self.device.preferredFormat()
        sample = chosen.sampleFormat()
        widths = {
            QAudioFormat.SampleFormat.UInt8: 1,
            QAudioFormat.SampleFormat.Int16: 2,
            QAudioFormat.SampleFormat.Int32: 4,
            QAudioFormat.SampleFormat.Float: 4,
        }
        self.format = (
            chosen.sampleRate(),
            chosen.channelCount(),
            widths.get(sample, 2),
            sample == QAudioFormat.SampleFormat.Float,
        )
        self.frames.clear()
        self.source = QAudioSource(self.device, chosen, self)
        self._io = self.source.start()
        if self._io is None or self.source.error() != QAudio.Error.NoError:
            self.source.deleteLater()
            self.source, self._io = None, None
            self.status.setText(
                "The microphone could not be opened. Is another program using it? "
                "You can still add a sound file, draw, or write."
            )
            return
        self._io.readyRead.connect(self._read)
        self.ticker.start()
        self.status.setText("Recording… press Stop when you are done.")
        self._show_state(recording=True)

    def _read(self) -> None:
        if self._io is not None:
            self.feed(bytes(self._io.readAll().data()))

    def feed(self, chunk: bytes) -> None:
        """Samples from the source: kept, and shown on the level meter."""
        from journal.core.imagery.media import level

        room = self.max_bytes - 1024 - len(self.frames)
        self.frames += chunk[: max(0, room)]
        width, is_float = self.format[2], self.format[3]
        self.meter.setValue(0 if is_float else int(100 * level(chunk, width)))
        if room <= len(chunk) and self.source is not None:
            self.stop()
            self.status.setText("The voice note reached its longest length and was stopped.")

    def _tick(self) -> None:
        rate, channels, width, _ = self.format
        seconds = len(self.frames) // max(1, rate * channels * width)
        self.elapsed.setText(f"{seconds // 60}:{seconds % 60:02d}")

    def stop(self) -> None:
        source, self.source = self.source, None
        if source is not None:
            device, self._io = self._io, None
            if device is not None:
                self.feed(bytes(device.readAll().data()))  # the last samples
            source.stop()
            source.deleteLater()
        self.ticker.stop()
        self._tick()
        self.meter.setValue(0)
        self.status.setText(
            "Keep it in your journal, record again, or discard it."
            if self.frames
            else "Nothing was recorded. Is the microphone muted?"
        )
        self._show_state(recording=False)

    def _again(self) -> None:
        self.frames.clear()
        self.start()

    def recording(self) -> Recording | None:
        if not self.frames:
            return None
        rate, channels, width, is_float = self.format
        return Recording(bytes(self.frames), rate, channels, width, is_float)

    def close_for_lock(self) -> None:
        """Locking: a recording is stopped and kept (``on_keep``), not lost."""
        if self.source is not None:
            self.stop()
        taken = self.recording()
        if taken is not None and self.on_keep is not None:
            self.on_keep(taken)
        self.done(QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        if self.source is not None:
            self.stop()
        if result != QDialog.DialogCode.Accepted:
            self.frames.clear()  # a discarded recording is gone
        super().done(result)


class SoundPlayer(QObject):
    """Plays a voice note from memory (a `QBuffer`), never from a file."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.player: Any = None
        self._buffer: QBuffer | None = None

    @staticmethod
    def make_player(parent: QObject) -> Any:
        """A media player with an audio output (the edge tests replace); None
        where QtMultimedia cannot load."""
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError:
            return None
        player = QMediaPlayer(parent)
        player.setAudioOutput(QAudioOutput(player))
        return player

    def play(self, data: bytes, name: str = "voice note") -> bool:
        """Start playing; False where audio cannot play on this computer."""
        if self.player is None:
            self.player = self.make_player(self)
            if self.player is None:
                return False
        self.stop()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.player.setSourceDevice(self._buffer, QUrl(f"memory:{name}"))
        self.player.play()
        return True

    def stop(self) -> None:
        """Stop, and let go of the sound held in memory."""
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None


NO_AUDIO = (
    "Sound can't be played here: the system's audio library is missing "
    "(on Debian and Ubuntu: the package libpulse0)."
)
