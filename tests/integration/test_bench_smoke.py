"""Every benchmark in bench/ runs end to end in a tiny mode: the scripts work, their JSON has the
documented shape, and nothing failed. Timings are never asserted: the machine may be busy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
# Each starts its own stores and servers: about a minute apiece on a busy machine.
pytestmark = pytest.mark.slow


def run_bench(module: str, out: Path, *args: str, timeout: float = 240) -> dict[str, Any]:
    """Run `python -m bench.<module> --out OUT --no-plot ARGS`; the JSON it wrote."""
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", "--out", str(out), "--no-plot", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"bench.{module} failed:\n{done.stderr[-3000:]}"
    report: dict[str, Any] = json.loads(out.read_text())
    assert report["benchmark"] and report["machine"]["cpus"] and report["command"]
    assert "met" in report["summary"]
    return report


def check_phase(phase: dict[str, Any]) -> None:
    """A load phase: turns done, latency percentiles present, no error."""
    assert phase["errors"] == 0, phase["error_samples"]
    assert phase["turns"] > 0
    assert set(phase["latency"]) >= {"p50_ms", "p95_ms", "p99_ms", "max_ms"}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by `make system-deps`")
def test_bench_http_api_smoke(tmp_path: Path) -> None:
    report = run_bench("http_api", tmp_path / "http.json", "--seconds", "1", "--connections", "4")
    labels = [r["label"] for r in report["runs"]]
    assert labels == ["bare /json", "bare /bytes", "menu", "menu identity", "search"]
    for run in report["runs"]:
        assert run["errors"] == 0 and run["requests"] > 0
    assert report["summary"]["errors"] == 0


def test_bench_chat_smoke(tmp_path: Path) -> None:
    report = run_bench(
        "chat",
        tmp_path / "chat.json",
        *("--sessions", "3", "--seconds", "2", "--open-sessions", "4", "--open-seconds", "2"),
        *("--mean-gap", "0.5"),
    )
    names = [p["name"] for p in report["phases"]]
    assert names == ["ws echo", "ws closed", "sse closed", "ws open", "sse open"]
    for phase in report["phases"]:
        check_phase(phase)
    assert report["summary"]["errors"] == 0


def test_bench_capacity_smoke(tmp_path: Path) -> None:
    report = run_bench(
        "capacity", tmp_path / "capacity.json", "--connections", "20", "--hold", "1", "--turns", "2"
    )
    app, bare = report["runs"]
    assert app["connections_held"] == 20 and bare["connections_held"] == 20
    assert app["errors"] == 0 and bare["errors"] == 0, app["error_samples"] + bare["error_samples"]
    assert app["turns_while_held"] == 2
    assert "app_rss_kb_per_connection" in report["summary"]


def test_bench_llm_smoke(tmp_path: Path) -> None:
    report = run_bench(
        "llm",
        tmp_path / "llm.json",
        *("--sessions", "4", "--seconds", "2", "--mean-gap", "0.5", "--model-seconds", "0.05"),
    )
    check_phase(report["phase"])
    # Every turn asks the model at least once (its reply is worded by the model).
    assert report["model_calls_per_turn"] >= 1
    assert set(report["overhead"]) >= {"p50_ms", "p99_ms"}


def test_bench_peer_smoke(tmp_path: Path) -> None:
    report = run_bench("peer", tmp_path / "peer.json", "--sessions", "2", "--seconds", "3")
    check_phase(report["ours"])
    check_phase(report["peer"])
    assert report["summary"]["errors"] == 0
    assert report["summary"]["peer_turns_per_second"] > 0


def test_bench_analytics_smoke(tmp_path: Path) -> None:
    report = run_bench("analytics", tmp_path / "analytics.json", "--turns", "600", "--runs", "1")
    assert set(report["queries"]) == {
        "per_day",
        "order_figures",
        "top_items",
        "top_options",
        "pace",
        "understanding",
    }
    # The figures each query returned are those of the conversations seeded.
    assert all(check["ok"] for check in report["checks"].values()), report["checks"]
    assert report["summary"]["turns"] == 600 and report["summary"]["figures_match_seed"]


def test_bench_board_smoke(tmp_path: Path) -> None:
    report = run_bench("board", tmp_path / "board.json", "--sessions", "3", "--boards", "1")
    assert report["orders"] == 3 and report["failed_conversations"] == 0
    assert report["place_to_board"]["events"] == 3 and report["place_to_board"]["missing"] == 0
    assert report["move_to_chat"]["moves"] == 3 and report["move_to_chat"]["failed"] == 0
    assert report["board_errors"] == []
    assert report["place_to_stream"]["p99_ms"] >= 0 and report["stream_to_board"]["p99_ms"] >= 0


@pytest.mark.skipif(
    not Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists()
    or shutil.which("npm") is None,
    reason="Chromium (apt-get install chromium) and npm build and show the board",
)
def test_bench_board_render_smoke(tmp_path: Path) -> None:
    # The frontend may be built first (npm, vite): several minutes on a busy machine.
    report = run_bench(
        "board_render", tmp_path / "render.json", "--orders", "5", "--runs", "2", timeout=900
    )
    assert report["tickets"] == 5 and len(report["loads"]) == 2
    assert report["render"]["p50_ms"] > 0 and report["load"]["p50_ms"] > 0
