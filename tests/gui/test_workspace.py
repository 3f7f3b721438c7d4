"""The therapist's workspace in the app, by keyboard, on real vaults: created
from the first run, its role in the title and home, bundles kept from the
reader (with an id, and an older one without), a patient read across
bundles, discussed marks, autosaved notes, rename and remove, search, the
clinical record's protected PDF, and locking that leaves nothing on screen.
The patient's side: whom a share-code bundle is for."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journal.core.model import Answer, CheckinKind, Entry, Phase
from journal.core.sharing import archive, bundle, share
from journal.core.vault import vault as vaults
from journal.export import export_for_therapy
from journal.ui import clinical_record, dialogs
from journal.ui.main_window import MainWindow
from journal.ui.pages.patient import TABS, PatientPage
from journal.ui.reader import ReaderWindow
from journal.ui.settings import AUTO_LOCK_MINUTES, Settings
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import WindowFactory, run_in_vault, type_text, unlock
from tests.helpers import seal
from tests.test_leaks import _encodings, _files_containing

CANARY = "Marshwren47"


# -- building patients' journals and their bundles ----------------------------------


def patient_journal(path: Path, words: str) -> vaults.Vault:
    """A patient's journal: an entry, an agenda of two items, a mood check-in."""
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
    vault.checkins.add(CheckinKind.MOOD, [6])
    return vault


def export_to(vault: vaults.Vault, out: Path, key: str) -> Path:
    export_for_therapy(vault, share.offer(vault, everything=True), bundle_path=out, recipient=key)
    return out


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    path = tmp_path / "workspace" / "workspace.vault"
    vault, _ = vaults.create(path, PASSPHRASE, kdf=FAST_KDF, therapist=True)
    vault.close()
    return path


def sharing_key(path: Path) -> str:
    with vaults.unlock(path, PASSPHRASE) as vault:
        return vault.keys.sharing_keys()[0].recipient


def open_workspace(qtbot: QtBot, make_window: WindowFactory, path: Path) -> MainWindow:
    window = make_window(path)
    unlock(qtbot, window, page="patients")
    return window


def open_reader(qtbot: QtBot, window: MainWindow, path: Path) -> ReaderWindow:
    readers = window.flows.sharing.readers
    before = list(readers)
    window.open_bundle_path(path)
    qtbot.waitUntil(lambda: any(r not in before for r in readers), timeout=10_000)
    reader = next(r for r in readers if r not in before)
    assert isinstance(reader, ReaderWindow)
    qtbot.waitUntil(lambda: reader.stack.currentIndex() == 1, timeout=20_000)
    return reader


def keep(qtbot: QtBot, window: MainWindow, path: Path) -> ReaderWindow:
    """The bundle at ``path`` kept from its reader, by keyboard."""
    reader = open_reader(qtbot, window, path)
    assert reader.keep_button.isVisibleTo(reader)
    qtbot.keyClick(reader.keep_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: reader.kept_note.text() != "" and not window.runner.busy)
    return reader


def open_patient(qtbot: QtBot, window: MainWindow, name: str) -> PatientPage:
    page = window.flows.workspace.patients
    row = next(i for i, p in enumerate(page.patients) if p.name == name)
    page.list.setCurrentRow(row)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "patient" and not window.runner.busy)
    return window.flows.workspace.patient


def tab(page: PatientPage, name: str) -> None:
    page.tabs.setCurrentIndex(TABS.index(name))


def rewritten(workspace: Path, path: Path, **manifest: str | None) -> bytes:
    """The bundle at ``path`` with fields of its manifest changed (None: left
    out), sealed again for the workspace's key — as an older Afterglow, or an
    older export, would have made it."""
    with vaults.unlock(workspace, PASSPHRASE) as vault:
        secrets = vault.keys.identity_secrets()
        key = vault.keys.sharing_keys()[0].recipient
    files = bundle.unzip(bundle.decrypt(path.read_bytes(), identities=secrets))
    fields = json.loads(files["manifest.json"])
    for name, value in manifest.items():
        if value is None:
            del fields[name]
        else:
            fields[name] = value
    files["manifest.json"] = json.dumps(fields).encode()
    return seal(files, key)


@pytest.fixture
def two_patients(workspace_path: Path, tmp_path: Path) -> dict[str, Path]:
    """Ana's two overlapping bundles (the second with a new entry and check-in)
    and Ben's one, all for the workspace's key."""
    key = sharing_key(workspace_path)
    ana = patient_journal(tmp_path / "ana" / "a.vault", "lantern")
    ben = patient_journal(tmp_path / "ben" / "b.vault", "harbour")
    made = {"a1": export_to(ana, tmp_path / "a1.agb", key)}
    ana.entries.add(Entry(title="Later", answers=[Answer("a", "Q", text="the owl came back")]))
    ana.checkins.add(CheckinKind.MOOD, [8])
    made["a2"] = export_to(ana, tmp_path / "a2.agb", key)
    made["b1"] = export_to(ben, tmp_path / "b1.agb", key)
    ana.close()
    ben.close()
    return made


# -- the tests ------------------------------------------------------------------------


def test_a_workspace_is_created_by_keyboard_and_shows_its_role(
    qtbot: QtBot, make_window: WindowFactory, vault_path: Path
) -> None:
    window = make_window(vault_path)
    qtbot.keyClick(window.welcome.begin, Qt.Key.Key_Space)
    page = window.create_page
    assert page.journal.isChecked() and not page.therapist.isChecked()  # a journal by default
    window.activateWindow()  # arrows move within a radio group only with the focus there
    qtbot.waitUntil(window.isActiveWindow)
    page.journal.setFocus()
    qtbot.keyClick(page.journal, Qt.Key.Key_Down)  # arrows move within the radio group
    assert page.therapist.isChecked()
    assert page.submit.text() == "Create my workspace"
    page.passphrase.setFocus()
    type_text(page.passphrase, "kettle river autumn violin")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    type_text(page.repeat, "kettle river autumn violin")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "recovery_code", timeout=10_000)
    window.recovery_code.stored.setChecked(True)
    qtbot.keyClick(window.recovery_code.proceed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.current_page() == "patients" and not window.runner.busy)
    assert window.windowTitle() == "therapist workspace"  # shown as "… — Afterglow"
    patients = window.flows.workspace.patients
    assert patients.empty.isVisible() and "sharing key" in patients.empty.text()
    actions = window.menu_actions
    assert actions.home.text() == "Patients"
    for journal_only in (actions.prepare, actions.checkin, actions.before, actions.export_all):
        assert not journal_only.isVisible()
    for kept in (actions.open_bundle, actions.sharing_key, actions.backup, actions.lock):
        assert kept.isVisible() and kept.isEnabled()
    assert window.idle.interval() == 5 * 60_000  # the default 10 minutes, shortened
    window.close()
    with vaults.unlock(vault_path, "kettle river autumn violin") as vault:
        assert vault.is_workspace and vault.keys.sharing_keys()


def test_a_workspace_locks_after_five_minutes_unless_set_shorter(settings: Settings) -> None:
    assert settings.lock_minutes(workspace=False) == 10
    assert settings.lock_minutes(workspace=True) == 5
    settings.set(AUTO_LOCK_MINUTES, 2)
    assert settings.lock_minutes(workspace=True) == 2
    settings.set(AUTO_LOCK_MINUTES, 0)  # "never", in a journal
    assert (settings.lock_minutes(workspace=False), settings.lock_minutes(workspace=True)) == (0, 5)


def test_bundles_are_kept_from_the_reader_and_read_across_visits(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
    answers: dict[str, Any],
) -> None:
    window = open_workspace(qtbot, make_window, workspace_path)
    reader = keep(qtbot, window, two_patients["a1"])
    assert reader.kept_note.text().startswith("Kept in your workspace under Patient 1.")
    patients = window.flows.workspace.patients
    assert [p.name for p in patients.patients] == ["Patient 1"]  # the list refreshed
    # The .agb file, deleted after a confirmation.
    assert reader.delete_button.hasFocus()
    answers["confirm"] = True
    qtbot.keyClick(reader.delete_button, Qt.Key.Key_Space)
    assert not two_patients["a1"].exists() and "was deleted" in reader.kept_note.text()
    reader.close()
    for name in ("a2", "b1"):
        keep(qtbot, window, two_patients[name]).close()
    again = keep(qtbot, window, two_patients["a2"])
    assert again.kept_note.text() == "This bundle was kept already; nothing changed."
    again.close()
    assert [(p.name, p.bundles) for p in patients.patients] == [
        ("Patient 1", 2),
        ("Patient 2", 1),
    ]
    assert patients.list.item(0).text().startswith("Patient 1\n2 bundles · the newest made ")
    page = open_patient(qtbot, window, "Patient 1")
    assert page.name.text() == "Patient 1"
    assert page.summary.text().startswith("2 bundles, made ")
    assert page.summary.text().endswith(" · 0 notes")
    assert page.new_title.text().startswith("New since ")
    new = [page.new.item(i).text() for i in range(page.new.count())]
    assert any(line.endswith("· Later") for line in new)
    assert any(line.startswith("Check-in") and "Mood 8" in line for line in new)
    assert not any("lantern" in line for line in new)  # in the first bundle already
    # Enter on the new entry shows its text.
    row = next(i for i, line in enumerate(new) if line.endswith("Later"))
    page.new.setCurrentRow(row)
    qtbot.keyClick(page.new, Qt.Key.Key_Return)
    assert page.tabs.currentIndex() == TABS.index("Search")
    assert "the owl came back" in page.entry.toPlainText()
    # The report reads both bundles: both moods.
    assert "Mood" in page.report.toPlainText()
    assert page.bundles.count() == 2


def test_discussed_marks_persist_and_locking_clears_the_pages(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
    tmp_path: Path,
) -> None:
    older = tmp_path / "older.agb"
    older.write_bytes(
        rewritten(workspace_path, two_patients["a1"], created="2020-01-01T10:00:00+00:00")
    )
    window = open_workspace(qtbot, make_window, workspace_path)
    keep(qtbot, window, two_patients["a2"]).close()
    # An older bundle than the one kept is refused with its sentence; the
    # reader still offers to keep it, and no deleting.
    refused = keep(qtbot, window, older)
    assert "before the newest one you kept from Patient 1" in refused.kept_note.text()
    assert refused.kept_note.objectName() == "error"
    assert refused.keep_button.isVisible() and refused.keep_button.isEnabled()
    assert not refused.delete_button.isVisible() and older.exists()
    refused.close()
    page = open_patient(qtbot, window, "Patient 1")
    agenda = page.agenda
    assert [agenda.item(i).text().split("\n")[0] for i in range(agenda.count())] == [
        "the dream of the lake",
        "sleep",
    ]
    assert agenda.currentRow() == 0 and window.focusWidget() is agenda
    qtbot.keyClick(agenda, Qt.Key.Key_Space)  # ticks the highlighted item
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert agenda.item(0).checkState() == Qt.CheckState.Checked
    assert page.agenda_title.text().startswith("Agenda · 1 of 2 to discuss")
    marks = run_in_vault(qtbot, window, lambda v: v.workspace.discussed(page.patient_id))
    assert len(marks) == 1
    # Locking: nothing of the patient stays in a widget.
    window.lock()
    assert window.current_page() == "unlock"
    assert page.view is None and page.name.text() == "" and agenda.count() == 0
    assert page.report.toPlainText() == "" and page.entry.toPlainText() == ""
    assert page.results.count() == 0 and page.new.count() == 0 and page.bundles.count() == 0
    assert page.notes.list.count() == 0 and page.notes.body() == ""
    assert window.flows.workspace.patients.list.count() == 0
    # Unlocking returns to the patient, the mark still there.
    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "patient" and not window.runner.busy)
    assert page.agenda.item(0).checkState() == Qt.CheckState.Checked
    assert page.agenda.item(1).checkState() == Qt.CheckState.Unchecked


def test_a_note_is_autosaved_and_never_in_the_export_of_everything(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
    home: Path,
) -> None:
    window = open_workspace(qtbot, make_window, workspace_path)
    keep(qtbot, window, two_patients["a1"]).close()
    page = open_patient(qtbot, window, "Patient 1")
    tab(page, "Notes")
    notes = page.notes
    assert notes.list.count() == 0 and notes.day_chosen() == datetime.now().date()
    notes.editor.setFocus()
    type_text(notes.editor, f"Talked about the lake. {CANARY} ✍")
    qtbot.waitUntil(lambda: notes.saved.text() == "Saved.", timeout=5000)  # the autosave
    assert notes.list.count() == 1 and CANARY in notes.list.item(0).text()
    type_text(notes.editor, " More.")  # saved on leaving, before the timer
    window.activateWindow()  # (the readers had the focus)
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)  # Patients
    qtbot.waitUntil(lambda: window.current_page() == "patients" and not window.runner.busy)
    assert notes.body() == ""  # the page forgot the patient
    saved = run_in_vault(qtbot, window, lambda v: v.workspace.notes(1))
    assert [n.body for n in saved] == [f"Talked about the lake. {CANARY} ✍ More."]
    # The export of everything holds no note (and the app does not offer it here).
    assert not window.menu_actions.export_all.isVisible()
    files, _count = run_in_vault(
        qtbot, window, lambda v: archive.archive_files(v, now=datetime.now().astimezone())
    )
    assert not any(CANARY.encode() in data for data in files.values())
    # Closed and opened again: the note is there, in the editor for today.
    window.close()
    for root in (home, workspace_path.parent):  # settings, caches, temp, the vault's files
        assert _files_containing(root, _encodings(CANARY)) == [], root
    window = open_workspace(qtbot, make_window, workspace_path)
    page = open_patient(qtbot, window, "Patient 1")
    assert page.notes.body() == f"Talked about the lake. {CANARY} ✍ More."


def test_notes_new_and_deleted_and_the_clinical_record(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
    answers: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_workspace(qtbot, make_window, workspace_path)
    keep(qtbot, window, two_patients["a1"]).close()
    page = open_patient(qtbot, window, "Patient 1")
    tab(page, "Notes")
    notes = page.notes
    type_text(notes.editor, "Chosen **Marigold**")
    window.flows.workspace.flush_note()
    qtbot.waitUntil(lambda: notes.list.count() == 1 and not window.runner.busy)
    qtbot.keyClick(notes.new_button, Qt.Key.Key_Space)
    assert notes.body() == "" and window.focusWidget() is notes.editor
    type_text(notes.editor, f"Unchosen {CANARY}")
    notes.day.setDate(notes.day.date().addDays(-7))
    window.flows.workspace.flush_note()
    qtbot.waitUntil(lambda: notes.list.count() == 2 and not window.runner.busy)
    assert CANARY in notes.list.item(1).text()  # a week earlier: below today's
    chosen_id = notes.notes[0].id
    # Moving in the list puts that note in the editor.
    notes.list.setFocus()
    notes.list.setCurrentRow(0)
    assert notes.body() == "Chosen **Marigold**"
    # The clinical record: the summary and the chosen note, behind a password.
    asked: list[list[int]] = []

    def choose(_parent: object, patient: str, shown: list[Any]) -> set[int]:
        asked.append([n.id for n in shown])
        return {chosen_id}

    monkeypatch.setattr(clinical_record, "choose_notes", choose)
    target = tmp_path / "record.pdf"
    answers["save_file_name"] = target
    qtbot.keyClick(notes.export_button, Qt.Key.Key_Space)
    flow = window.flows.workspace.notes
    qtbot.waitUntil(lambda: flow.password_dialog is not None, timeout=20_000)
    dialog = flow.password_dialog
    assert dialog is not None and sorted(asked[0]) == sorted(n.id for n in notes.notes)
    password = dialog.password.text()
    assert "only as strong as this password" in " ".join(
        w.text() for w in dialog.findChildren(type(dialog.password))
    )
    dialog.copy.click()
    assert QApplication.clipboard().text() == password
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    assert reader.is_encrypted and reader.decrypt(password)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Marigold" in text and "Patient 1" in text and CANARY not in text
    # Locking takes the password off the screen and the clipboard.
    window.lock()
    assert not dialog.isVisible() and QApplication.clipboard().text() == ""
    # Deleting a note asks first.
    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() == "patient" and not window.runner.busy)
    notes = window.flows.workspace.patient.notes
    notes.list.setCurrentRow(1)
    answers["confirm"] = True
    qtbot.keyClick(notes.delete_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: notes.list.count() == 1 and not window.runner.busy)
    left = run_in_vault(qtbot, window, lambda v: v.workspace.notes(1))
    assert [n.id for n in left] == [chosen_id]


def test_rename_and_remove_name_what_goes(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_workspace(qtbot, make_window, workspace_path)
    for name in ("a1", "a2", "b1"):
        keep(qtbot, window, two_patients[name]).close()
    run_in_vault(
        qtbot,
        window,
        lambda v: v.workspace.save_note(1, datetime.now().date(), "a note"),
    )
    patients = window.flows.workspace.patients
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "Ana M.")
    patients.list.setCurrentRow(0)
    qtbot.keyClick(patients.rename_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert [p.name for p in patients.patients] == ["Ana M.", "Patient 2"]
    assert patients.current_id() == 1
    # Another patient's name is refused with its sentence.
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "ana m.")
    patients.list.setCurrentRow(1)
    qtbot.keyClick(patients.rename_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert "already a patient" in patients.status.text()
    # Remove: the question names what goes; "Keep" keeps everything.
    questions: list[str] = []
    answer = [False]

    def confirm(_parent: object, _title: str, text: str, **_kw: object) -> bool:
        questions.append(text)
        return answer[0]

    monkeypatch.setattr(dialogs, "confirm", confirm)
    patients.list.setCurrentRow(0)
    qtbot.keyClick(patients.remove_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(questions) and not window.runner.busy)
    assert questions == [
        "Remove Ana M.? This deletes 2 bundles and 1 appointment note from this "
        "workspace. It cannot be undone."
    ]
    assert len(patients.patients) == 2
    answer[0] = True
    qtbot.keyClick(patients.remove_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(patients.patients) == 1 and not window.runner.busy)
    assert [p.name for p in patients.patients] == ["Patient 2"]
    assert "Ana M. was removed" in patients.status.text()
    assert run_in_vault(qtbot, window, lambda v: v.workspace.notes(1)) == []


def test_search_finds_the_patients_words_and_enter_shows_the_entry(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
) -> None:
    window = open_workspace(qtbot, make_window, workspace_path)
    for name in ("a1", "a2", "b1"):
        keep(qtbot, window, two_patients[name]).close()
    page = open_patient(qtbot, window, "Patient 1")
    tab(page, "Search")
    qtbot.waitUntil(lambda: page.results.count() == 3)  # every entry, before typing
    page.field.setFocus()
    type_text(page.field, "OWL")
    qtbot.waitUntil(lambda: page.results.count() == 1 and not window.runner.busy)
    assert page.results.item(0).text().startswith("Later")
    assert page.found.text() == "1 entry found."
    qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert window.focusWidget() is page.results
    qtbot.keyClick(page.results, Qt.Key.Key_Return)
    assert "the owl came back" in page.entry.toPlainText()
    assert window.focusWidget() is page.entry
    page.field.clear()
    type_text(page.field, "harbour")  # the other patient's words
    qtbot.waitUntil(lambda: page.found.text() == "No entry holds those words.")
    assert page.entry.toPlainText() == ""


def test_an_older_bundle_without_an_id_asks_whose_it_is(
    qtbot: QtBot,
    make_window: WindowFactory,
    workspace_path: Path,
    two_patients: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    old = tmp_path / "old.agb"
    old.write_bytes(rewritten(workspace_path, two_patients["a1"], patient_id=None))
    window = open_workspace(qtbot, make_window, workspace_path)
    keep(qtbot, window, two_patients["b1"]).close()  # Patient 1: Ben
    offered: list[list[tuple[int, str]]] = []

    def choose(_parent: object, _title: str, _text: str, items: list[Any], **_kw: Any) -> int:
        offered.append(items)
        return 0  # a new patient

    monkeypatch.setattr(dialogs, "choose", choose)
    reader = keep(qtbot, window, old)
    assert offered == [[(0, "A new patient"), (1, "Patient 1")]]
    assert reader.kept_note.text().startswith("Kept in your workspace under Patient 2.")
    assert [p.name for p in window.flows.workspace.patients.patients] == [
        "Patient 1",
        "Patient 2",
    ]


def test_a_journal_s_reader_offers_no_keeping(
    qtbot: QtBot, make_window: WindowFactory, demo_vault: Path, workspace_path: Path, tmp_path: Path
) -> None:
    patient = patient_journal(tmp_path / "p" / "p.vault", "words")
    out = export_to(patient, tmp_path / "p.agb", patient.keys.create_identity().recipient)
    patient.close()
    window = make_window(demo_vault)
    unlock(qtbot, window)
    assert window.windowTitle() == "journal" and window.menu_actions.prepare.isVisible()
    assert not window.menu_actions.toolbar_open_bundle.isVisible()
    window.open_bundle_path(out)
    qtbot.waitUntil(lambda: bool(window.flows.sharing.readers))
    reader = window.flows.sharing.readers[-1]
    assert isinstance(reader, ReaderWindow) and not reader.keep_button.isVisibleTo(reader)


def test_a_share_code_bundle_says_whom_it_is_for(
    qtbot: QtBot,
    make_window: WindowFactory,
    demo_vault: Path,
    answers: dict[str, Any],
    tmp_path: Path,
) -> None:
    window = make_window(demo_vault)
    unlock(qtbot, window)
    ids = []
    page = window.prepare_page
    for number, name in enumerate(("Dr Rivera", "  dr rivera", "")):
        window.flows.sharing.go_prepare()
        qtbot.waitUntil(lambda: page.tree.topLevelItemCount() > 0 and not window.runner.busy)
        page.period_box.setCurrentIndex(page.period_box.findData("all"))  # not "since the last"
        page.period_box.activated.emit(page.period_box.currentIndex())
        qtbot.waitUntil(lambda: not window.runner.busy)
        page.preview_button.click()
        qtbot.waitUntil(lambda: page.steps.currentIndex() == 1)
        page.to_send.click()
        assert page.by_code.isChecked() and page.recipient_name.isVisible()
        assert page.recipient_name.placeholderText() == "my therapist"
        page.recipient_name.clear()  # (it keeps the last name while the journal is open)
        page.recipient_name.setFocus()
        type_text(page.recipient_name, name)
        target = tmp_path / f"{number}.agb"
        answers["save_file_name"] = target
        qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: page.steps.currentIndex() == 3, timeout=20_000)
        code = page.secret_label.text()
        ids.append(bundle.read_bundle(target.read_bytes(), share_code=code).content.patient_id)
        page.finish_button.click()
        qtbot.waitUntil(lambda: not window.runner.busy)
    assert ids[0] == ids[1] != ids[2]  # one name, one patient in the workspace
    page.by_key.setChecked(True)
    assert not page.recipient_name.isVisibleTo(page)


def test_the_workspace_flow_alone_keeps_and_saves_one_note(
    qtbot: QtBot,
    settings: Settings,
    workspace_path: Path,
    two_patients: dict[str, Path],
) -> None:
    """With the fake shell (operations at once, no window): a bundle kept by
    the flow's `keep`, the list, and a note saved twice stays one note."""
    from journal.core.workspace import keeping
    from journal.ui.flows.workspace import WorkspaceFlow
    from tests.gui.fake_shell import FakeShell

    vault = vaults.unlock(workspace_path, PASSPHRASE)
    shell = FakeShell(settings=settings, vault_path=workspace_path, vault=vault)
    qtbot.addWidget(shell.stack)
    flow = WorkspaceFlow(shell)
    shell.add(flow)
    said: list[tuple[str, bool]] = []
    opened = keeping.open_file(vault, two_patients["a1"].read_bytes())
    flow.keep(opened, shell.stack, lambda text, kept: said.append((text, kept)))
    assert said == [
        ("Kept in your workspace under Patient 1. You can rename them on the patients page.", True)
    ]
    flow.go_patients()
    assert shell.current == "patients" and [p.name for p in flow.patients.patients] == ["Patient 1"]
    flow.open_patient(1)
    assert shell.current == "patient"
    notes = flow.patient.notes
    type_text(notes.editor, "first")
    flow.flush_note()
    type_text(notes.editor, " and more")
    flow.flush_note()
    assert [n.body for n in vault.workspace.notes(1)] == ["first and more"]
    flow.clear()
    assert flow.patient.view is None and notes.body() == ""
    vault.close()


def test_the_reader_on_its_own_keeps_by_unlocking_the_workspace(
    qtbot: QtBot, workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`afterglow FILE.agb` with no window open: the reader unlocks the
    workspace (the passphrase asked again, never kept) to keep the bundle; an
    older bundle without an id is sent to the app, where its patient is chosen."""
    from journal.ui.runner import VaultRunner

    patient = patient_journal(tmp_path / "p" / "p.vault", "lantern")
    path = export_to(patient, tmp_path / "x.agb", sharing_key(workspace_path))
    patient.close()
    reader = ReaderWindow(bundle_path=path, vault_path=workspace_path, runner=VaultRunner())
    qtbot.addWidget(reader)
    reader.show()
    type_text(reader.secret, PASSPHRASE)
    qtbot.keyClick(reader.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reader.stack.currentIndex() == 1, timeout=20_000)
    assert reader.keep_button.isVisibleTo(reader)
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_text", lambda *a, **kw: asked.append(kw.get("ok", "")) or "wrong words"
    )
    qtbot.keyClick(reader.keep_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "passphrase" in reader.kept_note.text().casefold(), timeout=10_000)
    assert reader.keep_button.isVisible() and asked == ["Keep"]
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **kw: PASSPHRASE)
    qtbot.keyClick(reader.keep_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Kept in your workspace" in reader.kept_note.text(), timeout=10_000)
    assert reader.delete_button.isVisible()
    with vaults.unlock(workspace_path, PASSPHRASE) as vault:
        assert [p.bundles for p in vault.workspace.patients()] == [1]
    # An older bundle (no patient id): not kept from here.
    files = bundle.unzip(bundle.decrypt(path.read_bytes(), identities=_identities(workspace_path)))
    manifest = json.loads(files["manifest.json"])
    del manifest["patient_id"]
    files["manifest.json"] = json.dumps(manifest).encode()
    old = tmp_path / "old.agb"
    old.write_bytes(seal(files, sharing_key(workspace_path)))
    again = ReaderWindow(bundle_path=old, vault_path=workspace_path, runner=VaultRunner())
    qtbot.addWidget(again)
    again.show()
    type_text(again.secret, PASSPHRASE)
    qtbot.keyClick(again.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: again.stack.currentIndex() == 1, timeout=20_000)
    qtbot.keyClick(again.keep_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "older Afterglow" in again.kept_note.text(), timeout=10_000)
    with vaults.unlock(workspace_path, PASSPHRASE) as vault:
        assert [p.bundles for p in vault.workspace.patients()] == [1]
    reader.close()
    again.close()


def _identities(path: Path) -> list[str]:
    with vaults.unlock(path, PASSPHRASE) as vault:
        return vault.keys.identity_secrets()
