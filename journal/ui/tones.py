"""The meditation's soft tones, played from memory (the samples are made by
`journal.core.practice.tones`). Where there is no sound device, or
QtMultimedia cannot load, `available` is False and nothing plays."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject

from journal.core.practice import tones


def default_output() -> Any:
    """The system's default sound output, or None (the edge tests replace)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return None
    device = QMediaDevices.defaultAudioOutput()
    return None if device.isNull() else device


class ToneBell(QObject):
    def __init__(self, parent: QObject | None = None, *, device: Any = None) -> None:
        super().__init__(parent)
        self.device = device if device is not None else default_output()
        self._sink: Any = None
        self._buffer: QBuffer | None = None
        self._samples = {
            "in": tones.tone(tones.IN_HZ),
            "out": tones.tone(tones.OUT_HZ),
        }

    @property
    def available(self) -> bool:
        return self.device is not None

    def samples(self, turn: str) -> bytes:
        return self._samples["in" if turn == "in" else "out"]

    def ring(self, turn: str) -> bool:
        """Play the tone of a turn ("in" or "out"); False when there is no sound."""
        if self.device is None:
            return False
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink

        self.stop()
        fmt = QAudioFormat()
        fmt.setSampleRate(tones.RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not self.device.isFormatSupported(fmt):
            return False
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self.samples(turn)))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(self.device, fmt, self)
        self._sink.start(self._buffer)
        return True

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
