"""What may go into the vault as a picture or a voice note, and in what form.

Pictures are read with Pillow, checked (size, damage, format), turned upright
by their EXIF orientation and written out again with no metadata at all — no
EXIF (camera, time, GPS location), no XMP, no comments; only the colour
profile stays. JPEGs stay JPEG, every other format becomes PNG, so every
viewer (the app, the report, a browser, a PDF) shows them.

Audio files are read with mutagen: WAV, MP3, Ogg (Vorbis, Opus), FLAC and
M4A/AAC are taken, with their tags (title, artist, location…) removed.
Recordings made in the app are encoded to WAV here, in memory.

Every refusal is `InvalidInput` with one sentence saying what happened and
what to do; nothing is stored then.
"""

from __future__ import annotations

import array
import io
import mimetypes
import sys
import wave
from dataclasses import dataclass

from journal.core.errors import InvalidInput
from journal.core.model import Attachment, AttachmentKind

# One attachment may be a long voice note or a large photo, not a film.
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024

# A phone's 50-megapixel photo (8,160 × 6,120) fits; a 20,000-pixel poster does not.
MAX_SIDE = 16_000
MAX_PIXELS = 64_000_000

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"}
IMAGE_FILTER = "Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp *.tif *.tiff)"
AUDIO_FILTER = "Sound files (*.wav *.mp3 *.ogg *.oga *.opus *.flac *.m4a *.aac)"

# Extensions by type, the same on every machine (``mimetypes`` reads the system's list).
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "audio/wav": ".wav",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/flac": ".flac",
    "audio/mp4": ".m4a",
}

_NOTHING_ADDED = "Nothing was added."
SOUND_SUFFIXES = (".wav", ".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".aac")


def prepare_file(data: bytes, name: str, *, sound: bool | None = None) -> tuple[Attachment, bytes]:
    """A picture or sound file as it will be kept, with its metadata (not yet
    placed). ``sound`` None: judged by the name's extension. The attachment's
    name is the file's stem. Raises `InvalidInput`."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if sound or (sound is None and f".{suffix.lower()}" in SOUND_SUFFIXES):
        prepared = prepare_audio(data)
        meta = Attachment(AttachmentKind.AUDIO, prepared.mime, name=stem[:80])
        meta.seconds = prepared.seconds
        return meta, prepared.data
    picture = prepare_image(data)
    return Attachment(AttachmentKind.IMAGE, picture.mime, name=stem[:80]), picture.data


def extension(mime: str) -> str:
    return EXTENSIONS.get(mime) or mimetypes.guess_extension(mime) or ""


def check_size(size: int, what: str = "") -> None:
    """Refuse an empty file or one over the cap, with the sentence for it
    (``what``: "picture", "sound" or nothing). The one size rule for every
    attachment: files on disk (before reading them), checked media, the vault."""
    that = f"That {what} file" if what else "That file"
    if size == 0:
        raise InvalidInput(f"{that} is empty. {_NOTHING_ADDED}")
    if size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            f"{that} is too large to keep in the journal ({size // 2**20} MB; "
            f"the limit is {MAX_ATTACHMENT_BYTES // 2**20} MB). {_NOTHING_ADDED}"
        )


@dataclass(frozen=True)
class Picture:
    mime: str
    data: bytes
    width: int
    height: int


def prepare_image(data: bytes) -> Picture:
    """The picture as it will be kept: upright, full size, metadata removed."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_size(len(data), "picture")
    unreadable = InvalidInput(
        "Afterglow can't read that file as a picture; it takes PNG, JPEG, GIF, WebP, "
        f"BMP and TIFF. {_NOTHING_ADDED}"
    )
    damaged = InvalidInput(
        f"That picture is damaged or incomplete and can't be read. {_NOTHING_ADDED}"
    )
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise unreadable from None
    except Exception:  # Pillow's decoders raise assorted errors on hostile files
        raise damaged from None
    with image:
        if image.format not in IMAGE_FORMATS:
            raise unreadable
        width, height = image.size
        if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
            raise InvalidInput(
                f"That picture is very large ({width:,} × {height:,} pixels; the limit is "
                f"{MAX_SIDE:,} pixels a side and {MAX_PIXELS // 1_000_000} megapixels). "
                f"Save a smaller copy and add that. {_NOTHING_ADDED}"
            )
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except Exception:  # as above; EXIF parsing too
            raise damaged from None
        source_format = image.format
    icc = upright.info.get("icc_profile")
    # Nothing of the original's metadata is carried over: a new info dict
    # with only what draws the picture (its transparent colour).
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    out = io.BytesIO()
    if source_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=92, optimize=True, icc_profile=icc)
        mime = "image/jpeg"
    else:
        if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            upright = upright.convert("RGBA")
        upright.save(out, "PNG", optimize=False, icc_profile=icc)
        mime = "image/png"
    result = out.getvalue()
    check_size(len(result), "picture")
    return Picture(mime, result, upright.width, upright.height)


# -- sound ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sound:
    mime: str
    data: bytes
    seconds: float


def encode_wav(frames: bytes, *, rate: int, channels: int, sample_width: int) -> bytes:
    """PCM samples (little-endian, interleaved) as a WAV file, in memory."""
    if rate <= 0 or channels <= 0 or sample_width not in (1, 2, 4):
        raise InvalidInput("That recording's format can't be kept (unusual audio format).")
    whole = len(frames) - len(frames) % (channels * sample_width)
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(sample_width)
        writer.setframerate(rate)
        writer.writeframes(frames[:whole])
    return out.getvalue()


def float_to_int16(frames: bytes) -> bytes:
    """32-bit float samples (−1…1) as 16-bit integers, for devices that only
    record floats (WAV readers everywhere take 16-bit PCM)."""
    samples = array.array("f")
    samples.frombytes(frames[: len(frames) - len(frames) % 4])
    if sys.byteorder != "little":  # pragma: no cover (little-endian machines)
        samples.byteswap()
    scaled = array.array("h", (int(max(-1.0, min(1.0, s)) * 32767) for s in samples))
    return scaled.tobytes()


def level(frames: bytes, sample_width: int = 2) -> float:
    """The loudness of a chunk of 16-bit (or 8-bit) PCM, 0–1 (its peak)."""
    if sample_width == 2:
        samples = array.array("h")
        samples.frombytes(frames[: len(frames) - len(frames) % 2])
        peak = max((abs(s) for s in samples), default=0)
        return min(1.0, peak / 32768)
    if sample_width == 1:
        return min(1.0, max((abs(b - 128) for b in frames), default=0) / 128)
    return 0.0


_AUDIO_MIMES = {
    "WAVE": "audio/wav",
    "MP3": "audio/mpeg",
    "OggVorbis": "audio/ogg",
    "OggOpus": "audio/ogg",
    "FLAC": "audio/flac",
    "MP4": "audio/mp4",
}


def prepare_audio(data: bytes) -> Sound:
    """A sound file as it will be kept: checked, with its tags removed."""
    import mutagen

    check_size(len(data), "sound")
    unsupported = InvalidInput(
        "Afterglow can't read that file as sound; it takes WAV, MP3, Ogg, Opus, FLAC "
        f"and M4A. {_NOTHING_ADDED}"
    )
    damaged = InvalidInput(f"That sound file is damaged and can't be played. {_NOTHING_ADDED}")
    buffer = io.BytesIO(data)
    try:
        sound = mutagen.File(buffer)
    except Exception:
        raise damaged from None
    if sound is None or type(sound).__name__ not in _AUDIO_MIMES:
        raise unsupported
    mime = _AUDIO_MIMES[type(sound).__name__]
    seconds = float(getattr(sound.info, "length", 0.0) or 0.0)
    if mime == "audio/wav":
        seconds = _check_wav(data, damaged)
    if seconds <= 0:
        raise damaged
    if sound.tags is not None:
        try:
            sound.delete(buffer)
        except Exception:
            raise damaged from None
    cleaned = buffer.getvalue()
    try:
        again = mutagen.File(io.BytesIO(cleaned))
    except Exception:
        raise damaged from None
    if again is None or again.tags:
        raise damaged
    return Sound(mime, cleaned, seconds)


def _check_wav(data: bytes, damaged: InvalidInput) -> float:
    """A WAV file's length, after checking that all its samples are there."""
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            frames, rate = reader.getnframes(), reader.getframerate()
            expected = frames * reader.getnchannels() * reader.getsampwidth()
            got = len(reader.readframes(frames))
    except wave.Error:
        # Compressed or float WAVs: mutagen's reading stands.
        return _mutagen_seconds(data, damaged)
    except Exception:  # `wave` raises assorted errors (even RuntimeError) on damaged chunks
        raise damaged from None
    if rate <= 0 or got < expected:
        raise damaged
    return frames / rate


def _mutagen_seconds(data: bytes, damaged: InvalidInput) -> float:
    import mutagen

    try:
        sound = mutagen.File(io.BytesIO(data))
    except Exception:
        raise damaged from None
    return float(getattr(getattr(sound, "info", None), "length", 0.0) or 0.0)
