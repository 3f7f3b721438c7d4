"""Sharing with the therapist: the one export operation behind both
`afterglow export` and "Prepare for therapy".

Outside `journal.core` because the printable PDF is laid out with QtGui
(`journal.pdf`); everything else it calls is core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journal.core.errors import InvalidInput
from journal.core.fsutil import atomic_write_bytes
from journal.core.sharing import bundle, report, share
from journal.core.sharing.sharecode import new_share_code
from journal.core.vault.repositories.keys import recipient_label
from journal.core.vault.vault import Vault


@dataclass(frozen=True)
class ExportResult:
    share_code: str | None
    pdf_password: str | None
    counts: dict[str, int]


def export_for_therapy(
    vault: Vault,
    selection: share.Selection,
    *,
    bundle_path: Path | None = None,
    share_code: bool = False,
    recipient: str | None = None,
    pdf_in_bundle: bool = False,
    protected_pdf_path: Path | None = None,
    recipient_name: str = "",
) -> ExportResult:
    """Collect the selection (private items never go), then write an encrypted
    bundle to ``bundle_path`` — to a new share code or to ``recipient`` — and/or
    an AES-256 password-protected PDF to ``protected_pdf_path``. Records the
    export time (the next default period starts there). The bundle carries
    the journal's pseudonymous patient id for its recipient: the key, or for
    a share code ``recipient_name`` (whom the patient says it is for).

    Raises `InvalidInput` when there is nothing to share; nothing is written.
    """
    from journal.pdf import new_pdf_password, protect, report_pdf

    now = datetime.now().astimezone()
    content = share.collect(vault, selection, now=now)
    if not (content.entries or content.sessions or content.checkins):
        raise InvalidInput(
            "There is nothing to share in that period or selection; nothing was written."
        )
    content.patient_id = vault.keys.pseudonym(recipient_label(key=recipient, name=recipient_name))
    needs_pdf = protected_pdf_path is not None or (bundle_path is not None and pdf_in_bundle)
    pdf = report_pdf(report.report_html(content, printed=True)) if needs_pdf else None
    code = new_share_code() if share_code else None
    if bundle_path is not None:
        data = bundle.write_bundle(
            content,
            # In the archive each image is a file beside the report, not a copy inside it.
            report_html=report.report_html(content, images_as_files=True),
            share_code=code,
            recipients=[recipient] if recipient else [],
            extra_files={"report.pdf": pdf} if pdf is not None and pdf_in_bundle else None,
        )
        atomic_write_bytes(bundle_path, data, output=True)
    password = None
    if protected_pdf_path is not None:
        assert pdf is not None
        password = new_pdf_password()
        atomic_write_bytes(protected_pdf_path, protect(pdf, password), output=True)
    share.record_export(vault, now)
    return ExportResult(share_code=code, pdf_password=password, counts=content.counts())


def export_clinical_record(vault: Vault, patient_id: int, note_ids: set[int], path: Path) -> str:
    """*Export for the clinical record*: the patient's summary across every
    bundle kept and the chosen appointment notes (no others), as an AES-256
    password-protected PDF at ``path``. Returns the new password."""
    from journal.core.workspace.record import record_html
    from journal.core.workspace.view import patient_view
    from journal.pdf import new_pdf_password, protect, report_pdf

    view = patient_view(vault, patient_id)
    notes = [n for n in view.notes if n.id in note_ids]
    pdf = report_pdf(record_html(view, notes), title="Clinical record")
    password = new_pdf_password()
    atomic_write_bytes(path, protect(pdf, password), output=True)
    return password
