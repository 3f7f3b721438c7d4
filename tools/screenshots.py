"""Screenshots of the main screens, made from the demo journal.

    .venv/bin/python tools/screenshots.py [OUTPUT_DIR]

Renders offscreen (no display needed) into docs/screenshots/ by default, so
the README's pictures always show the current app.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget

from journal.core.journal.demo_vault import DEMO_PASSPHRASE, demo_journal
from journal.core.model import CheckinKind
from journal.core.sharing.report import report_html
from journal.core.vault import backup
from journal.ui import dialogs
from journal.ui.main_window import MainWindow
from journal.ui.reader import ReaderWindow
from journal.ui.runner import VaultRunner
from journal.ui.safekeeping import ExportEverythingDialog, RestoreDialog
from journal.ui.settings import THEME, Settings
from journal.ui.settings_dialog import SettingsDialog
from journal.ui.theme import apply

SIZE = (1366, 768)  # a common small laptop; the README shows the app at this size


def wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition():
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        waited += 20
        if waited > timeout_ms:
            raise TimeoutError("the app did not get there in time")


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget, out: Path, name: str) -> None:
    settle()
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def unlock_again(window: MainWindow) -> None:
    window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
    window.unlock_page.submit.click()
    wait_for(lambda: window.unlocked and not window.runner.busy)


def sketch_and_record(window: MainWindow, out: Path) -> None:
    """The sketch pad with a drawing, the recall prompt with the sketch kept,
    and the voice recorder while recording (fed a tone: no microphone here)."""
    import math
    from array import array

    from PySide6.QtCore import QPointF

    from journal.ui.imagery import Place
    from journal.ui.sketch import SketchDialog
    from journal.ui.voice import VoiceRecorder

    strip = window.recall.blocks[0].strip
    assert strip is not None
    dialog = SketchDialog(window)
    dialog.show()
    canvas = dialog.canvas
    settle()
    for ink, size, points in (
        (1, 1, [(80 + x * 8, 260 + 30 * math.sin(x / 6)) for x in range(90)]),
        (1, 0, [(80 + x * 8, 320 + 24 * math.sin(x / 5 + 1)) for x in range(90)]),
        (4, 2, [(430, 230), (430, 90), (520, 90), (520, 230)]),
        (6, 1, [(250 + 6 * i, 130 - 3 * i) for i in range(10)]),
    ):
        dialog.inks.button(ink).click()
        dialog.sizes.button(size).click()
        canvas.brush = [3.0, 9.0, 24.0][size]
        canvas.begin(QPointF(*points[0]), 0.6)
        for point in points[1:]:
            canvas.extend(QPointF(*point), 0.6)
        canvas.end()
    shoot(dialog, out, "sketch")
    png = canvas.png()
    dialog.hide()  # (closing would ask whether to leave the drawing)
    dialog.deleteLater()
    from journal.core.model import Attachment, AttachmentKind

    window.flows.imagery.media._store(
        lambda: (Attachment(AttachmentKind.SKETCH, "image/png", name="sketch"), png),
        Place(prompt_key=window.recall.blocks[0].prompt.key),
        strip._on_added,
    )
    wait_for(lambda: bool(strip.shown))
    shoot(window, out, "recall-sketch")
    recorder = VoiceRecorder(window, 64 * 2**20)
    recorder.device = object()
    recorder.format = (16_000, 1, 2, False)
    recorder.show()
    recorder.status.setText("Recording… press Stop when you are done.")
    recorder.record.setEnabled(True)
    tone = array("h", (int(14_000 * math.sin(n / 7)) for n in range(16_000 * 12))).tobytes()
    recorder.feed(tone)
    recorder._tick()
    recorder._show_state(recording=True)
    shoot(recorder, out, "voice-note")
    recorder.frames.clear()
    recorder.close()


def first_page(html: str, path: Path) -> None:
    """Page 1 of the report's PDF, as the printer would put it on paper."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument

    from journal.pdf import report_pdf

    data = QByteArray(report_pdf(html))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    document.render(0, QSize(900, 1273)).save(str(path))  # A4 proportions


def at_both_sizes(window: QWidget, out: Path, name: str) -> None:
    """A small laptop (1366×768) and a netbook-sized screen (1024×600)."""
    for width, height in ((1366, 768), (1024, 600)):
        window.resize(width, height)
        shoot(window, out, f"{name}-{width}x{height}")
    window.resize(*SIZE)


def before_the_session(window: MainWindow, out: Path) -> None:
    """ "Before my session": intention, checklist, the pacer (moving and
    still), and afterwards the session form filled in and the recall's line."""
    from journal.core.model import MeditationKind
    from journal.core.practice.pacer import Plan

    window.home.before.click()
    wait_for(lambda: window.current_page() == "recall")
    recall = window.recall
    recall.blocks[0].answer.setPlainText("Tired, a bit nervous, hopeful.")  # type: ignore[attr-defined]
    recall.next.click()
    recall.blocks[0].answer.setValue(5)  # type: ignore[attr-defined]
    recall.next.click()
    recall.blocks[0].answer.setPlainText("To be gentler with myself.")  # type: ignore[attr-defined]
    at_both_sizes(window, out, "before-intention")
    while recall.next.isVisible():
        recall.next.click()
    recall.finish.click()
    wait_for(lambda: window.current_page() == "checklist")
    checklist = window.pages["checklist"]
    for box in checklist.items[:2]:  # type: ignore[attr-defined]
        box.setChecked(True)
    checklist.items[2].setFocus()  # type: ignore[attr-defined]
    at_both_sizes(window, out, "before-checklist")
    checklist.go_on.click()  # type: ignore[attr-defined]
    wait_for(lambda: window.current_page() == "meditation_choice" and not window.runner.busy)
    at_both_sizes(window, out, "meditation-choice")
    meditation = window.pages["meditation"]
    clock = [0.0]
    meditation.clock = lambda: clock[0]  # type: ignore[attr-defined]
    for still, name in ((False, "pacer"), (True, "pacer-still")):
        meditation.start(Plan(MeditationKind.BREATHING, 5, 6), still=still)  # type: ignore[attr-defined]
        window.show_page("meditation")
        clock[0] = 2.0  # half-way through breathing in
        meditation.tick()  # type: ignore[attr-defined]
        at_both_sizes(window, out, name)
    clock[0] = 300.0
    meditation.tick()  # type: ignore[attr-defined]
    meditation.proceed.click()  # type: ignore[attr-defined]
    wait_for(lambda: window.current_page() == "home" and not window.runner.busy)
    at_both_sizes(window, out, "home-prepared")
    window.home.start.click()
    wait_for(lambda: bool(window.session_form.intention.text()))
    at_both_sizes(window, out, "about-this-session-filled")
    window.session_form.proceed.click()
    wait_for(lambda: window.current_page() == "recall")
    at_both_sizes(window, out, "recall-intention")


def importing(window: MainWindow, out: Path) -> None:
    """File → Import from another journal…: what was found, then what came in
    (a small jrnl export written for the picture)."""
    import json
    import tempfile

    from journal.ui import dialogs

    folder = Path(tempfile.mkdtemp(prefix="afterglow-shots-"))
    export = folder / "jrnl-export.json"
    export.write_text(
        json.dumps(
            {
                "tags": {"@sleep": 1},
                "entries": [
                    {
                        "title": "First week",
                        "body": "Slept better.",
                        "date": "2024-03-05",
                        "time": "21:10",
                        "tags": ["@sleep"],
                        "starred": False,
                    },
                    {
                        "title": "",
                        "body": "A walk by the river.",
                        "date": "2024-03-09",
                        "time": "08:40",
                        "tags": [],
                        "starred": True,
                    },
                    {
                        "title": "",
                        "body": "",
                        "date": "2024-03-10",
                        "time": "09:00",
                        "tags": [],
                        "starred": False,
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    original = dialogs.open_file_name
    dialogs.open_file_name = lambda *_a: export  # type: ignore[assignment]
    try:
        window.menu_actions.import_journal.trigger()
        page = window.pages["import"]
        page.file_button.click()  # type: ignore[attr-defined]
        wait_for(lambda: page.import_button.isVisible() and not window.runner.busy)  # type: ignore[attr-defined]
        at_both_sizes(window, out, "import-preview")
        page.import_button.click()  # type: ignore[attr-defined]
        wait_for(lambda: page.home_button.isVisible() and not window.runner.busy)  # type: ignore[attr-defined]
        at_both_sizes(window, out, "import-done")
        page.home_button.click()  # type: ignore[attr-defined]
    finally:
        dialogs.open_file_name = original  # type: ignore[assignment]
        export.unlink()
        folder.rmdir()


def sample_workspace(folder: Path) -> Path:
    """A therapist's workspace with two patients: Ana (the demo journal, two
    overlapping bundles ten days and one day ago, a new session, check-in and
    agenda in the second) and Ben (one bundle; a newer one waits in
    ``folder/for-the-appointment.agb``); notes and a discussed mark."""
    from datetime import date, datetime, timedelta

    from journal.core.journal.demo import populate
    from journal.core.model import Answer, Entry, Phase, Route, Session
    from journal.core.sharing import bundle, share
    from journal.core.vault import vault as vaults
    from journal.core.vault.keyfile import KdfParams
    from journal.core.vault.repositories.keys import recipient_label
    from journal.core.workspace import keeping
    from journal.core.workspace.view import patient_view

    cheap = KdfParams(memory_kib=64, time_cost=1, parallelism=1)  # sample data only
    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    moment = [now - timedelta(days=10)]
    path = folder / "workspace" / "workspace.vault"
    workspace, _ = vaults.create(path, DEMO_PASSPHRASE, kdf=cheap, therapist=True)
    key = workspace.keys.sharing_keys()[0].recipient

    def made(journal: vaults.Vault, when: datetime) -> bytes:
        content = share.collect(journal, share.offer(journal, everything=True), now=when)
        content.patient_id = journal.keys.pseudonym(recipient_label(key=key))
        share.record_export(journal, when)  # the next bundle compares with this one
        return bundle.write_bundle(
            content, report_html=report_html(content, images_as_files=True), recipients=[key]
        )

    words = "sample amber lantern road"  # the patients' journals: sample data only
    ana, _ = vaults.create(folder / "ana" / "a.vault", words, kdf=cheap, clock=lambda: moment[0])
    populate(ana, now=moment[0])
    first = made(ana, moment[0])
    moment[0] = now - timedelta(days=3)
    session = ana.sessions.add(Session(started_at=moment[0], route=Route.IV, intention="Rest"))
    ana.entries.add(
        Entry(
            phase=Phase.RIGHT_AFTER,
            title="The fifth infusion",
            session_id=session.id,
            answers=[Answer("text", "What do you remember first?", text="A lighthouse, dimming.")],
        )
    )
    moment[0] = now - timedelta(days=2)
    ana.checkins.add(CheckinKind.PHQ9, [1, 1, 0, 1, 0, 1, 0, 0, 0])
    ana.entries.add(
        Entry(
            phase=Phase.BEFORE_THERAPY,
            title="For next Tuesday",
            answers=[
                Answer(
                    "agenda",
                    "What would you like to talk about?",
                    text="- The lighthouse\n- Sleeping through the night again",
                )
            ],
        )
    )
    second = made(ana, now - timedelta(days=1))
    ana.close()
    ben, _ = vaults.create(folder / "ben" / "b.vault", words, kdf=cheap, clock=lambda: moment[0])
    moment[0] = now - timedelta(days=6)
    ben.entries.add(
        Entry(
            phase=Phase.RIGHT_AFTER,
            title="First session",
            answers=[Answer("text", "Images and colours", text="Green, a slow river.")],
        )
    )
    ben.checkins.add(CheckinKind.PHQ9, [2, 2, 1, 2, 1, 1, 1, 1, 0])
    third = made(ben, now - timedelta(days=5))
    moment[0] = now - timedelta(hours=5)
    ben.checkins.add(CheckinKind.PHQ9, [1, 2, 1, 1, 1, 1, 0, 1, 0])
    (folder / "for-the-appointment.agb").write_bytes(made(ben, now - timedelta(hours=4)))
    ben.close()
    for data in (first, second, third):
        keeping.keep(workspace, keeping.open_file(workspace, data))
    work = workspace.workspace
    ana_id = next(p.id for p in work.patients() if p.bundles == 2)
    work.rename(ana_id, "Ana M.")
    work.save_note(
        ana_id,
        date.today() - timedelta(days=9),
        "## Appointment\nThe door in the ocean: she went through. Talked about her sister.",
    )
    work.save_note(ana_id, date.today(), "Lighthouse image — *dimming*, not gone. Ask about sleep.")
    work.mark_discussed(ana_id, patient_view(workspace, ana_id).agenda[0].key, True)
    workspace.close()
    return path


def therapist_workspace(out: Path, folder: Path, settings: Settings) -> None:
    """The patients, a patient's page (overview, report, notes) and the
    reader's *Keep in my workspace*."""
    path = sample_workspace(folder)
    window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=path)
    window.resize(*SIZE)
    window.show()
    window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
    window.unlock_page.submit.click()
    wait_for(lambda: window.current_page() == "patients" and not window.runner.busy)

    def both(name: str) -> None:
        """At 1366×768, and on a netbook-sized screen (1024×600)."""
        shoot(window, out, name)
        window.resize(1024, 600)
        shoot(window, out, f"{name}-1024x600")
        window.resize(*SIZE)

    both("therapist-patients")
    flow = window.flows.workspace
    flow.open_patient(flow.patients.patients[0].id)
    wait_for(lambda: window.current_page() == "patient" and not window.runner.busy)
    both("therapist-patient")
    page = flow.patient
    for index, name in ((1, "report"), (3, "notes")):
        page.tabs.setCurrentIndex(index)
        shoot(window, out, f"therapist-patient-{name}")
    window.open_bundle_path(folder / "for-the-appointment.agb")
    wait_for(lambda: bool(window.flows.sharing.readers))
    reader = window.flows.sharing.readers[-1]
    assert isinstance(reader, ReaderWindow)
    reader.resize(*SIZE)
    wait_for(lambda: reader.stack.currentIndex() == 1, 30_000)
    shoot(reader, out, "therapist-reader-keep")
    reader.keep_bundle()
    wait_for(lambda: bool(reader.kept_note.text()) and not window.runner.busy)
    shoot(reader, out, "therapist-reader-kept")
    reader.close()
    window.close()
    window.runner.shutdown()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat))
        apply(app, settings.theme, settings.text_size)
        with demo_journal() as path:
            window = MainWindow(runner=VaultRunner(), settings=settings, vault_path=path, demo=True)
            window.resize(*SIZE)
            window.show()
            window.unlock_page.set_demo_hint(DEMO_PASSPHRASE)
            shoot(window, out, "unlock")
            window.unlock_page.passphrase.setText(DEMO_PASSPHRASE)
            window.unlock_page.submit.click()
            wait_for(lambda: window.current_page() == "home" and not window.runner.busy)
            shoot(window, out, "home")
            settings.set(THEME, "high_contrast")
            apply(app, "high_contrast", settings.text_size)
            shoot(window, out, "home-high-contrast")
            settings.set(THEME, "light")
            apply(app, "light", settings.text_size)
            shoot(window, out, "home-light")
            settings.set(THEME, "calm_dark")
            apply(app, "calm_dark", settings.text_size)
            window.home.start.click()
            shoot(window, out, "new-session")
            window.session_form.choose.click()
            wait_for(lambda: window.current_page() == "template_choice")
            shoot(window, out, "templates")
            window.template_choice.begin.click()
            wait_for(lambda: window.current_page() == "recall")
            window.recall.blocks[0].answer.setPlainText(  # type: ignore[attr-defined]
                "Soft blue light, like being under water. A door, again."
            )
            shoot(window, out, "recall-text")
            at_both_sizes(window, out, "recall-text")  # a gentle prompt on a netbook too
            window.recall.next.click()
            sketch_and_record(window, out)
            window.recall.next.click()
            entry = window.recall.blocks[0].motif_entry
            for words in ("a door in the ocean", "like being held"):
                entry.setText(words)
                entry.returnPressed.emit()
            shoot(window, out, "recall-motifs")
            for _ in range(4):
                window.recall.next.click()
            for box in window.recall.blocks[0].answer.findChildren(QCheckBox)[:2]:
                box.setChecked(True)
            shoot(window, out, "recall-after-effects")
            window.recall.next.click()
            window.recall.blocks[0].answer.setValue(7)  # type: ignore[attr-defined]
            shoot(window, out, "recall-mood")
            window.open_entry(1)
            wait_for(lambda: window.current_page() == "entry")
            shoot(window, out, "entry")
            found: list[int] = []
            window.submit(
                lambda vault: next(a.entry_id for a in vault.attachments.all() if a.entry_id),
                found.append,
            )
            wait_for(lambda: bool(found))
            window.open_entry(found[0])
            wait_for(
                lambda: window.current_page() == "entry" and bool(window.entry_page.reader.images)
            )
            bar = window.entry_page.reader.verticalScrollBar()
            bar.setValue(bar.maximum() // 5)
            shoot(window, out, "entry-sketch")
            window.entry_page.edit_button.click()
            shoot(window, out, "entry-edit")
            window.go_search()
            window.search_page.field.setText("door")
            wait_for(lambda: window.search_page.model.rowCount() > 0)
            shoot(window, out, "search")
            window.go_motifs()
            wait_for(
                lambda: window.current_page() == "motifs" and window.motifs_page.detail is not None
            )
            wait_for(lambda: bool(window.flows.imagery.motif_strip.shown))
            shoot(window, out, "motifs")
            bar = window.motifs_page.detail_scroll.verticalScrollBar()
            bar.setValue(bar.maximum())
            shoot(window, out, "motifs-pictures")
            window.flows.checkins.go_checkin()
            wait_for(lambda: window.current_page() == "checkin")
            shoot(window, out, "checkin")
            window.flows.checkins.hub.mood.click()
            window.flows.checkins.mood.scale.setValue(6)
            window.flows.checkins.mood.note.setText("steadier than yesterday")
            shoot(window, out, "checkin-mood")
            window.flows.checkins.start_questionnaire(CheckinKind.PHQ9)
            for answer in (1, 1, 2):
                window.flows.checkins.questionnaire.options[answer].click()
            shoot(window, out, "checkin-phq9")
            for answer in (1, 0, 1, 0, 0, 1):
                window.flows.checkins.questionnaire.options[answer].click()
            wait_for(lambda: window.current_page() == "safety")
            shoot(window, out, "checkin-safety")
            window.flows.checkins.safety.proceed.click()
            shoot(window, out, "checkin-result")
            window.flows.checkins.start_questionnaire(CheckinKind.EBI)
            window.flows.checkins.questionnaire.line.setValue(65)
            window.flows.checkins.questionnaire.line.setFocus()
            shoot(window, out, "checkin-ebi")
            window.flows.checkins.questionnaire.stop.click()
            window.flows.checkins.go_trends()
            wait_for(lambda: window.current_page() == "trends")
            shoot(window, out, "trends-mood")
            window.flows.checkins.trends.choose("phq9")
            window.flows.checkins.trends.chart.setFocus()
            shoot(window, out, "trends-phq9")
            window.flows.checkins.trends.by_infusion.setChecked(True)
            window.flows.checkins.trends.infusions.setFocus()
            shoot(window, out, "trends-by-infusion")
            window.flows.checkins.trends.by_infusion.setChecked(False)
            window.flows.sharing.go_prepare()
            wait_for(lambda: window.prepare_page.tree.topLevelItemCount() > 0)
            window.prepare_page.tree.expandAll()
            shoot(window, out, "prepare-choose")
            window.prepare_page.preview_button.click()
            wait_for(lambda: window.prepare_page.steps.currentIndex() == 1)
            shoot(window, out, "prepare-preview")
            window.prepare_page.to_send.click()
            shoot(window, out, "prepare-protect")
            target = Path(scratch) / "for-thursday.agb"
            dialogs.save_file_name = lambda *_args, **_kw: target  # type: ignore[assignment]
            window.prepare_page.save_button.click()
            wait_for(lambda: window.prepare_page.steps.currentIndex() == 3, 30_000)
            shoot(window, out, "prepare-share-code")
            code = window.prepare_page.secret_label.text()
            reader = ReaderWindow(bundle_path=target, vault_path=None, runner=VaultRunner())
            reader.resize(*SIZE)
            reader.show()
            shoot(reader, out, "reader-open")
            reader.secret.setText(code)
            reader.open_bundle()
            wait_for(lambda: reader.stack.currentIndex() == 1, 30_000)
            reader.resize(1366, 768)  # the therapist's first screen, on a small laptop
            shoot(reader, out, "reader")
            assert reader.opened is not None
            first_page(report_html(reader.opened.content, printed=True), out / "report-page1.png")
            reader.close()
            dialog = SettingsDialog(settings, window)
            dialog.show()
            shoot(dialog, out, "settings")
            dialog.close()
            window.lock()
            wait_for(lambda: not window.runner.busy)  # the day's automatic backup
            restore = RestoreDialog(
                backup.list_backups(backup.backups_folder(window.vault_path)), window
            )
            restore.show()
            shoot(restore, out, "restore")
            restore.close()
            unlock_again(window)
            export = ExportEverythingDialog(window)
            export.show()
            shoot(export, out, "export-everything")
            export.close()
            before_the_session(window, out)
            importing(window, out)
            window.close()
            window.runner.shutdown()
        therapist_workspace(out, Path(scratch), settings)


if __name__ == "__main__":
    main()
