"""Sharing with the therapist: exporting 20 sessions (to a key and to a share
code) and opening that bundle, in this process; and in `--large`, a bundle of
~500 MB made by `afterglow export` and opened by the core reader, each in a
child whose time and peak memory are reported."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.children import CLI_WITH_PEAK, VMHWM, run_measured
from benchmarks.data import BUNDLE_SESSIONS, PASSPHRASE
from benchmarks.figures import Figure, median
from journal.core.vault import vault as vaults


def _export_ms(vault: vaults.Vault, session_ids: set[int], **where: Any) -> tuple[float, int]:
    from journal.core.sharing import share
    from journal.export import export_for_therapy

    selection = share.offer(vault, session_ids=session_ids)
    start = time.perf_counter()
    export_for_therapy(vault, selection, **where)
    return (time.perf_counter() - start) * 1000, len(selection.attachment_ids)


def export_and_open(
    path: Path, scratch: Path, repeat: int, *, label: str = "", share_code: bool = True
) -> list[Figure]:
    """Export the first 20 sessions ``repeat`` times to a therapist's key (and
    to a share code, unless not ``share_code``), and open the keyed bundle."""
    import pyrage

    from journal.core.sharing import bundle

    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    results: dict[str, list[float]] = {"key": [], "code": [], "open": []}
    by_key, by_code = scratch / "export-key.agb", scratch / "export-code.agb"
    attachments = 0
    with vaults.unlock(path, PASSPHRASE) as vault:
        chosen = {s.id for s in vault.sessions.all(newest_first=False)[:20] if s.id}
        for _ in range(repeat):
            ms, attachments = _export_ms(vault, chosen, bundle_path=by_key, recipient=recipient)
            results["key"].append(ms)
            if share_code:
                results["code"].append(
                    _export_ms(vault, chosen, bundle_path=by_code, share_code=True)[0]
                )
            data = by_key.read_bytes()
            start = time.perf_counter()
            bundle.read_bundle(data, identities=[str(identity)])
            results["open"].append((time.perf_counter() - start) * 1000)
    megabytes = by_key.stat().st_size / 1_000_000
    suffix = f" · {label}" if label else ""
    figures = [
        Figure(
            f"export 20 sessions with attachments (therapist's key){suffix}",
            "ms",
            results["key"],
            "< 3000 ms",
            median(results["key"]) < 3000,
            note=f"{attachments} attachments, bundle {megabytes:.0f} MB",
        )
    ]
    if share_code:
        figures.append(
            Figure(
                f"export 20 sessions with attachments (share code){suffix}",
                "ms",
                results["code"],
                note="scrypt, tuned by age to about a second, is most of the difference",
            )
        )
    figures.append(
        Figure(f"open that bundle (decrypt, verify, read){suffix}", "ms", results["open"])
    )
    return figures


# The therapist's side: the core reader, as `afterglow open` and the reader
# window use it, with the identity on standard input.
_OPEN = (
    """
import sys
from pathlib import Path
from journal.core.sharing import bundle
"""
    + VMHWM
    + """
opened = bundle.read_bundle(bundle.load(Path(sys.argv[1])), identities=[sys.stdin.read().strip()])
print(len(opened.content.entries), len(opened.content.attachments))
report_peak()
"""
)


def big_bundle(path: Path, scratch: Path) -> list[Figure]:
    """`afterglow export` of `BUNDLE_SESSIONS` (~500 MB of attachments) to a
    therapist's key, then opening that bundle: time and peak memory of each."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    out = scratch / "big.agb"
    sessions = f"{BUNDLE_SESSIONS.start}..{BUNDLE_SESSIONS.stop - 1}"
    export = run_measured(
        [
            sys.executable,
            "-c",
            CLI_WITH_PEAK,
            "--vault",
            str(path),
            "export",
            "--out",
            str(out),
            "--sessions",
            sessions,
            "--to",
            str(identity.to_public()),
            "--force",
        ],
        stdin=PASSPHRASE + "\n",
    )
    if export.status != 0:
        raise RuntimeError(f"afterglow export failed: {export.stderr.strip()[-500:]}")
    megabytes = out.stat().st_size / 1_000_000
    opened = run_measured([sys.executable, "-c", _OPEN, str(out)], stdin=str(identity))
    if opened.status != 0:
        raise RuntimeError(f"opening the bundle failed: {opened.stderr.strip()[-500:]}")
    entries, attachments = opened.stdout.split()
    what = f"{megabytes:.0f} MB: sessions {sessions}, {entries} entries, {attachments} attachments"
    out.unlink()
    return [
        *_time_and_peak("`afterglow export` of a bundle of ~500 MB", export, what),
        *_time_and_peak("open the bundle of ~500 MB (the core reader)", opened, what),
    ]


def _time_and_peak(name: str, finished: Any, note: str) -> list[Figure]:
    """A child's wall time (s) and its peak memory (MB), as two figures."""
    return [
        Figure(f"{name}, time", "s", [finished.ms / 1000], note=note),
        Figure(f"{name}, peak memory", "MB", [finished.peak_mb]),
    ]
