"""Importing from other journals and from Afterglow's own export: every
source, its time zones and pictures, the preview, importing twice, one
transaction, and the round trip of the demo journal."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from journal.core.errors import ImportCancelled, ImportInvalid, WrongPassphrase
from journal.core.imports import afterglow, apply, sources
from journal.core.imports.plan import Source
from journal.core.journal.demo import populate
from journal.core.model import AttachmentKind, MotifKind, Phase, Route
from journal.core.sharing import archive, bundle, records, share
from journal.core.vault import vault as vaults
from tests import import_fixtures as fx
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.test_cli import cli

EXPORT_PASSPHRASE = "lantern meadow quiet harbour"


def _import(vault: vaults.Vault, path: Path, **options: object) -> apply.ImportResult:
    plan = sources.read(path)
    return apply.apply(vault, plan, **options)  # type: ignore[arg-type]


def _texts(vault: vaults.Vault) -> list[str]:
    return [vault.entries.get(i).text for i in vault.entries.ids(newest_first=False)]


# --- Day One -------------------------------------------------------------------


def test_day_one_zip_keeps_local_time_tags_photos_and_strips_gps(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    path = tmp_path / "Export.zip"
    path.write_bytes(fx.dayone_zip())
    plan = sources.read(path)
    assert plan.source is Source.DAYONE and plan.entry_count == 3
    lines = apply.preview(vault, plan).lines()
    assert lines[0] == "Recognised: an export from Day One — 3 entries, 2 pictures and recordings."
    assert "1 photo is missing from the archive and will be left out." in lines
    assert "1 entry is empty and will be left out." in lines

    result = apply.apply(vault, plan)
    assert (result.entries, result.attachments) == (3, 2)
    assert path.read_bytes() == fx.dayone_zip()  # the source is only read
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Export.zip", "vault"]  # nothing unpacked
    assert not any(Path(tempfile.gettempdir()).iterdir())  # and no temporary files
    entries = [vault.entries.get(i) for i in vault.entries.ids(newest_first=False)]
    berlin = entries[0]
    # Written at 00:30 on 6 March in Berlin: on that day, at that time.
    assert berlin.created_at is not None
    assert (berlin.created_at.day, berlin.created_at.hour, berlin.created_at.minute) == (6, 0, 30)
    assert berlin.edited_at is not None and berlin.source == "Day One"
    assert berlin.text.startswith("Nach der Sitzung: ein Garten aus Licht 🌿. Ich war ruhig!")
    assert "dayone-moment" not in berlin.text
    assert "Tags: garden, calm" in berlin.text and "Starred in Day One." in berlin.text
    assert vault.motifs.count() == 0  # tags stay text unless asked
    tokyo = entries[1]
    assert tokyo.created_at is not None and (tokyo.created_at.hour, tokyo.created_at.minute) == (
        15,
        15,
    )
    photo = vault.attachments.for_entry(berlin.id or 0)[0]
    assert photo.kind is AttachmentKind.IMAGE and photo.mime == "image/jpeg"
    data = vault.attachments.data(photo.id or 0)
    assert data != fx.PHOTO and not fx.has_gps(data)
    assert fx.has_gps(fx.PHOTO)  # the check can see GPS where there is some
    voice = vault.attachments.for_entry(entries[2].id or 0)[0]
    assert voice.kind is AttachmentKind.AUDIO and voice.seconds == pytest.approx(0.5)
    # Searchable at once.
    assert [h.entry_id for h in vault.search("Garten")] == [berlin.id]


def test_day_one_tags_become_motifs_when_asked(vault: vaults.Vault, tmp_path: Path) -> None:
    path = tmp_path / "Export.zip"
    path.write_bytes(fx.dayone_zip())
    _import(vault, path, tags_as_motifs=True)
    names = {u.motif.name: u for u in vault.motifs.usage()}
    assert set(names) == {"garden", "calm"}
    assert names["garden"].motif.kind is MotifKind.OTHER and names["garden"].entry_count == 1
    assert not any("Tags:" in text for text in _texts(vault))


def test_several_day_one_journals_are_told_apart(vault: vaults.Vault, tmp_path: Path) -> None:
    one = {"entries": [{"uuid": "A1", "creationDate": "2024-01-01T10:00:00Z", "text": "work"}]}
    two = {"entries": [{"uuid": "B2", "creationDate": "2024-01-02T10:00:00Z", "text": "home"}]}
    path = tmp_path / "two.zip"
    path.write_bytes(
        fx.zip_of({"Work.json": json.dumps(one).encode(), "Home.json": json.dumps(two).encode()})
    )
    _import(vault, path)
    assert sorted(vault.entries.get(i).source for i in vault.entries.ids()) == [
        "Day One (Home)",
        "Day One (Work)",
    ]


# --- jrnl, Mini Diary ------------------------------------------------------------


def test_jrnl_keeps_titles_and_times_and_a_second_import_adds_only_what_is_new(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    path = tmp_path / "jrnl.json"
    path.write_bytes(fx.jrnl_json())
    result = _import(vault, path)
    assert result.entries == 2
    first = vault.entries.get(vault.entries.ids(newest_first=False)[0])
    assert first.title == "Première séance" and first.source == "jrnl"
    assert (
        first.created_at is not None
        and first.created_at.strftime("%Y-%m-%d %H:%M") == "2024-03-05 23:30"
    )
    assert "Tags: @work" in first.text and "Starred in jrnl." in first.text

    again = _import(vault, path)
    assert (again.entries, again.already) == (0, 2)
    assert vault.entries.count() == 2
    # One entry deleted since comes back; the other is not doubled.
    vault.entries.delete(first.id or 0)
    assert apply.preview(vault, sources.read(path)).already == 1
    assert _import(vault, path).entries == 1 and vault.entries.count() == 2

    # A new entry in a later export of the same journal is added, alone.
    data = json.loads(fx.jrnl_json())
    data["entries"].append({"title": "Later", "body": "new", "date": "2024-05-01", "time": "08:00"})
    path.write_text(json.dumps(data), encoding="utf-8")
    later = _import(vault, path)
    assert (later.entries, later.already) == (1, 2)


def test_mini_diary_one_entry_a_day(vault: vaults.Vault, tmp_path: Path) -> None:
    path = tmp_path / "mini-diary.json"
    path.write_bytes(fx.minidiary_json())
    plan = sources.read(path)
    assert plan.source is Source.MINIDIARY
    assert any("noon" in line for line in apply.preview(vault, plan).lines())
    apply.apply(vault, plan)
    entries = [vault.entries.get(i) for i in vault.entries.ids(newest_first=False)]
    assert [e.title for e in entries] == ["New year", ""]
    assert entries[0].text == "Quiet **evening**; Ωμέγα."
    assert entries[0].created_at is not None and entries[0].created_at.strftime("%d %H") == "01 12"


# --- Markdown ----------------------------------------------------------------------


def test_markdown_folder_dates_titles_tags_and_pictures(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    root = fx.markdown_folder(tmp_path / "diary")
    plan = sources.read(root)
    assert plan.source is Source.MARKDOWN and plan.entry_count == 4
    lines = apply.preview(vault, plan).lines()
    assert "1 linked picture is missing and will be left out." in lines
    assert "1 file is empty and will be left out." in lines
    assert any(line.startswith("1 picture link points outside the folder") for line in lines)
    assert any("comes from when it was last changed" in line for line in lines)

    apply.apply(vault, plan, tags_as_motifs=True)
    by_title = {vault.entries.get(i).title: vault.entries.get(i) for i in vault.entries.ids()}
    assert set(by_title) == {"", "Walk by the river", "Therapy, week 2", "someday"}
    daily = by_title[""]
    assert daily.created_at is not None and daily.created_at.strftime("%Y-%m-%d") == "2024-03-05"
    assert "![sun]" not in daily.text and "[web link](https://example.org)" in daily.text
    assert len(vault.attachments.for_entry(daily.id or 0)) == 1
    walk = by_title["Walk by the river"]
    pictures = vault.attachments.for_entry(walk.id or 0)
    assert len(pictures) == 1 and not fx.has_gps(vault.attachments.data(pictures[0].id or 0))
    assert "![](pics/gone.png)" in walk.text  # a missing picture's link is left as written
    therapy = by_title["Therapy, week 2"]
    assert therapy.created_at is not None and therapy.created_at.strftime("%d %H:%M") == "08 18:45"
    assert {m.name for m in vault.motifs.for_entry(therapy.id or 0)} == {"session", "hope"}
    someday = by_title["someday"]
    assert "../outside.png" in someday.text and not vault.attachments.for_entry(someday.id or 0)


def test_a_single_markdown_file(vault: vaults.Vault, tmp_path: Path) -> None:
    page = tmp_path / "2023-12-31 Last night of the year.md"
    page.write_text("Fireworks far away.\n", encoding="utf-8")
    _import(vault, page)
    entry = vault.entries.get(vault.entries.ids()[0])
    assert entry.title == "Last night of the year" and entry.source == "Markdown files"


# --- Afterflow ---------------------------------------------------------------------


def test_afterflow_rows_become_sessions_with_reflections(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    path = tmp_path / "Afterflow-Export-1234.csv"
    path.write_bytes(fx.afterflow_csv())
    plan = sources.read(path)
    assert plan.source is Source.AFTERFLOW and plan.session_count == 4
    lines = apply.preview(vault, plan).lines()
    assert any("mood value is not a number" in line for line in lines)
    result = apply.apply(vault, plan)
    assert (result.sessions, result.entries) == (4, 2)
    sessions = vault.sessions.all(newest_first=False)
    first, second, third, fourth = sessions
    assert first.route is Route.IV and first.intention == "To feel safe, and rest"
    assert (first.mood_before, first.mood_after) == (3, 7)
    assert first.music == "https://example.org/playlist"
    assert first.started_at.strftime("%Y-%m-%d %H:%M") == "2024-12-01 10:30"
    reflection = vault.entries.get(vault.entries.ids(session_id=first.id)[0])
    assert reflection.phase is Phase.INTEGRATION and '"held"' in reflection.text
    assert reflection.source == "Afterflow"
    assert second.route is Route.INTRANASAL and second.intention == "=SUM(A1)"
    assert second.started_at.strftime("%H:%M") == "14:15"
    assert third.route is Route.ORAL and "Treatment: Psilocybin" in third.notes
    assert fourth.route is Route.IM and fourth.mood_before is None and fourth.mood_after == 5


def test_afterflow_missing_and_extra_columns(vault: vaults.Vault, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(fx.AFTERFLOW_HEADER.replace(",Mood After", "") + "\n", encoding="utf-8")
    with pytest.raises(ImportInvalid, match="has no 'Mood After' column"):
        sources.read(path)
    path.write_text(
        fx.AFTERFLOW_HEADER + ",Rating\n" + '"Jan 2, 2025 at 9:00 AM",Ketamine,Oral,,,,,,5\n',
        encoding="utf-8",
    )
    plan = sources.read(path)
    assert any("Rating" in note for note in plan.notes) and plan.session_count == 1


# --- Afterglow's own export: the round trip -------------------------------------------


def _comparable(vault: vaults.Vault) -> dict[str, object]:
    """The journal record by record, with its ids replaced by their place in
    a stable order, so two journals can be compared."""
    content = archive.everything(vault, now=datetime(2026, 1, 1).astimezone())
    session_ids = {s.id: n for n, s in enumerate(content.sessions)}
    entry_ids = {e.id: n for n, e in enumerate(content.entries)}
    motif_order = sorted(content.motifs, key=lambda m: m.name)
    motif_ids = {m.id: n for n, m in enumerate(motif_order)}
    return {
        "sessions": [
            {**records.session_record(s, personal=True), "id": None} for s in content.sessions
        ],
        "entries": [
            (
                session_ids.get(e.session_id),
                e.phase,
                e.title,
                e.template_id,
                entry_ids.get(e.reflection_of),
                e.created_at,
                e.edited_at,
                e.private,
                e.source,
                [
                    (a.prompt_key, a.prompt_text, a.kind, a.text, a.value, a.private)
                    for a in e.answers
                ],
            )
            for e in content.entries
        ],
        "motifs": [
            (m.name, m.kind, m.feeling, m.meaning, sorted(entry_ids[i] for i in m.entry_ids))
            for m in motif_order
        ],
        "attachments": sorted(
            (
                entry_ids.get(meta.entry_id),
                motif_ids.get(meta.motif_id),
                meta.kind,
                meta.mime,
                meta.name,
                meta.private,
                meta.prompt_key,
                meta.seconds,
                data,
            )
            for meta, data in content.attachments
        ),
        "checkins": [
            (
                c.kind,
                c.taken_at,
                c.answers,
                c.total,
                c.band,
                c.note,
                session_ids.get(c.session_id),
                c.flagged,
                c.difficulty,
            )
            for c in content.checkins
        ],
        "meditations": [
            (m.kind, m.started_at, m.seconds, m.breaths_per_minute, session_ids.get(m.session_id))
            for m in content.meditations
        ],
        "templates": sorted(t.source for t in vault.templates.custom()),
    }


@pytest.fixture
def demo_vault(tmp_path: Path) -> vaults.Vault:
    vault, _ = vaults.create(tmp_path / "a" / "journal.vault", PASSPHRASE, kdf=FAST_KDF)
    populate(vault)
    # Private bits, a reflection on a reflection and a custom template come across too.
    entry_id = vault.entries.ids()[0]
    vault.attachments.set_private(vault.attachments.all()[0].id or 0, True)
    entry = vault.entries.get(entry_id)
    vault.entries.update(replace(entry, private=True))
    vault.templates.add_source(
        'id = "my-evening"\ntitle = "My evening"\nphase = "free"\n\n'
        '[[prompts]]\nkey = "a"\ntext = "What light?"\n'
    )
    return vault


def test_round_trip_of_the_demo_journal_encrypted_and_plain(
    demo_vault: vaults.Vault, tmp_path: Path
) -> None:
    out = tmp_path / "everything.age"
    archive.export_encrypted(demo_vault, out, EXPORT_PASSPHRASE, now=datetime.now().astimezone())
    expected = _comparable(demo_vault)
    assert expected["attachments"] and expected["checkins"] and expected["meditations"]

    with pytest.raises(afterglow.PassphraseNeeded):
        sources.read(out)
    with pytest.raises(WrongPassphrase):
        sources.read(out, passphrase="not the passphrase at all")
    plan = sources.read(out, passphrase=EXPORT_PASSPHRASE)
    assert plan.source is Source.AFTERGLOW
    target, _ = vaults.create(tmp_path / "b" / "journal.vault", PASSPHRASE, kdf=FAST_KDF)
    with target:
        apply.apply(target, plan)
        assert _comparable(target) == expected
        # A second import of the same export adds nothing.
        again = apply.apply(target, sources.read(out, passphrase=EXPORT_PASSPHRASE))
        assert again.entries == again.sessions == again.attachments == again.checkins == 0
        assert _comparable(target) == expected

    folder = tmp_path / "plain"
    archive.export_plain(demo_vault, folder, now=datetime.now().astimezone())
    third, _ = vaults.create(tmp_path / "c" / "journal.vault", PASSPHRASE, kdf=FAST_KDF)
    with third:
        apply.apply(third, sources.read(folder))
        assert _comparable(third) == expected
    demo_vault.close()


def test_an_export_changed_after_it_was_made_is_refused(
    demo_vault: vaults.Vault, tmp_path: Path
) -> None:
    folder = tmp_path / "plain"
    archive.export_plain(demo_vault, folder, now=datetime.now().astimezone())
    demo_vault.close()
    entries = folder / "entries.json"
    entries.write_text(
        entries.read_text(encoding="utf-8").replace('"phase"', '"phase" ', 1), encoding="utf-8"
    )
    with pytest.raises(ImportInvalid, match="is not a readable Afterglow export"):
        sources.read(folder)


def test_imported_entries_carry_their_source_into_a_bundle(
    vault: vaults.Vault, tmp_path: Path
) -> None:
    path = tmp_path / "jrnl.json"
    path.write_bytes(fx.jrnl_json())
    _import(vault, path)
    content = share.collect(vault, share.offer(vault), now=datetime.now().astimezone())
    assert {e.source for e in content.entries} == {"jrnl"}
    files = bundle.archive_files(content, report_html="")
    assert {e["source"] for e in json.loads(files["entries.json"])} == {"jrnl"}


# --- all or nothing ----------------------------------------------------------------


def test_cancel_half_way_keeps_nothing(vault: vaults.Vault, tmp_path: Path) -> None:
    path = tmp_path / "Export.zip"
    path.write_bytes(fx.dayone_zip())
    plan = sources.read(path)
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        apply.apply(
            vault,
            plan,
            progress=lambda done, total: seen.append(done),
            cancelled=lambda: len(seen) >= 2,
        )
    assert vault.entries.count() == 0 and not vault.attachments.all()
    assert vault.imported.count() == 0


def test_a_failure_half_way_keeps_nothing(
    vault: vaults.Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.core.errors import DiskFull

    path = tmp_path / "Export.zip"
    path.write_bytes(fx.dayone_zip())
    plan = sources.read(path)
    calls = 0
    real = vault.attachments.add

    def failing(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise DiskFull()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vault.attachments, "add", failing)
    with pytest.raises(DiskFull):
        apply.apply(vault, plan)
    assert vault.entries.count() == 0 and vault.imported.count() == 0


def test_the_cli_previews_and_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal.core.vault import keyfile as kf

    monkeypatch.setattr(kf, "DEFAULT_KDF", FAST_KDF)
    vault_file = tmp_path / "v" / "journal.vault"
    assert cli(vault_file, "init", stdin=PASSPHRASE + "\n").code == 0
    path = tmp_path / "jrnl.json"
    path.write_bytes(fx.jrnl_json())
    dry = cli(vault_file, "import", str(path), "--dry-run", stdin=PASSPHRASE + "\n")
    assert dry.code == 0 and "Recognised: an export from jrnl — 2 entries." in dry.out
    assert "Nothing was imported" in dry.out
    refused = cli(vault_file, "import", str(path), stdin=PASSPHRASE + "\nno\n")
    assert refused.code == 1 and "Not confirmed" in refused.err
    done = cli(vault_file, "import", str(path), stdin=PASSPHRASE + "\nYES\n")
    assert done.code == 0 and "Imported 2 entries." in done.out
    found = cli(vault_file, "search", "séance", stdin=PASSPHRASE + "\n")
    assert "Première séance" in found.out
    forced = cli(
        vault_file, "import", str(path), "--format", "minidiary", "--yes", stdin=PASSPHRASE + "\n"
    )
    assert forced.code == 1 and "is not a Mini Diary export" in forced.err
