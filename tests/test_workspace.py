"""The therapist's workspace: bundles kept encrypted in the vault, grouped by
a pseudonymous patient id, read across visits; notes that never leave."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

from journal.core.errors import BundleInvalid, InvalidInput
from journal.core.model import Answer, CheckinKind, Entry, Phase
from journal.core.sharing import archive, bundle, share
from journal.core.vault import keyfile as kf
from journal.core.vault import vault as vaults
from journal.core.workspace import keeping
from journal.core.workspace.view import patient_view, search
from journal.export import export_clinical_record, export_for_therapy
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import seal, snapshot
from tests.test_leaks import _decrypted_pages

CANARY = "Quillfeather93"


def _journal(path: Path, words: str) -> vaults.Vault:
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF)
    vault.entries.add(
        Entry(phase=Phase.RIGHT_AFTER, title=f"{words} one", answers=[Answer("a", "Q", text=words)])
    )
    vault.entries.add(
        Entry(
            phase=Phase.BEFORE_THERAPY,
            title="For my appointment",
            answers=[Answer("a", "Agenda", text="- the dream of the lake\n- sleep")],
        )
    )
    vault.checkins.add(CheckinKind.MOOD, [6], taken_at=_ago(3))
    return vault


def _ago(days: float) -> datetime:
    return datetime.now().astimezone() - timedelta(days=days)


def _export(vault: vaults.Vault, out: Path, *, to: str | None = None, name: str = "") -> bytes:
    export_for_therapy(
        vault,
        share.offer(vault, everything=True),
        bundle_path=out,
        share_code=to is None,
        recipient=to,
        recipient_name=name,
    )
    return out.read_bytes()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[vaults.Vault]:
    vault, _ = vaults.create(tmp_path / "w" / "w.vault", PASSPHRASE, kdf=FAST_KDF, therapist=True)
    yield vault
    vault.close()


def _unchanged(workspace: vaults.Vault) -> dict[str, str]:
    """The workspace's files (the shared-memory index aside, which reads touch)."""
    workspace.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = snapshot(workspace.paths.database.parent)
    return {name: digest for name, digest in files.items() if not name.endswith("-shm")}


def _key(workspace: vaults.Vault) -> str:
    return workspace.keys.sharing_keys()[0].recipient


def _keep(workspace: vaults.Vault, data: bytes, **kw: object) -> keeping.Kept:
    return keeping.keep(workspace, keeping.open_file(workspace, data), **kw)  # type: ignore[arg-type]


def test_a_workspace_has_its_role_and_its_sharing_key(
    workspace: vaults.Vault, vault: vaults.Vault
) -> None:
    assert workspace.is_workspace and not vault.is_workspace
    assert _key(workspace).startswith("age1")
    with pytest.raises(InvalidInput, match="not a therapist's workspace"):
        keeping.require_workspace(vault)


def test_two_patients_their_union_and_what_is_new(workspace: vaults.Vault, tmp_path: Path) -> None:
    ana = _journal(tmp_path / "a" / "a.vault", "lantern")
    ben = _journal(tmp_path / "b" / "b.vault", "harbour")
    key = _key(workspace)
    first = _export(ana, tmp_path / "a1.agb", to=key)
    new_entry = ana.entries.add(
        Entry(title="Later", answers=[Answer("a", "Q", text="the owl came back")])
    )
    new_checkin = ana.checkins.add(CheckinKind.MOOD, [8], taken_at=_ago(0.1))
    second = _export(ana, tmp_path / "a2.agb", to=key)  # overlaps the first
    other = _export(ben, tmp_path / "b1.agb", to=key)

    kept = [_keep(workspace, data) for data in (first, second, other)]
    assert [k.new_patient for k in kept] == [True, False, True]
    patients = workspace.workspace.patients()
    assert [(p.name, p.bundles) for p in patients] == [("Patient 1", 2), ("Patient 2", 1)]

    view = patient_view(workspace, kept[0].patient.id)
    titles = sorted(e.title for e in view.content.entries)
    assert titles == ["For my appointment", "Later", "lantern one"]  # the union, each once
    assert len(view.content.checkins) == 2
    assert [e.id for e in view.new.entries] == [new_entry.id]
    assert [c.id for c in view.new.checkins] == [new_checkin.id]
    assert view.new.since is not None
    assert [a.text for a in view.agenda] == ["the dream of the lake", "sleep"]
    assert [h.entry.title for h in search(view.content, "OWL")] == ["Later"]
    assert search(view.content, "harbour") == []  # the other patient's words
    first_patient = patient_view(workspace, kept[2].patient.id)
    assert [e.title for e in first_patient.new.entries] == []  # one bundle: nothing to compare
    ana.close()
    ben.close()


def test_keeping_the_same_bundle_twice_changes_nothing(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    data = _export(vault, tmp_path / "x.agb", to=_key(workspace))
    _keep(workspace, data)
    before = _unchanged(workspace)
    again = _keep(workspace, data)
    assert again.already
    assert _unchanged(workspace) == before
    assert workspace.workspace.patients()[0].bundles == 1


def test_the_patient_id_differs_between_recipients(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    other, _ = vaults.create(tmp_path / "o" / "o.vault", PASSPHRASE, kdf=FAST_KDF, therapist=True)
    ids = {}
    for name, key in (("w", _key(workspace)), ("o", _key(other))):
        data = _export(vault, tmp_path / f"{name}.agb", to=key)
        opened = bundle.read_bundle(
            data, identities=(workspace if name == "w" else other).keys.identity_secrets()
        )
        ids[name] = opened.content.patient_id
    again = bundle.read_bundle(
        _export(vault, tmp_path / "w2.agb", to=_key(workspace)),
        identities=workspace.keys.identity_secrets(),
    )
    assert again.content.patient_id == ids["w"]  # the same recipient: the same id
    assert ids["w"] != ids["o"] and len(ids["w"]) == 26
    # Share codes: by the recipient the patient names (case and spaces aside).
    codes = {}
    for name in ("Dr Rivera", "  dr   RIVERA ", "Dr Okafor"):
        out = tmp_path / "c.agb"
        result = export_for_therapy(
            vault,
            share.offer(vault, everything=True),
            bundle_path=out,
            share_code=True,
            recipient_name=name,
        )
        assert result.share_code is not None
        codes[name] = bundle.read_bundle(
            out.read_bytes(), share_code=result.share_code
        ).content.patient_id
        out.unlink()
    assert codes["Dr Rivera"] == codes["  dr   RIVERA "] != codes["Dr Okafor"]
    assert ids["w"] not in codes.values()
    # Another journal to the same therapist: another id.
    stranger = _journal(tmp_path / "s" / "s.vault", "x")
    theirs = bundle.read_bundle(
        _export(stranger, tmp_path / "s.agb", to=_key(workspace)),
        identities=workspace.keys.identity_secrets(),
    )
    assert theirs.content.patient_id != ids["w"]
    stranger.close()
    other.close()


def test_remove_deletes_every_trace(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text=f"{CANARY} " * 200)]))
    kept = _keep(workspace, _export(vault, tmp_path / "x.agb", to=_key(workspace)))
    note = f"note {CANARY} " * 100
    workspace.workspace.save_note(kept.patient.id, date(2026, 12, 1), note)
    items = patient_view(workspace, kept.patient.id).agenda
    assert items == []  # no agenda in this journal; the marks are tested below
    workspace.workspace.mark_discussed(kept.patient.id, "1:abc", True)
    workspace.workspace.rename(kept.patient.id, f"Name {CANARY}")
    workspace.workspace.remove(kept.patient.id)
    assert workspace.workspace.patients() == []
    path = workspace.paths.database
    workspace.close()
    keyfile = kf.read(workspace.paths.keyfile)
    key = kf.unwrap_key(keyfile, kf.PASSPHRASE_SLOT, kf.normalize_passphrase(PASSPHRASE))
    assert key is not None
    pages = _decrypted_pages(path.parent / path.name, key)
    assert pages[0].startswith(b"\x10\x00")  # the pages decrypted
    assert any(b"patient_id_secret" in page for page in pages)  # the check sees text
    assert not any(CANARY.encode() in page for page in pages)


def test_notes_never_leave_but_in_the_clinical_record_when_chosen(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    kept = _keep(workspace, _export(vault, tmp_path / "x.agb", to=_key(workspace)))
    chosen = workspace.workspace.save_note(
        kept.patient.id, date(2026, 11, 30), "Chosen **Marigold**"
    )
    workspace.workspace.save_note(kept.patient.id, date(2026, 12, 1), f"Unchosen {CANARY}")
    # The export of everything, encrypted and plain: no note.
    now = datetime.now().astimezone()
    files, _count = archive.archive_files(workspace, now=now)
    assert not any(CANARY.encode() in data for data in files.values())
    with pytest.raises(InvalidInput, match="never leave it"):
        archive.export_plain(workspace, tmp_path / "plain", now=now)
    with pytest.raises(InvalidInput, match="never leave it"):
        archive.export_encrypted(workspace, tmp_path / "all.age", "x" * 40, now=now)
    assert not (tmp_path / "all.age").exists()
    assert not (tmp_path / "plain").exists() or not any(
        CANARY.encode() in p.read_bytes() for p in (tmp_path / "plain").rglob("*") if p.is_file()
    )
    # The clinical record: the summary and the chosen note only, behind a password.
    out = tmp_path / "record.pdf"
    password = export_clinical_record(workspace, kept.patient.id, {chosen.id}, out)
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert reader.is_encrypted
    assert reader.decrypt(password)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Marigold" in text and "Patient 1" in text
    assert CANARY not in text


def test_an_older_bundle_without_an_id_is_grouped_by_hand(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    data = _export(vault, tmp_path / "x.agb", to=_key(workspace))
    files = bundle.unzip(bundle.decrypt(data, identities=workspace.keys.identity_secrets()))
    manifest = json.loads(files["manifest.json"])
    del manifest["patient_id"]
    files["manifest.json"] = json.dumps(manifest).encode()
    old = seal(files, _key(workspace))
    first = _keep(workspace, old)
    assert first.new_patient and first.patient.pseudonym is None
    # A newer bundle of the same journal, put with that patient by hand: grouped
    # from now on by its id.
    vault.entries.add(Entry(title="y", answers=[Answer("a", "Q", text="twice")]))
    newer = _keep(
        workspace,
        _export(vault, tmp_path / "y.agb", to=_key(workspace)),
        patient_id=first.patient.id,
    )
    assert newer.patient.id == first.patient.id and newer.patient.pseudonym
    assert not newer.new_patient


def test_bad_bundles_get_a_sentence_and_change_nothing(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    key = _key(workspace)
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    kept = _keep(workspace, _export(vault, tmp_path / "x.agb", to=key))
    secrets_ = workspace.keys.identity_secrets()
    before = _unchanged(workspace)

    def refused(data: bytes, match: str, **kw: object) -> None:
        with pytest.raises(BundleInvalid, match=match):
            _keep(workspace, data, **kw)
        assert _unchanged(workspace) == before

    # For someone else's key.
    stranger, _ = vaults.create(
        tmp_path / "s" / "s.vault", PASSPHRASE, kdf=FAST_KDF, therapist=True
    )
    refused(_export(vault, tmp_path / "s.agb", to=_key(stranger)), "not made for your key")
    # Another journal's records under this patient's id (a collision).
    other = _journal(tmp_path / "o" / "o.vault", "other")
    files = bundle.unzip(
        bundle.decrypt(_export(other, tmp_path / "o.agb", to=key), identities=secrets_)
    )
    manifest = json.loads(files["manifest.json"])
    manifest["patient_id"] = kept.patient.pseudonym
    files["manifest.json"] = json.dumps(manifest).encode()
    refused(seal(files, key), "do not match theirs")
    # Older than the newest kept.
    files = bundle.unzip(
        bundle.decrypt(_export(vault, tmp_path / "v.agb", to=key), identities=secrets_)
    )
    manifest = json.loads(files["manifest.json"])
    manifest["created"] = "2020-01-01T00:00:00+00:00"
    files["manifest.json"] = json.dumps(manifest).encode()
    refused(seal(files, key), "before the newest one")
    # A newer format version, and a damaged file.
    manifest["version"] = 2
    files["manifest.json"] = json.dumps(manifest).encode()
    refused(seal(files, key), "format version 2")
    damaged = bytearray(_export(vault, tmp_path / "d.agb", to=key))
    damaged[-40] ^= 0xFF
    refused(bytes(damaged), "damaged")
    # A bundle from one journal, put by hand with another patient.
    refused(
        _export(other, tmp_path / "o2.agb", to=key),
        "another journal",
        patient_id=kept.patient.id,
    )
    stranger.close()
    other.close()


def test_names_stay_in_the_workspace_and_are_checked(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    kept = _keep(workspace, _export(vault, tmp_path / "x.agb", to=_key(workspace)))
    work = workspace.workspace
    assert work.rename(kept.patient.id, "  Ana   M. ").name == "Ana M."
    with pytest.raises(InvalidInput):
        work.rename(kept.patient.id, "   ")
    second = _journal(tmp_path / "b" / "b.vault", "b")
    other = _keep(workspace, _export(second, tmp_path / "b.agb", to=_key(workspace)))
    with pytest.raises(InvalidInput, match="already a patient"):
        work.rename(other.patient.id, "ana m.")
    assert work.by_name("ANA M.") is not None
    second.close()


def test_a_workspace_leaks_nothing_backs_up_restores_and_is_one_app(
    tmp_path: Path, home: Path
) -> None:
    """The leak audit, a backup and its restore, and the one-app lock, in a
    workspace holding a patient's bundle and the therapist's notes."""
    from journal.core.errors import VaultInUse
    from journal.core.vault import backup
    from tests.test_leaks import _encodings, _files_containing

    path = tmp_path / "w" / "w.vault"
    workspace, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF, therapist=True)
    patient = _journal(tmp_path / "p" / "p.vault", f"words {CANARY}")
    agb = tmp_path / "in" / "x.agb"
    agb.parent.mkdir()
    kept = _keep(workspace, _export(patient, agb, to=_key(workspace)))
    patient.close()
    agb.unlink()  # the file may go: everything is in the workspace
    workspace.workspace.save_note(kept.patient.id, date(2026, 12, 1), f"note {CANARY}")
    workspace.workspace.rename(kept.patient.id, f"Name {CANARY}")
    with pytest.raises(VaultInUse):
        vaults.unlock(path, PASSPHRASE)
    backups = tmp_path / "backups"
    backups.mkdir()
    info = backup.make_backup(workspace, backups)
    view = patient_view(workspace, kept.patient.id)
    workspace.workspace.remove(kept.patient.id)
    workspace.close()
    needles = _encodings(CANARY)
    assert _files_containing(tmp_path, needles) == []
    assert _files_containing(home, needles) == []
    backup.restore(path, info.path, PASSPHRASE)
    with vaults.unlock(path, PASSPHRASE) as restored:
        assert restored.is_workspace
        [patient_back] = restored.workspace.patients()
        assert patient_back.name == f"Name {CANARY}"
        again = patient_view(restored, patient_back.id)
        assert [e.title for e in again.content.entries] == [e.title for e in view.content.entries]
        assert again.notes[0].body == f"note {CANARY}"
    assert _files_containing(tmp_path, needles) == []


@pytest.mark.parametrize("value", ["", "short", "A" * 26, "../../etc/passwd" + "a" * 10, 7, None])
def test_a_patient_id_of_another_shape_is_refused(
    workspace: vaults.Vault, vault: vaults.Vault, tmp_path: Path, value: object
) -> None:
    vault.entries.add(Entry(title="x", answers=[Answer("a", "Q", text="once")]))
    data = _export(vault, tmp_path / "x.agb", to=_key(workspace))
    files = bundle.unzip(bundle.decrypt(data, identities=workspace.keys.identity_secrets()))
    manifest = json.loads(files["manifest.json"])
    manifest["patient_id"] = value
    files["manifest.json"] = json.dumps(manifest).encode()
    if value == "":  # the same as none: an older bundle, grouped by hand
        assert _keep(workspace, seal(files, _key(workspace))).patient.pseudonym is None
        return
    with pytest.raises(BundleInvalid):
        _keep(workspace, seal(files, _key(workspace)))
    assert workspace.workspace.patients() == []
