"""Import files made in the tests from each format's documented structure:
Day One's JSON export (a ZIP with photos/ and audios/ named by MD5), jrnl's
``--export json``, Mini Diary's JSON, Markdown folders and Afterflow's CSV."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import wave
import zipfile
from pathlib import Path
from typing import Any

# Tag 0x8825 is the GPS IFD; Pillow writes it from this mapping.
GPS = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}


def jpeg_with_gps(colour: tuple[int, int, int] = (200, 120, 60)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), colour)
    exif = Image.Exif()
    exif[0x8825] = GPS
    exif[0x0110] = "Phone Model 12"  # camera model
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(0x8825)) or 0x8825 in exif or b"Phone Model" in data


def png(colour: tuple[int, int, int] = (10, 160, 90)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (12, 12), colour).save(out, "PNG")
    return out.getvalue()


def wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(
            b"".join(struct.pack("<h", (i * 37) % 2000) for i in range(int(rate * seconds)))
        )
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    """A zip archive with a fixed date on every member, so two builds are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            member = zipfile.ZipInfo(name, date_time=(2024, 3, 6, 0, 30, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data)
    return out.getvalue()


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()  # noqa: S324 — Day One names its files so


PHOTO = jpeg_with_gps()
MISSING_MD5 = "0" * 32


def dayone_entries() -> list[dict[str, Any]]:
    return [
        {
            # 00:30 on 6 March in Berlin is 23:30 on 5 March in UTC.
            "uuid": "2F8DDCA258634D9994DF3A4FEE328035",
            "creationDate": "2024-03-05T23:30:00Z",
            "modifiedDate": "2024-03-07T08:00:00Z",
            "timeZone": "Europe/Berlin",
            "text": "Nach der Sitzung: ein Garten aus Licht 🌿\\. Ich war ruhig\\!\n\n"
            "![](dayone-moment://AAAA1111AAAA1111AAAA1111AAAA1111)",
            "tags": ["garden", "calm"],
            "starred": True,
            "photos": [
                {
                    "identifier": "AAAA1111AAAA1111AAAA1111AAAA1111",
                    "md5": md5(PHOTO),
                    "type": "jpeg",
                    "orderInEntry": 0,
                    "filename": "IMG_0001.HEIC",
                }
            ],
        },
        {
            "uuid": "5B1C2D3E4F5061728394A5B6C7D8E9F0",
            "creationDate": "2024-04-01T06:15:00Z",
            "modifiedDate": "2024-04-01T06:15:00Z",
            "timeZone": "Asia/Tokyo",
            "text": "早朝の散歩。A missing photo follows.\n![](dayone-moment://BBBB)",
            "starred": False,
            "photos": [{"identifier": "BBBB", "md5": MISSING_MD5, "type": "jpeg"}],
        },
        {
            "uuid": "C0FFEE00C0FFEE00C0FFEE00C0FFEE00",
            "creationDate": "2024-04-02T18:00:00Z",
            "timeZone": "America/New_York",
            "text": "A voice note from the walk home.\n![](dayone-moment:/audio/CCCC)",
            "audios": [{"identifier": "CCCC", "md5": md5(wav()), "format": "aac"}],
        },
        {
            "uuid": "EMPTY000EMPTY000EMPTY000EMPTY000",
            "creationDate": "2024-04-03T10:00:00Z",
            "text": "  ",
        },
    ]


def dayone_zip(entries: list[dict[str, Any]] | None = None) -> bytes:
    journal = {"metadata": {"version": "1.0"}, "entries": entries or dayone_entries()}
    return zip_of(
        {
            "Journal.json": json.dumps(journal, ensure_ascii=False).encode(),
            f"photos/{md5(PHOTO)}.jpeg": PHOTO,
            f"audios/{md5(wav())}.m4a": wav(),
        }
    )


def jrnl_json() -> bytes:
    return json.dumps(
        {
            "tags": {"@work": 1, "@sleep": 1},
            "entries": [
                {
                    "title": "Première séance",
                    "body": "Le corps lourd, puis léger.\n",
                    "date": "2024-03-05",
                    "time": "23:30",
                    "tags": ["@work"],
                    "starred": True,
                },
                {
                    "title": "Sleep",
                    "body": "Slept nine hours. ✨",
                    "date": "2024-03-06",
                    "time": "07:05",
                    "tags": ["@sleep"],
                    "starred": False,
                },
                {
                    "title": "",
                    "body": "",
                    "date": "2024-03-07",
                    "time": "09:00",
                    "tags": [],
                    "starred": False,
                },
            ],
        },
        ensure_ascii=False,
        indent=2,
    ).encode()


def minidiary_json() -> bytes:
    return json.dumps(
        {
            "metadata": {
                "application": "Mini Diary",
                "version": "3.3.0",
                "dateUpdated": "Thu Jan 03 2019 00:00:00 GMT-0800",
            },
            "entries": {
                "2019-01-01": {
                    "dateUpdated": "Tue Jan 01 2019 21:10:00 GMT-0800",
                    "title": "New year",
                    "text": "Quiet **evening**; Ωμέγα.",
                },
                "2019-01-02": {"dateUpdated": "", "title": "", "text": "Second day."},
            },
        },
        indent="\t",
    ).encode()


AFTERFLOW_HEADER = (
    "Date,Treatment Type,Administration,Intention,Mood Before,Mood After,Reflections,Music Link URL"
)


def afterflow_csv() -> bytes:
    rows = [
        AFTERFLOW_HEADER,
        '"Dec 1, 2024 at 10:30 AM",Ketamine,Intravenous (IV),"To feel safe, and rest",3,7,'
        '"The room widened; ""held"" by the music.",https://example.org/playlist',
        '"Dec 8, 2024 at 2:15\u202fPM",Ketamine,Nasal,\'=SUM(A1),4,6,"",""',
        '"Dec 15, 2024, 9:00 AM",Psilocybin,Oral,Curiosity,5,8,Colours everywhere.,""',
        '"Dec 22, 2024 at 11:00 AM",Ketamine,Intramuscular (IM),"",11,5,"",""',
    ]
    return "\n".join(rows).encode()


def markdown_folder(root: Path) -> Path:
    """A diary folder: front matter, dated names, an undated page, pictures."""
    (root / "pics").mkdir(parents=True)
    (root / "pics" / "sunrise.png").write_bytes(png())
    (root / "attachments").mkdir()
    (root / "attachments" / "walk.jpg").write_bytes(jpeg_with_gps((30, 90, 200)))
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "app.json").write_text("{}")
    (root / "2024-03-05.md").write_text(
        "Plain daily note with a picture ![sun](pics/sunrise.png) and a "
        "[web link](https://example.org).\n",
        encoding="utf-8",
    )
    (root / "2024-03-06 Walk by the river.md").write_text(
        "Obsidian style: ![[walk.jpg]]\nand a missing one ![](pics/gone.png)\n", encoding="utf-8"
    )
    (root / "notes").mkdir()
    (root / "notes" / "therapy.md").write_text(
        '---\ntitle: "Therapy, week 2"\ndate: 2024-03-08 18:45\ntags: [session, hope]\n---\n'
        "Talked about the **garden** image. 你好\n",
        encoding="utf-8",
    )
    (root / "someday.md").write_text(
        "An undated thought, outside: ![x](../outside.png)\n", encoding="utf-8"
    )
    (root.parent / "outside.png").write_bytes(png((1, 2, 3)))
    (root / "empty.md").write_text("   \n", encoding="utf-8")
    return root
