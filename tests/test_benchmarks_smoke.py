"""The benchmark runner works end to end: one JSON figure per stdout line, and no record content in it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
KEYS = {"name", "value", "unit", "baseline", "ratio", "target", "params"}
HANGUL_OR_HAN = re.compile("[\uac00-\ud7a3\u4e00-\u9fff]")


def run_benchmarks(*args: str) -> tuple[list[dict[str, object]], str]:
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--quick", *args], capture_output=True, text=True, timeout=300, check=True
    )
    figures = [json.loads(line) for line in done.stdout.splitlines()]
    # Record content (names, testimony text) must never reach the output; progress stays on stderr.
    assert not HANGUL_OR_HAN.search(done.stdout)
    assert "fictional" not in done.stdout.lower()
    return figures, done.stderr


def test_unlock_benchmark_prints_one_json_figure_per_line() -> None:
    figures, progress = run_benchmarks("--only", "unlock")
    assert [figure["name"] for figure in figures] == ["unlock_minus_kdf"]
    figure = figures[0]
    assert set(figure) >= KEYS
    assert figure["unit"] == "ms" and figure["target"] == "<= 150 ms" and isinstance(figure["ok"], bool)
    assert "[bench]" in progress


def test_attachments_benchmark_reports_throughput_against_sha256_and_memory_at_two_sizes() -> None:
    figures, _ = run_benchmarks("--only", "attachments")
    by_name = {figure["name"]: figure for figure in figures}
    for name in ("attachment_intake_throughput", "attachment_export_throughput"):
        assert by_name[name]["unit"] == "MB/s" and by_name[name]["baseline"]
    assert by_name["attachment_intake_throughput"]["target"] == ">= 0.3"
    assert ("attachment_intake_vs_age_cli" in by_name) == bool(shutil.which("age"))
    for name in ("attachment_intake_peak_rss_mb", "attachment_export_peak_rss_mb"):
        params = by_name[name]["params"]
        assert isinstance(params, dict) and params["file_mib"] > params["baseline_file_mib"]
        assert by_name[name]["target"] == "<= 150 MB"


@pytest.mark.slow
def test_quick_run_reports_every_figure_with_a_same_run_baseline() -> None:
    figures, _ = run_benchmarks()
    by_name = {figure["name"]: figure for figure in figures}
    assert set(by_name) == {
        "unlock_minus_kdf",
        "record_write_throughput",
        "search_corpus_load_rate",
        "search_latency_p50",
        "search_latency_p95",
        "search_latency_every_record",
        "record_write_throughput_large_vault",
        "record_add_person_large_vault",
        "ui_first_paint_after_unlock_ms",
        "ui_scroll_worst_stall_ms",
        "ui_scroll_stall_p99_ms",
        "attachment_intake_throughput",
        "attachment_export_throughput",
        "attachment_intake_peak_rss_mb",
        "attachment_export_peak_rss_mb",
        "exchange_export_throughput",
        "exchange_import_throughput",
        "exchange_export_peak_rss_mb",
        "exchange_import_peak_rss_mb",
        "exchange_bundle_size_mb",
        "exchange_export_seconds",
        "exchange_import_seconds",
        "report_signed_pdf_seconds",
    } | ({"attachment_intake_vs_age_cli"} if shutil.which("age") else set())
    for figure in figures:
        assert set(figure) >= KEYS
        if figure["baseline"] is not None:
            assert figure["ratio"] == pytest.approx(figure["value"] / figure["baseline"], rel=1e-2, abs=1e-3)
