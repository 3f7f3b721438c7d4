"""Feedback on a passphrase while it is being chosen.

A rough, honest estimate — length matters most — phrased for a person, not
a score to game. The only hard rule (at least 8 characters) lives in
`journal.core.vault.keyfile.check_passphrase_strength`.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

# The shortest passphrase a vault accepts (keyfile checks it; the app says it as you type).
MIN_PASSPHRASE_CHARS = 8


@dataclass(frozen=True)
class Strength:
    level: int  # 0 too short, 1 weak, 2 fair, 3 strong
    message: str


def estimate_bits(passphrase: str) -> float:
    text = unicodedata.normalize("NFC", passphrase)
    if not text:
        return 0.0
    pool = 0
    if any(c.islower() for c in text):
        pool += 26
    if any(c.isupper() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() and not c.isspace() for c in text):
        pool += 33
    if any(c.isspace() for c in text):
        pool += 1
    if any(ord(c) > 127 for c in text):
        pool += 100
    distinct = len(set(text))
    # Repeated characters add little: count the length at most 2x the distinct ones.
    effective = min(len(text), 2 * distinct)
    return effective * math.log2(max(pool, 2))


def strength(passphrase: str) -> Strength:
    if len(unicodedata.normalize("NFC", passphrase).strip()) < MIN_PASSPHRASE_CHARS:
        return Strength(0, f"Too short: use at least {MIN_PASSPHRASE_CHARS} characters.")
    bits = estimate_bits(passphrase)
    if bits < 45:
        return Strength(
            1, "Weak: a few ordinary words in a row are easier to remember and much stronger."
        )
    if bits < 70:
        return Strength(2, "Fair: one or two more words would make it strong.")
    return Strength(3, "Strong.")
