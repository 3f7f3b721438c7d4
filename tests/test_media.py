"""Pictures and sound going into the vault: metadata removed, bad files refused."""

from __future__ import annotations

import array
import io
import math
import wave

import mutagen
import pytest
from PIL import Image

from journal.core.errors import InvalidInput
from journal.core.imagery import media

# EXIF tag numbers: Orientation, the GPS IFD pointer, GPSLatitudeRef, GPSLatitude.
ORIENTATION, GPS_IFD, LAT_REF, LAT = 0x0112, 0x8825, 1, 2


def _jpeg_with_gps(orientation: int = 1) -> bytes:
    image = Image.new("RGB", (64, 32), (200, 40, 40))
    for x in range(32):  # a dark left half, to see the turn
        for y in range(32):
            image.putpixel((x, y), (10, 10, 10))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "CanaryCam"  # Make
    exif.get_ifd(GPS_IFD).update({LAT_REF: "N", LAT: (52.0, 22.0, 12.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"canary comment")
    return out.getvalue()


def test_an_imported_jpeg_keeps_no_gps_and_no_exif() -> None:
    data = _jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as original:  # the fixture really carries GPS
        assert original.getexif().get_ifd(GPS_IFD)
    picture = media.prepare_image(data)
    assert picture.mime == "image/jpeg" and (picture.width, picture.height) == (64, 32)
    with Image.open(io.BytesIO(picture.data)) as kept:
        exif = kept.getexif()
        assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif and len(exif) == 0
        assert "exif" not in kept.info and "comment" not in kept.info
    assert b"CanaryCam" not in picture.data and b"canary comment" not in picture.data


def test_a_turned_photo_is_stored_upright() -> None:
    picture = media.prepare_image(_jpeg_with_gps(orientation=6))  # rotate 90° clockwise
    assert (picture.width, picture.height) == (32, 64)
    with Image.open(io.BytesIO(picture.data)) as kept:
        top = kept.convert("L").getpixel((16, 8))
        bottom = kept.convert("L").getpixel((16, 56))
    assert isinstance(top, int) and isinstance(bottom, int) and top < 60 < bottom


@pytest.mark.parametrize("fmt", ["WEBP", "BMP", "GIF", "TIFF"])
def test_other_formats_become_png(fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (1, 2, 3)).save(out, fmt)
    picture = media.prepare_image(out.getvalue())
    assert picture.mime == "image/png" and picture.data.startswith(b"\x89PNG")


def test_a_huge_picture_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (20_000, 20)).save(out, "PNG")  # small file, 20,000 px wide
    with pytest.raises(InvalidInput, match=r"very large \(20,000 × 20 pixels.*Nothing was added"):
        media.prepare_image(out.getvalue())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"just some text, not a picture", "can't read that file as a picture"),
        (b"%PDF-1.7\n", "can't read that file as a picture"),
        (_jpeg_with_gps()[:400], "damaged"),
    ],
)
def test_bad_pictures_are_refused_with_a_sentence(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        media.prepare_image(data)


def test_files_over_the_cap_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(InvalidInput, match="too large"):
        media.prepare_image(_jpeg_with_gps())
    with pytest.raises(InvalidInput, match="too large"):
        media.prepare_audio(b"RIFF" + b"\0" * 200)


def _tone(seconds: float = 0.5, rate: int = 16_000) -> bytes:
    samples = array.array(
        "h",
        (int(12_000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(rate * seconds))),
    )
    return samples.tobytes()


def test_the_in_memory_encoder_makes_a_playable_wav() -> None:
    frames = _tone()
    data = media.encode_wav(frames, rate=16_000, channels=1, sample_width=2)
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            16_000,
        )
        assert reader.readframes(reader.getnframes()) == frames
    sound = media.prepare_audio(data)  # the same checks as an imported file
    assert sound.mime == "audio/wav" and sound.seconds == pytest.approx(0.5)
    parsed = mutagen.File(io.BytesIO(data))
    assert parsed is not None and parsed.info.length == pytest.approx(0.5)


def test_float_recordings_are_converted_and_levels_measured() -> None:
    floats = array.array("f", [0.0, 0.5, -0.5, 1.5, -1.5]).tobytes()
    ints = array.array("h")
    ints.frombytes(media.float_to_int16(floats))
    assert list(ints) == [0, 16383, -16383, 32767, -32767]
    assert media.level(_tone()) == pytest.approx(12_000 / 32768, abs=0.01)
    assert media.level(b"\0\0" * 100) == 0.0


def test_sound_files_lose_their_tags() -> None:
    from mutagen.id3 import TIT2
    from mutagen.wave import WAVE

    buffer = io.BytesIO(media.encode_wav(_tone(), rate=16_000, channels=1, sample_width=2))
    tagged = WAVE(buffer)
    tagged.add_tags()
    assert tagged.tags is not None
    tagged.tags.add(TIT2(encoding=3, text="canary title"))
    tagged.save(buffer)
    assert b"canary title" in buffer.getvalue()
    sound = media.prepare_audio(buffer.getvalue())
    assert b"canary title" not in sound.data and sound.seconds == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a sound at all", "can't read that file as sound"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "damaged|can't read"),
    ],
)
def test_bad_sound_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        media.prepare_audio(data)


def test_a_truncated_wav_is_refused() -> None:
    data = media.encode_wav(_tone(), rate=16_000, channels=1, sample_width=2)
    with pytest.raises(InvalidInput, match="damaged"):
        media.prepare_audio(data[: len(data) // 2])
