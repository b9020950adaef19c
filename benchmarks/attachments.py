"""Evidence files: intake and export throughput, against SHA-256 alone and the standard ``age`` tool; peak memory.

Intake is ``AttachmentService.attach`` of one file (1 GiB; 8 MiB with ``--quick``): read once, hashed, encrypted
to the vault identity into ``blobs/``, fsynced, recorded. Its baseline is ``hashlib.sha256`` over the same file in
1 MiB reads, the least any intake must do; the target is a ratio of at least 0.3. Export is
``AttachmentService.export`` of that attachment to a new file (decrypted, re-hashed against the record, fsynced),
against the same baseline. The age figure times ``age -r RECIPIENT -o OUT FILE`` (the standard Go tool, no fsync)
encrypting the same file to the same recipient; SafeCase should be faster, fsync and hash included. Rounds
alternate the sides and every figure is a median. The source is generated once and stays in the page cache, so
all sides read from memory.

Peak resident memory is measured in a child process per operation (``VmHWM`` from ``/proc/self/status``, else
``ru_maxrss``), at two file sizes: the figure is the peak at the larger size, the baseline the peak at the smaller
one, so a ratio near 1 shows memory does not grow with the file.
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

from benchmarks.figures import Context, Figure, Target, alternating, log, median
from benchmarks.vaults import PASSPHRASE, create_encrypted_vault, open_encrypted_session
from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.records import RecordService

NAME = "attachments"
THROUGHPUT_TARGET = Target(">=", 0.3, on="ratio")  # intake and export, against sha256 alone
AGE_TARGET = Target(">=", 1.0, on="ratio")
MEMORY_TARGET = Target("<=", 150, "MB")
MiB = 2**20
READ_BYTES = MiB
ROOT = Path(__file__).resolve().parent.parent

# The child that measures one operation's peak memory. argv: vault, "intake"|"export", record or attachment id,
# source or destination path; the passphrase on stdin. Prints {"id", "before_kib", "peak_kib"} as JSON.
MEMORY_CHILD = """
import json, resource, sys
from pathlib import Path
from benchmarks.vaults import open_encrypted_session
from safecase.services.attachments import AttachmentService

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

vault, action, target, path = sys.argv[1:5]
session = open_encrypted_session(Path(vault))
service = AttachmentService(session)
before = peak_kib()
if action == "intake":
    result_id = service.attach(target, Path(path)).id
else:
    service.export(target, Path(path))
    result_id = target
session.close()
print(json.dumps({"id": result_id, "before_kib": before, "peak_kib": peak_kib()}))
"""


@dataclass(frozen=True)
class Memory:
    attachment_id: str
    before_mb: float
    peak_mb: float


def write_source(path: Path, size: int, seed: int) -> None:
    """``size`` pseudo-random bytes (incompressible, like camera footage), flushed to the page cache."""
    rng = random.Random(seed)
    with path.open("wb") as handle:
        left = size
        while left:
            block = rng.randbytes(min(left, 16 * MiB))
            handle.write(block)
            left -= len(block)


def sha256_seconds(path: Path) -> float:
    started = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb", buffering=0) as handle:
        while block := handle.read(READ_BYTES):
            digest.update(block)
    digest.hexdigest()
    return time.perf_counter() - started


def age_seconds(age: str, recipient: str, source: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([age, "-r", recipient, "-o", str(out), str(source)], check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    out.unlink()
    return elapsed


def measure_memory(vault: Path, action: str, target: str, path: Path) -> Memory:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(vault), action, target, str(path)],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=1800,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    return Memory(found["id"], found["before_kib"] * 1024 / 1e6, found["peak_kib"] * 1024 / 1e6)


def run(ctx: Context) -> Iterator[Figure]:
    size = ctx.scale(8 * MiB, 1024 * MiB)
    rounds = ctx.scale(3, 3)
    folder = ctx.scratch("attachments")
    source = folder / "footage.bin"
    started = time.perf_counter()
    write_source(source, size, ctx.seed)
    log(f"{NAME}: {size // MiB} MiB source written in {time.perf_counter() - started:.1f} s")
    vault = folder / "vault"
    create_encrypted_vault(vault)
    age = shutil.which("age")
    times: dict[str, list[float]] = {"sha256": [], "intake": [], "export": [], "age": []}
    with open_encrypted_session(vault) as session:
        case_id = RecordService(session).add(Kind.CASE, {"title": "Benchmark case"}).id
        service = AttachmentService(session)
        recipient = str(session.identity.age_identity.to_public())
        sha256_seconds(source)  # warm-up: the source is in the page cache from here on
        for number, intake_first in alternating(rounds):
            for side in ("intake", "sha256") if intake_first else ("sha256", "intake"):
                if side == "sha256":
                    times["sha256"].append(sha256_seconds(source))
                    continue
                clock = time.perf_counter()
                attachment_id = service.attach(case_id, source).id
                times["intake"].append(time.perf_counter() - clock)
            out = folder / f"export-{number}.bin"
            clock = time.perf_counter()
            service.export(attachment_id, out)
            times["export"].append(time.perf_counter() - clock)
            out.unlink()
            if age is not None:
                times["age"].append(age_seconds(age, recipient, source, folder / "age-out.age"))
            speeds = ", ".join(f"{side} {size / 1e6 / values[-1]:.0f} MB/s" for side, values in times.items() if values)
            log(f"{NAME}: round {number + 1}/{rounds}: {speeds}")
    rate = {side: size / 1e6 / median(values) for side, values in times.items() if values}
    params = {"file_mib": size // MiB, "rounds": rounds, "read_block_kib": READ_BYTES // 1024}
    yield Figure("attachment_intake_throughput", rate["intake"], "MB/s", rate["sha256"], THROUGHPUT_TARGET, params)
    yield Figure("attachment_export_throughput", rate["export"], "MB/s", rate["sha256"], THROUGHPUT_TARGET, params)
    if age is None:
        log(f"{NAME}: the standard `age` tool is not installed; skipping attachment_intake_vs_age_cli")
    else:
        yield Figure(
            "attachment_intake_vs_age_cli",
            rate["intake"],
            "MB/s",
            rate["age"],
            AGE_TARGET,
            {**params, "baseline": "age -r RECIPIENT -o OUT FILE (no fsync)"},
        )
    yield from _memory_figures(ctx, folder, vault, case_id, source)


def _memory_figures(ctx: Context, folder: Path, vault: Path, case_id: str, large: Path) -> Iterator[Figure]:
    small = folder / "small.bin"
    write_source(small, ctx.scale(2 * MiB, 64 * MiB), ctx.seed + 1)
    sources = {"small": small, "large": large}
    intake = {label: measure_memory(vault, "intake", case_id, path) for label, path in sources.items()}
    export = {}
    for label, taken in intake.items():
        out = folder / f"memory-export-{label}.bin"
        export[label] = measure_memory(vault, "export", taken.attachment_id, out)
        out.unlink()
    sizes = {label: path.stat().st_size // MiB for label, path in sources.items()}
    for action, peaks in (("intake", intake), ("export", export)):
        log(
            f"{NAME}: {action} peak memory {peaks['small'].peak_mb:.0f} MB at {sizes['small']} MiB, "
            f"{peaks['large'].peak_mb:.0f} MB at {sizes['large']} MiB"
        )
        yield Figure(
            f"attachment_{action}_peak_rss_mb",
            peaks["large"].peak_mb,
            "MB",
            peaks["small"].peak_mb,
            MEMORY_TARGET,
            {
                "file_mib": sizes["large"],
                "baseline_file_mib": sizes["small"],
                "rss_before_mb": round(peaks["large"].before_mb, 1),
                "measured": "VmHWM of a child process (interpreter, unlocked vault and the operation)",
            },
        )
