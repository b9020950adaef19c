"""Team exchange: bundle export and import throughput against SHA-256 alone; peak memory of each.

A sender vault holds 10,000 fictional testimonies with their interviewees, filed under a few cases, and 250
evidence files of 2 MiB of pseudo-random bytes attached to some of the testimonies (about 500 MiB; 200 stories
and 4 files with ``--quick``). It is filled with ``RecordService.write_batch`` and ``AttachmentService.attach``
before anything is timed. A receiver vault knows the sender's card (verified) and the sender knows the
receiver's; each round imports into a fresh copy of that receiver vault, so every import does the full work.

Export is ``BundleExporter.plan`` (everything, ``ScopeRequest()``) then ``write`` to a new file; import is
``BundleImporter.import_bundle`` of that file. Each runs in a child process of its own that unlocks the vault and
then times the operation alone, so the same run gives its peak resident memory (``VmHWM``) and the phases (from
the progress callbacks: export plan / records members / evidence files; import pass 1, which reads, hashes and
stages every member, and pass 2, which reads the records again, merges them and commits).

Throughput is the bytes of the members the manifest names (records chunks and evidence files, in plaintext)
per second. The baseline is ``hashlib.sha256`` over exactly those bytes, read from a file in the page cache in
1 MiB blocks, in the same run, alternating with the operations; the target is a ratio of at least 0.25. The
memory baseline is the same child's peak before the operation started (interpreter, modules, unlocked vault).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.corpus import CorpusGenerator
from benchmarks.figures import Context, Figure, Target, log, median
from benchmarks.vaults import create_encrypted_vault, open_encrypted_session
from safecase.domain.ids import RecordId
from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.bundle_file import READ_BLOCK, BundleStream
from safecase.services.exchange.contacts import ContactService
from safecase.services.records import PendingWrite, RecordService
from safecase.services.session import VaultSession

NAME = "exchange"
THROUGHPUT_TARGET = Target(">=", 0.25, on="ratio")
MEMORY_TARGET = Target("<=", 200, "MB")
MiB = 2**20
STORIES_PER_BATCH = 500  # = 1,000 records per transaction while the sender vault is filled
ROOT = Path(__file__).resolve().parent.parent

# One timed operation in a fresh interpreter. argv: "export"|"import", vault, bundle path, recipient contact id
# (export only). Prints one JSON line of numbers: peak memory before and after, phase times, counts.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from benchmarks.vaults import open_encrypted_session

def peak_kib():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage // 1024 if sys.platform == "darwin" else usage

action, vault, bundle = sys.argv[1:4]
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter
from safecase.services.exchange.importer import BundleImporter
from safecase.services.exchange.scope import ScopeRequest
session = open_encrypted_session(Path(vault))
out = {"before_kib": peak_kib()}
marks = {}
if action == "export":
    recipient = ContactService(session).resolve(sys.argv[4])
    exporter = BundleExporter(session, AttachmentService(session))
    started = time.perf_counter()
    plan = exporter.plan([recipient], ScopeRequest())
    planned = time.perf_counter()
    evidence = plan.total_attachment_bytes

    def progress(done, total):
        marks["total"] = total
        if "records" not in marks and done >= total - evidence:
            marks["records"] = time.perf_counter()

    receipt = exporter.write(plan, Path(bundle), progress=progress)
    ended = time.perf_counter()
    records_done = marks.get("records", planned)
    out.update(
        seconds=ended - started, plan_s=planned - started, records_s=records_done - planned,
        evidence_s=ended - records_done, member_bytes=marks["total"], bundle_bytes=receipt.size,
        counts=receipt.counts,
    )
else:
    importer = BundleImporter(session)
    from safecase.services.exchange.bundle_file import BundleStream
    with BundleStream(Path(bundle), session.identity.age_identity) as stream:
        declared = stream.head().manifest.declared_bytes  # pass 1 reads every member, pass 2 the records again
    started = time.perf_counter()

    def progress(done, total):
        marks.setdefault("first", time.perf_counter())
        if "pass1" not in marks and done >= declared:
            marks["pass1"] = time.perf_counter()

    result = importer.import_bundle(Path(bundle), progress=progress)
    ended = time.perf_counter()
    out.update(
        seconds=ended - started, pass1_s=marks["pass1"] - started, pass2_s=ended - marks["pass1"],
        new_records=result.new_records, new_versions=result.new_versions,
        attachments_added=result.attachments_added, conflicts=len(result.conflicts), replay=result.replay,
    )
out["peak_kib"] = peak_kib()
session.close()
print(json.dumps(out))
"""


@dataclass(frozen=True)
class Sizes:
    stories: int
    cases: int
    files: int
    file_bytes: int
    rounds: int


@dataclass(frozen=True)
class Vaults:
    sender: Path
    receiver: Path  # the template each import round copies
    receiver_contact_id: str  # the receiver, as a contact of the sender


def run_child(action: str, vault: Path, bundle: Path, contact_id: str = "") -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    args = [sys.executable, "-c", CHILD, action, str(vault), str(bundle)] + ([contact_id] if contact_id else [])
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=3600)
    if done.returncode != 0:
        # The child's traceback names files and exceptions, never record content (the benchmark prints none).
        raise RuntimeError(f"{NAME}: {action} child failed:\n{done.stderr[-4000:]}")
    found: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return found


def sha256_seconds(path: Path) -> float:
    started = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb", buffering=0) as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
    digest.hexdigest()
    return time.perf_counter() - started


def build_vaults(ctx: Context, folder: Path, sizes: Sizes) -> Vaults:
    sender, receiver = folder / "sender", folder / "receiver"
    create_encrypted_vault(sender)
    create_encrypted_vault(receiver)
    with open_encrypted_session(sender) as sent, open_encrypted_session(receiver) as received:
        contact = _know(ContactService(sent), ContactService(received).own_card())
        _know(ContactService(received), ContactService(sent).own_card())
        started = time.perf_counter()
        testimonies = _fill_records(sent, ctx.seed, sizes)
        log(f"{NAME}: {sizes.stories * 2 + sizes.cases} records written in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        _fill_evidence(sent, folder, testimonies, sizes, ctx.seed)
        total = sizes.files * sizes.file_bytes // MiB
        log(f"{NAME}: {sizes.files} evidence files ({total} MiB) taken in in {time.perf_counter() - started:.1f} s")
    return Vaults(sender, receiver, contact)


def _know(contacts: ContactService, card: bytes) -> str:
    added = contacts.add_card(card).contact
    contacts.verify(added.id, fingerprint=added.fingerprint)
    return added.id


def _fill_records(session: VaultSession, seed: int, sizes: Sizes) -> list[RecordId]:
    records = RecordService(session)
    cases = [records.prepare_new(Kind.CASE, {"title": f"Benchmark case {n + 1}"}) for n in range(sizes.cases)]
    records.write_batch(cases)
    case_ids = [write.record_id for write in cases]
    generator = CorpusGenerator(seed)
    testimonies: list[RecordId] = []
    for start in range(0, sizes.stories, STORIES_PER_BATCH):
        writes: list[PendingWrite] = []
        for number, story in enumerate(generator.stories(min(STORIES_PER_BATCH, sizes.stories - start)), start):
            filed = [case_ids[number % len(case_ids)]]
            writes.append(records.prepare_new(Kind.PERSON, {**story.person, "case_ids": filed}, story.person_id))
            body = {**story.testimony, "case_ids": filed}
            writes.append(records.prepare_new(Kind.TESTIMONY, body, story.testimony_id))
            testimonies.append(story.testimony_id)
        records.write_batch(writes)
    return testimonies


def _fill_evidence(session: VaultSession, folder: Path, testimonies: list[RecordId], sizes: Sizes, seed: int) -> None:
    """``sizes.files`` files of pseudo-random bytes (incompressible, like camera footage), spread over testimonies."""
    attachments = AttachmentService(session)
    rng = random.Random(seed + 7)
    source = folder / "evidence.bin"
    step = max(1, len(testimonies) // sizes.files)
    for number in range(sizes.files):
        source.write_bytes(rng.randbytes(sizes.file_bytes))
        attachments.attach(testimonies[(number * step) % len(testimonies)], source)
    source.unlink()


def extract_members(receiver: Path, bundle: Path, out: Path) -> int:
    """Write the plaintext of every member the manifest names to ``out`` (the baseline's input); its byte count."""
    written = 0
    with open_encrypted_session(receiver) as session, BundleStream(bundle, session.identity.age_identity) as stream:
        head = stream.head()
        with out.open("wb") as handle:
            for _expected, member in stream.members(head.manifest):
                while block := member.read(READ_BLOCK):
                    handle.write(block)
                    written += len(block)
        stream.finish()
    return written


def run(ctx: Context) -> Iterator[Figure]:
    sizes = Sizes(
        stories=ctx.scale(200, 10_000),
        cases=ctx.scale(3, 8),
        files=ctx.scale(4, 250),
        file_bytes=2 * MiB,
        rounds=ctx.scale(2, 3),
    )
    folder = ctx.scratch("exchange")
    vaults = build_vaults(ctx, folder, sizes)
    plaintext = folder / "members.bin"
    times: dict[str, list[float]] = {"sha256": [], "export": [], "import": []}
    exports: list[dict[str, Any]] = []
    imports: list[dict[str, Any]] = []
    member_bytes = 0
    for number in range(sizes.rounds):
        baseline_first = number % 2 == 1  # round 0 needs a bundle before the baseline has its input
        if baseline_first:
            times["sha256"].append(sha256_seconds(plaintext))
        bundle = folder / f"round-{number}.safecase-bundle"
        exports.append(run_child("export", vaults.sender, bundle, vaults.receiver_contact_id))
        times["export"].append(exports[-1]["seconds"])
        if number == 0:
            member_bytes = extract_members(vaults.receiver, bundle, plaintext)
            if member_bytes != exports[0]["member_bytes"]:
                raise RuntimeError(f"{NAME}: the bundle holds {member_bytes} member bytes, its manifest names more")
            sha256_seconds(plaintext)  # warm-up: from here on the baseline reads from the page cache
        receiver = folder / f"receiver-{number}"
        shutil.copytree(vaults.receiver, receiver)
        imports.append(run_child("import", receiver, bundle))
        times["import"].append(imports[-1]["seconds"])
        shutil.rmtree(receiver)
        bundle.unlink()
        if not baseline_first:
            times["sha256"].append(sha256_seconds(plaintext))
        speeds = ", ".join(f"{side} {member_bytes / 1e6 / values[-1]:.0f} MB/s" for side, values in times.items())
        log(f"{NAME}: round {number + 1}/{sizes.rounds}: {speeds}")
    plaintext.unlink()
    yield from _figures(sizes, member_bytes, times, exports, imports)


def _figures(
    sizes: Sizes,
    member_bytes: int,
    times: dict[str, list[float]],
    exports: list[dict[str, Any]],
    imports: list[dict[str, Any]],
) -> Iterator[Figure]:
    rate = {side: member_bytes / 1e6 / median(values) for side, values in times.items()}
    first_import = imports[0]
    counts = exports[0]["counts"]
    params: dict[str, Any] = {
        "stories": sizes.stories,
        "records": counts["records"],
        "versions": counts["versions"],
        "evidence_files": counts["attachments"],
        "evidence_mib": round(counts["attachment_bytes"] / MiB, 1),
        "member_mb": round(member_bytes / 1e6, 1),
        "rounds": sizes.rounds,
        "sha256_s": round(median(times["sha256"]), 3),
    }
    if (first_import["new_records"], first_import["attachments_added"]) != (counts["records"], counts["attachments"]):
        raise RuntimeError(f"{NAME}: the import did not bring every record and evidence file of the bundle")
    export_phases = {f"{key}_s": round(median([e[f"{key}_s"] for e in exports]), 3) for key in ("plan", "records")}
    export_phases["evidence_s"] = round(median([e["evidence_s"] for e in exports]), 3)
    import_phases = {f"{key}_s": round(median([i[f"{key}_s"] for i in imports]), 3) for key in ("pass1", "pass2")}
    yield Figure(
        "exchange_export_throughput",
        rate["export"],
        "MB/s",
        rate["sha256"],
        THROUGHPUT_TARGET,
        {**params, **export_phases, "measured": "BundleExporter.plan + write (fsync included)"},
    )
    yield Figure(
        "exchange_import_throughput",
        rate["import"],
        "MB/s",
        rate["sha256"],
        THROUGHPUT_TARGET,
        {**params, **import_phases, "measured": "BundleImporter.import_bundle into a fresh receiver vault"},
    )
    for action, runs in (("export", exports), ("import", imports)):
        peak = max(r["peak_kib"] for r in runs) * 1024 / 1e6
        before = median([r["before_kib"] for r in runs]) * 1024 / 1e6
        log(f"{NAME}: {action} peak memory {peak:.0f} MB ({before:.0f} MB before the operation)")
        yield Figure(
            f"exchange_{action}_peak_rss_mb",
            peak,
            "MB",
            before,
            MEMORY_TARGET,
            {
                "stories": sizes.stories,
                "evidence_mib": params["evidence_mib"],
                "rounds": sizes.rounds,
                "measured": "VmHWM of a child process (interpreter, unlocked vault and the operation), worst round",
                "baseline": "the same child's VmHWM before the operation",
            },
        )
    bundle_mb = median([e["bundle_bytes"] for e in exports]) / 1e6
    yield Figure(
        "exchange_bundle_size_mb",
        bundle_mb,
        "MB",
        member_bytes / 1e6,
        None,
        {"baseline": "plaintext bytes of the members the manifest names"},
    )
    for action in ("export", "import"):
        yield Figure(
            f"exchange_{action}_seconds",
            median(times[action]),
            "s",
            median(times["sha256"]),
            None,
            {"baseline": "sha256 over the same member bytes", "rounds": sizes.rounds},
        )
