"""Keeping a bundle in a therapist's workspace.

The bundle is read by the reader's hostile-input path first (`bundle`:
size caps, the age header, the ZIP allowlist, every checksum and record);
only then is its decrypted archive stored, inside the encrypted vault, under
the patient its pseudonymous id names (or the one the therapist chose, for
an older bundle without an id). Nothing decrypted is written anywhere else.
Every refusal is a sentence and leaves the workspace as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journal.core.errors import BundleInvalid, InvalidInput
from journal.core.sharing import bundle
from journal.core.sharing.bundle import OpenedBundle
from journal.core.text import day
from journal.core.vault import vault as vaults
from journal.core.vault.repositories.workspace import Patient
from journal.core.vault.vault import Vault

NOT_A_WORKSPACE = (
    "This journal is not a therapist's workspace, so it cannot keep bundles. "
    "Create a workspace (“I am a therapist receiving journals”) to keep them."
)


NO_PATIENT_ID = (
    "This bundle was made by an older Afterglow and does not say whose journal it is. "
    "Unlock your workspace in Afterglow and open the bundle there (File → Open bundle…) "
    "to choose the patient; nothing was kept."
)


@dataclass(frozen=True)
class Kept:
    patient: Patient
    new_patient: bool
    already: bool  # the same bundle was kept before: nothing changed

    @property
    def sentence(self) -> str:
        """What the app says once keeping is done."""
        if self.already:
            return "This bundle was kept already; nothing changed."
        new = " You can rename them on the patients page." if self.new_patient else ""
        return f"Kept in your workspace under {self.patient.name}.{new}"


def require_workspace(vault: Vault) -> None:
    if not vault.is_workspace:
        raise InvalidInput(NOT_A_WORKSPACE)


def keep_unlocking(path: Path, passphrase: str, opened: OpenedBundle) -> Kept:
    """Keep a verified bundle in the workspace at ``path``, unlocking it for
    this alone (the reader on its own, with no window holding the workspace
    open). A bundle without a patient id is refused: whose it is is chosen
    in the app, among the patients."""
    with vaults.unlock(path, passphrase) as vault:
        require_workspace(vault)
        if not opened.content.patient_id:
            raise InvalidInput(NO_PATIENT_ID)
        return keep(vault, opened)


def open_file(vault: Vault, data: bytes, *, share_code: str | None = None) -> OpenedBundle:
    """Decrypt and verify a bundle with the workspace's keys (or a share code)."""
    require_workspace(vault)
    return bundle.read_bundle(data, share_code=share_code, identities=vault.keys.identity_secrets())


def _fingerprints(opened: OpenedBundle) -> Iterable[tuple[str, int, datetime | None]]:
    """What never changes in a record once written: its id with the time it
    was written (entries) or taken (check-ins). Bundles of one journal agree on them."""
    content = opened.content
    for entry in content.entries:
        if entry.id is not None:
            yield "entry", entry.id, entry.created_at
    for checkin in content.checkins:
        if checkin.id is not None:
            yield "checkin", checkin.id, checkin.taken_at


def keep(
    vault: Vault,
    opened: OpenedBundle,
    *,
    patient_id: int | None = None,
    new_name: str | None = None,
) -> Kept:
    """Keep a verified bundle. Its pseudonymous id finds its patient (a new one,
    “Patient N” or ``new_name``, the first time). An older bundle without an id
    goes to ``patient_id`` when given (grouped by hand), else to a new patient.

    Refused with a sentence, nothing changed: a bundle whose id names another
    patient than the one chosen, whose records contradict that patient's
    bundles (the id collides), or that was made before the newest one kept."""
    require_workspace(vault)
    work = vault.workspace
    content = opened.content
    same = work.bundle_with_digest(opened.digest)
    if same is not None:
        return Kept(work.patient(same.patient_id), new_patient=False, already=True)
    pseudonym = content.patient_id or None
    patient = work.by_pseudonym(pseudonym) if pseudonym else None
    if patient_id is not None:
        chosen = work.patient(patient_id)
        if pseudonym and patient is not None and patient.id != chosen.id:
            raise BundleInvalid(
                f"This bundle is from the journal of {patient.name}, not {chosen.name}; "
                "it was not kept. Keep it without choosing, and it joins the right patient."
            )
        if pseudonym and chosen.pseudonym and chosen.pseudonym != pseudonym:
            raise BundleInvalid(
                f"This bundle comes from another journal than {chosen.name}'s; it was not "
                "kept. Keep it as a new patient instead."
            )
        patient = chosen
    if patient is not None:
        _check_belongs(vault, patient, opened)
    with vault.db.transaction():
        new = patient is None
        if patient is None:
            name = new_name if new_name else work.free_name()
            number = work.add_patient(name, pseudonym)
        else:
            number = patient.id
            if pseudonym and patient.pseudonym is None:
                work.set_pseudonym(number, pseudonym)
        work.add_bundle(number, opened.digest, content.created_at, opened.archive)
    return Kept(work.patient(number), new_patient=new, already=False)


def _check_belongs(vault: Vault, patient: Patient, opened: OpenedBundle) -> None:
    kept = vault.workspace.bundles(patient.id)
    if kept and opened.content.created_at < kept[-1].made_at:
        raise BundleInvalid(
            f"This bundle was made on {day(opened.content.created_at)}, before the newest one "
            f"you kept from {patient.name} ({day(kept[-1].made_at)}); it was not kept, so "
            "nothing older replaces what you have."
        )
    known: dict[tuple[str, int], datetime | None] = {}
    for item in kept:
        earlier = bundle.read_archive(vault.workspace.archive(item.id))
        known.update({(kind, i): when for kind, i, when in _fingerprints(earlier)})
    for kind, i, when in _fingerprints(opened):
        if (kind, i) in known and known[(kind, i)] != when:
            raise BundleInvalid(
                f"This bundle claims to be from {patient.name}'s journal, but its records do "
                "not match theirs; it was not kept. Ask the patient to export it again."
            )
