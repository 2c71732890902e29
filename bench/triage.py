"""Triage benchmark: model load time, one ticket through HTTP, batch rate, server RSS.

    uv run python -m bench.triage [--requests 300] [--batch 1000]

Tickets come from the held-out part of our example bank. The server runs on a temporary
SQLite database with the local model (no LLM), one process, as `make run` starts it.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from tokenizers import Tokenizer

from supportdesk.config import get_settings
from supportdesk.triage.model.embeddings import MAX_TOKENS, Embedder
from supportdesk.triage.model.local import LocalClassifier
from supportdesk.triage.training.bank import load_bank, split_bank
from supportdesk.triage.training.versions import load_base

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB RAM"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_in_process(batch: int) -> dict[str, float]:
    settings = get_settings().triage
    started = time.perf_counter()
    embedder = Embedder(settings.model_dir)
    base = load_base(settings.heads_dir)
    classifier = LocalClassifier(embedder, base.heads, base.version, settings.review_threshold)
    classifier.classify_text("", "warm up")
    load_seconds = time.perf_counter() - started
    _, held_out = split_bank(load_bank())
    tickets = [(e.title, e.description) for e in held_out]
    tickets = (tickets * (batch // len(tickets) + 1))[:batch]
    started, cpu_started = time.perf_counter(), time.process_time()
    classifier.classify_many(tickets)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    tokenizer = Tokenizer.from_file(str(settings.model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # the packaged file pads every text to 128
    tokenizer.enable_truncation(MAX_TOKENS)  # as the embedder reads them
    tokens = sum(len(tokenizer.encode(f"{t}\n{d}").ids) for t, d in tickets)
    return {
        "model_load_s": load_seconds,
        "batch_tickets_per_s": batch / wall,
        # CPU time does not depend on what else the machine runs: the figure to compare.
        "batch_cpu_ms_per_ticket": cpu * 1000 / batch,
        "mean_tokens_per_ticket": tokens / batch,
    }


def measure_http(requests: int) -> dict[str, float]:
    _, held_out = split_bank(load_bank())
    port = 8766
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
            "PORT": str(port),
            "HOST": "127.0.0.1",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "supportdesk.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=10) as client:
                for _ in range(300):
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                for example in held_out[:20]:  # warm-up
                    client.post("/api/tickets/classify/", json={"description": example.description})
                latencies = []
                for i in range(requests):
                    example = held_out[i % len(held_out)]
                    body = {"title": example.title, "description": example.description}
                    started = time.perf_counter()
                    response = client.post("/api/tickets/classify/", json=body)
                    latencies.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
            return {
                "http_p50_ms": statistics.median(latencies),
                "http_p99_ms": percentile(latencies, 0.99),
                "server_rss_mb": rss_mb(server.pid),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    results = {
        **measure_in_process(args.batch),
        **measure_http(args.requests),
        "machine": machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"triage-{time.strftime('%Y-%m-%d')}.json").write_text(json.dumps(results, indent=2))
    goals = {
        "model_load_s": ("<=", 3),
        "batch_tickets_per_s": (">=", 200),
        "http_p50_ms": ("<=", 30),
        "http_p99_ms": ("<=", 80),
        "server_rss_mb": ("<=", 600),
    }
    print(f"machine: {results['machine']}, load average {os.getloadavg()[0]:.1f}")
    print(
        f"batch CPU cost {results['batch_cpu_ms_per_ticket']:.1f} ms a ticket "
        f"({results['mean_tokens_per_ticket']:.0f} tokens on average)"
    )
    print("\n| figure | measured | goal |\n|---|---:|---|")
    for name, (op, goal) in goals.items():
        value = float(results[name])  # type: ignore[arg-type]
        met = value <= goal if op == "<=" else value >= goal
        print(f"| {name} | {value:.1f} | {op} {goal} {'met' if met else 'MISSED'} |")


if __name__ == "__main__":
    main()
