"""Soft tones for the meditation's turns, made in memory: a sine with a gentle
attack and a long fade, as 16-bit mono PCM. No sound files are shipped."""

from __future__ import annotations

import math
from array import array

RATE = 22_050
IN_HZ = 392.0  # G4: the turn to breathing in
OUT_HZ = 329.6  # E4: the turn to breathing out
_ATTACK = 0.02  # seconds
_LOUDNESS = 0.18  # of full scale: a soft tone, never a jolt


def tone(frequency: float, seconds: float = 0.9, *, rate: int = RATE) -> bytes:
    """A tone of ``frequency`` Hz as little-endian signed 16-bit samples."""
    count = int(seconds * rate)
    samples = array("h")
    for i in range(count):
        t = i / rate
        attack = min(1.0, t / _ATTACK)
        fade = math.exp(-4.0 * t / seconds)
        value = _LOUDNESS * attack * fade * math.sin(2.0 * math.pi * frequency * t)
        samples.append(int(value * 32767))
    if samples.itemsize != 2:  # pragma: no cover (array "h" is 16-bit on every platform)
        raise RuntimeError("16-bit samples are needed")
    if array("h", [1]).tobytes() != b"\x01\x00":  # pragma: no cover (big-endian machine)
        samples.byteswap()
    return samples.tobytes()
