"""The export operation behind "Prepare for therapy", run on the vault thread."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from journal.core import bundle, report, share
from journal.core.errors import InvalidInput
from journal.core.fsutil import atomic_write_bytes
from journal.core.sharecode import new_share_code
from journal.core.vault import Vault
from journal.ui.pages.prepare import SendChoice


def export_for_therapy(
    vault: Vault, selection: share.Selection, choice: SendChoice, path: Path
) -> tuple[str, str, str]:
    """Write the bundle (or the protected PDF) to ``path``; returns
    (method, the secret to show — share code or PDF password —, therapist name)."""
    from journal.pdf import new_pdf_password, protect, report_pdf

    now = datetime.now().astimezone()
    content = share.collect(vault, selection, now=now)
    if not (content.entries or content.sessions or content.checkins):
        raise InvalidInput("Nothing is selected, so nothing was saved.")
    html = report.report_html(content)
    pdf = report_pdf(html) if choice.include_pdf or choice.method == "pdf" else None
    therapist, secret = "", ""
    if choice.method == "pdf":
        assert pdf is not None
        secret = new_pdf_password()
        atomic_write_bytes(path, protect(pdf, secret))
    else:
        recipients: list[str] = []
        if choice.method == "key":
            contact = choice.contact or vault.keys.add_contact(choice.new_key_name, choice.new_key)
            recipients, therapist = [contact.recipient], contact.name
        else:
            secret = new_share_code()
        data = bundle.write_bundle(
            content,
            report_html=html,
            share_code=secret or None,
            recipients=recipients,
            extra_files={"report.pdf": pdf} if pdf is not None else None,
        )
        atomic_write_bytes(path, data)
    share.record_export(vault, now)
    return choice.method, secret, therapist
