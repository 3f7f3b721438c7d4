"""Journaling: "About this session", choosing a template, and the guided
recall one prompt at a time — with its draft autosaved within a second of
the last keystroke, so closing the lid mid-sentence loses nothing."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from journal.core.errors import JournalError
from journal.core.model import Phase
from journal.ui import dialogs
from journal.ui.pages.recall import RecallPage, TemplateChoicePage
from journal.ui.pages.session_form import SessionFormPage
from journal.ui.shell import Shell

if TYPE_CHECKING:
    from journal.core.journal import recall as recalls
    from journal.core.model import Entry, Session
    from journal.core.templates import Template
    from journal.core.vault.vault import Vault
    from journal.ui.media_actions import MediaActions


def _now() -> datetime:
    return datetime.now().astimezone()


AUTOSAVE_MS = 600
SESSION_FORM_DRAFT = "session_form"
RIGHT_AFTER_TEMPLATE = "right-after-gentle"
INTENTION_TEMPLATE = "intention"


class JournalingFlow(QObject):
    """Owns the session form, the template list and the recall pages.
    ``reflected_next_day`` after a next-day reflection is saved (the check-ins
    offer to rate the session then)."""

    reflected_next_day = Signal()
    intention_written = Signal(int)  # the session's id, after "Before my session"

    def __init__(self, shell: Shell, *, media: MediaActions) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.session_form = SessionFormPage()
        self.template_choice = TemplateChoicePage()
        self.recall = RecallPage()
        self.recall.media = media
        self.session_id: int | None = None  # the session the chosen template is for
        self.preparing = False  # the intention of "Before my session" is being written
        self._phase: Phase | None = None  # the phase of the template being answered
        self._pending_draft: recalls.RecallDraft | None = None
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.flush_draft)
        self.session_form.submitted.connect(
            lambda session: self._on_session_submitted(session, choose=False)
        )
        self.session_form.other_template.connect(
            lambda session: self._on_session_submitted(session, choose=True)
        )
        self.session_form.cancelled.connect(shell.go_home)
        self.template_choice.chosen.connect(self.start_template)
        self.template_choice.cancelled.connect(shell.go_home)
        self.recall.draft_changed.connect(self._on_draft_changed)
        self.recall.finished.connect(self._on_finished)
        self.recall.paused.connect(self._on_paused)

    def pages(self) -> dict[str, QWidget]:
        return {
            "session_form": self.session_form,
            "template_choice": self.template_choice,
            "recall": self.recall,
        }

    def clear(self) -> None:
        """On lock (after `flush_draft`): no answer stays on screen or in an undo stack."""
        self.recall.clear()
        self.session_form.reset()
        self.template_choice.set_templates([], None)

    # -- starting -------------------------------------------------------------

    def start_after_session(self) -> None:
        """ "About this session" — filled in when the session was made before it
        ("Before my session"), so nothing is typed twice."""
        from journal.core.journal import before

        self.session_form.reset()
        self.shell.show_page("session_form")

        def fill(found: tuple[Session | None, Session | None]) -> None:
            # Usually within milliseconds; never over something already typed.
            waiting, latest = found
            if not self.session_form.untouched():
                return
            if waiting is not None:
                self.session_form.load(waiting)
            elif latest is not None:  # how it was given last time, as a start
                self.session_form.reset(route=latest.route)

        self.shell.submit(
            lambda vault: (before.waiting_session(vault, _now()), vault.sessions.latest()), fill
        )

    def park_session_form(self) -> None:
        """Before the journal locks on "About this session": what is typed is
        kept in the vault (as a draft), to be there again after unlocking."""
        state = self.session_form.state()
        self.shell.submit(lambda vault: vault.drafts.save(SESSION_FORM_DRAFT, state), None)

    def resume_session_form(self) -> None:
        def restore(found: tuple[dict[str, Any] | None, Session | None]) -> None:
            state, loaded = found
            if state is None:
                self.start_after_session()
                return
            self.session_form.restore(state, loaded)
            self.shell.show_page("session_form")

        def load(vault: Vault) -> tuple[dict[str, Any] | None, Session | None]:
            state = vault.drafts.load(SESSION_FORM_DRAFT)
            vault.drafts.delete(SESSION_FORM_DRAFT)
            known = state.get("id") if state else None
            loaded = None
            if isinstance(known, int):
                with contextlib.suppress(JournalError):
                    loaded = vault.sessions.get(known)
            return state, loaded

        self.shell.submit(load, restore)

    def start_before(self, session_id: int) -> None:
        """The intention for a session made ahead, one gentle prompt at a time."""
        from journal.core.journal import recall as recalls

        self.session_id = session_id
        self.preparing = True
        self.shell.submit(
            lambda vault: vault.templates.get(INTENTION_TEMPLATE),
            lambda template: self.start_recall(
                template, recalls.RecallDraft(template.id, session_id=session_id), gentle=True
            ),
        )

    def write_freely(self) -> None:
        self.choose_template(None, "free")

    def _on_session_submitted(self, session: Session, *, choose: bool) -> None:
        """Straight on to the right-after recall (a returning patient is typing
        three keys after the passphrase), or to the templates when asked."""

        def store(vault: Vault) -> int:
            stored = vault.sessions.update(session) if session.id else vault.sessions.add(session)
            assert stored.id is not None
            return stored.id

        def go_on(session_id: int) -> None:
            if choose:
                self.choose_template(session_id, RIGHT_AFTER_TEMPLATE)
            else:
                self._start_for(session_id, RIGHT_AFTER_TEMPLATE)

        self.shell.submit(store, go_on)

    def start_for_session(self, session_id: int, template_id: str) -> None:
        """A template's recall for a session (the next-day or integration one)."""
        self._start_for(session_id, template_id)

    def _start_for(self, session_id: int, template_id: str) -> None:
        self.session_id = session_id
        self.start_template(template_id)

    def choose_template(self, session_id: int | None, preselect: str | None) -> None:
        self.session_id = session_id

        def show(templates: list[Template]) -> None:
            self.template_choice.set_templates(templates, preselect)
            self.shell.show_page("template_choice")

        self.shell.submit(lambda vault: vault.templates.all(), show)

    def start_template(self, template_id: str) -> None:
        from journal.core.journal import recall as recalls

        session_id = self.session_id
        self.preparing = False
        self.shell.submit(
            lambda vault: vault.templates.get(template_id),
            lambda template: self.start_recall(
                template, recalls.RecallDraft(template_id, session_id=session_id)
            ),
        )

    def start_recall(
        self, template: Template, draft: recalls.RecallDraft, *, gentle: bool | None = None
    ) -> None:
        from journal.core.journal import before

        self._phase = template.phase
        session_id = draft.session_id

        def begin(intention: str) -> None:
            self.recall.start(
                template,
                draft,
                gentle=self.shell.settings.gentle_mode if gentle is None else gentle,
                intro=before.opening_line(intention),
            )
            self.shell.show_page("recall")
            self._on_draft_changed(draft)

        if session_id is None or template.phase is not Phase.RIGHT_AFTER:
            begin("")
            return
        # What the patient came in wanting, shown quietly at the start.
        self.shell.submit(lambda vault: vault.sessions.get(session_id).intention, begin)

    def resume(self) -> None:
        """Continue the saved draft (home's "Continue where you left off")."""
        from journal.core.journal import recall as recalls

        def load(vault: Vault) -> tuple[Any, recalls.RecallDraft] | None:
            draft = recalls.load_draft(vault)
            if draft is None:
                return None
            return vault.templates.get(draft.template_id), draft

        def show(result: tuple[Any, recalls.RecallDraft] | None) -> None:
            if result is None:
                self.shell.go_home()
            else:
                template, draft = result
                self.preparing = template.phase is Phase.BEFORE and draft.session_id is not None
                self.start_recall(template, draft, gentle=True if self.preparing else None)

        self.shell.submit(load, show)

    # -- the draft --------------------------------------------------------------

    def _on_draft_changed(self, draft: recalls.RecallDraft) -> None:
        self._pending_draft = draft
        # Started by the first unsaved change, not restarted by later ones: a
        # person typing without pause is saved every AUTOSAVE_MS all the same.
        if not self.autosave.isActive():
            self.autosave.start()

    def flush_draft(self) -> None:
        """Save the pending draft now (on lock, close, or when the timer fires)."""
        from journal.core.journal import recall as recalls

        self.autosave.stop()
        draft, self._pending_draft = self._pending_draft, None
        if draft is None or not self.shell.unlocked:
            return
        snapshot = recalls.RecallDraft.from_payload(draft.to_payload())
        self.shell.submit(lambda vault: recalls.save_draft(vault, snapshot), lambda _r: None)

    def _on_finished(self, draft: recalls.RecallDraft) -> None:
        from journal.core.journal import recall as recalls

        self.autosave.stop()
        self._pending_draft = None
        snapshot = recalls.RecallDraft.from_payload(draft.to_payload())

        next_day = self._phase is Phase.NEXT_DAY
        prepared = draft.session_id if self.preparing and self._phase is Phase.BEFORE else None
        self.preparing = False

        def done(_entry: Entry) -> None:
            self.recall.clear()
            if prepared is not None:  # on to the day's checklist
                self.shell.status("Your intention is kept with the session.", 8000)
                self.intention_written.emit(prepared)
                return
            self.shell.status("Saved. Well done.", 8000)
            self.shell.go_home()
            if next_day:
                self.reflected_next_day.emit()

        self.shell.submit(lambda vault: recalls.finish(vault, snapshot), done)

    def _on_paused(self, draft: recalls.RecallDraft) -> None:
        self._pending_draft = draft
        self.flush_draft()
        self.recall.clear()
        if dialogs.confirm(
            self.shell.widget,
            "Saved for later",
            "Your answers are saved. You can continue from the home screen "
            "whenever you like.\n\nLock the journal now?",
            yes="Lock now",
            no="Not now",
        ):
            self.shell.lock(return_home=True)
        else:
            self.shell.go_home()
