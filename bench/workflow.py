"""Background workflow and batch analysis benchmark.

    uv run python -m bench.workflow [--tickets 10000] [--skip-postgres] [--skip-sqlite]
                                    [--per-ticket 200] [--concurrency 4] [--workers 2]

1. One ticket's offline workflow, in this process on a temporary SQLite file: triage with
   the local model, then the two jobs a created ticket gets, `workflow.process_ticket` and
   `duplicates.index_ticket`, called with a JobContext built like the tests build it
   (Settings, Database, a started TriageEngine). --per-ticket varied demo tickets
   (`supportdesk.demo.demo_tickets`, labels left to triage), after a short warm-up; p50/p99
   of each step and of the whole (goal: p50 <= 100 ms). Inserting the ticket is timed
   separately and not part of that whole.
2. A batch analysis run over --tickets tickets, for each backend and each embedding state:
   - backends: PostgreSQL (fresh database; `supportdesk serve` with JOBS_IN_PROCESS=false
     and --workers `supportdesk worker` processes) and the embedded default (a fresh SQLite
     file; `supportdesk serve` with its in-process runner);
   - warm: `supportdesk seed --count N` queues each ticket's workflow jobs (which store its
     embedding); the run starts after they have all finished, the normal case;
     cold: `seed --no-workflow`, so the run computes every embedding itself.
   The run starts with `POST /api/analyze {"ticketIds": null}`; `/api/analyze/{id}/status`
   is polled until it is completed; tickets/s = tickets / (completion - start), from the
   benchmark's clock (the server's created_at -> finished_at is recorded too).
   Goal: >= 100 tickets/s.
3. While the run is going, wrk loads `GET /api/tickets/` (-t2 -c4 by default) and is
   stopped when the run completes: req/s, p50, p99 (goal: p99 <= 100 ms). The same load on
   the idle server just before the run is recorded for comparison.
   Unless --no-rerun, the run is repeated without the API load over the same tickets
   (`ticketIds` given; for "cold" the stored embeddings are deleted first), to show what
   the load itself costs the run.

Every process started here is stopped (its whole process group) and every database
created is dropped, also on errors and Ctrl-C. The machine may be shared: before each
timed part the benchmark waits (up to --settle s) for the machine to be quiet, and records
how busy it was. Writes bench/results/workflow-<date>.json and prints Markdown tables;
server and worker logs go to bench/results/workflow-logs/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

import bench.run as api_bench
from bench.run import (
    LUA_SCRIPT,
    RESULTS_DIR,
    ROOT,
    CpuSnapshot,
    Server,
    _backends_of,
    _descendants,
    _normalise_wrk,
    cpu_snapshot,
    ensure_wrk,
    free_port,
    load,
    log,
    machine_info,
    recreate_database,
    result_path,
    run_cli,
    source_digest,
    split_url,
    supportdesk_cmd,
    wait_for_quiet,
)

LIST_PATH = "/api/tickets/"
WORKFLOW_GOAL_P50_MS = 100.0
RUN_GOAL_TICKETS_PER_S = 100.0
LIST_GOAL_P99_MS = 100.0
LOG_DIR = RESULTS_DIR / "workflow-logs"
POLL_SECONDS = 0.25


# --------------------------------------------------------------------------- small helpers


def pct(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (the same rule as bench.run's httpx client)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(pct(values, 50), 2),
        "p90": round(pct(values, 90), 2),
        "p99": round(pct(values, 99), 2),
        "mean": round(statistics.fmean(values), 2),
        "max": round(max(values), 2),
    }


@contextlib.contextmanager
def extra_env(values: dict[str, str]) -> Iterator[None]:
    """bench.run.Server takes its environment from os.environ: set ours around it."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def cores(before: CpuSnapshot, after: CpuSnapshot, pids: set[int]) -> float:
    """Cores used by these processes between two snapshots."""
    wall = after.at - before.at
    used = 0.0
    for pid in pids:
        if pid in after.procs:
            used += after.procs[pid][2] - before.procs.get(pid, (None, None, 0.0))[2]
    return round(used / wall, 2) if wall > 0 else 0.0


def http_json(method: str, url: str, body: Any = None, timeout: float = 120) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(
            f"{method} {url} answered {error.code}: {error.read()[:2000]!r}"
        ) from None


# --------------------------------------------------------------------------- 1. per ticket


async def _per_ticket(count: int, warmup: int) -> dict[str, Any]:
    from supportdesk.audit.service import SYSTEM
    from supportdesk.config import JobSettings, Settings
    from supportdesk.db import Database
    from supportdesk.demo import demo_tickets
    from supportdesk.duplicates.tasks import index_ticket
    from supportdesk.jobs.registry import JobContext
    from supportdesk.jobs.tasks import load_tasks
    from supportdesk.migrate import upgrade
    from supportdesk.taxonomy import Status
    from supportdesk.tickets import service as tickets
    from supportdesk.tickets.schemas import TicketCreate
    from supportdesk.triage.engine import TriageEngine
    from supportdesk.triage.model.local import LocalClassifier
    from supportdesk.workflow.tasks import process_ticket

    with tempfile.TemporaryDirectory(prefix="bench-workflow-") as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/workflow.db"
        await asyncio.to_thread(upgrade, url)
        # Like the tests: no job runner in this process; the task functions are called here.
        settings = Settings(
            database_url=url, static_dir=Path("/nonexistent"), jobs=JobSettings(in_process=False)
        )
        database = Database(url)
        triage = TriageEngine(settings, database)
        await triage.start()
        try:
            if not isinstance(triage.classifier, LocalClassifier):
                raise RuntimeError(
                    f"triage is not the local model ({type(triage.classifier).__name__}): "
                    "build it with `make model` and unset LLM_PROVIDER"
                )
            load_tasks()
            context = JobContext(settings, database, triage)
            steps: dict[str, list[float]] = {
                "triage": [],
                "insert": [],
                "process_ticket": [],
                "index_ticket": [],
                "workflow": [],
                "workflow_with_insert": [],
            }
            categories: dict[str, int] = {}
            lengths: list[int] = []
            # A seed of its own: not the tickets the batch part seeds.
            for i, row in enumerate(demo_tickets(count + warmup, seed=20261121)):
                title, description = str(row["title"]), str(row["description"])
                t0 = time.perf_counter()
                suggestion = await triage.classifier.classify(title, description)
                t1 = time.perf_counter()
                async with database.transaction() as session:
                    data = TicketCreate(
                        title=title, description=description, status=Status(str(row["status"]))
                    )
                    ticket = await tickets.create_ticket(session, data, suggestion, SYSTEM)
                    ticket_id = ticket.id
                t2 = time.perf_counter()
                await process_ticket(context, ticket_id=ticket_id)
                t3 = time.perf_counter()
                await index_ticket(context, ticket_id=ticket_id)
                t4 = time.perf_counter()
                if i < warmup:
                    continue
                ms = [(b - a) * 1000 for a, b in ((t0, t1), (t1, t2), (t2, t3), (t3, t4))]
                steps["triage"].append(ms[0])
                steps["insert"].append(ms[1])
                steps["process_ticket"].append(ms[2])
                steps["index_ticket"].append(ms[3])
                steps["workflow"].append(ms[0] + ms[2] + ms[3])
                steps["workflow_with_insert"].append(sum(ms))
                categories[suggestion.category.value] = (
                    categories.get(suggestion.category.value, 0) + 1
                )
                lengths.append(len(title) + len(description))
        finally:
            await triage.stop()
            await database.dispose()
    result: dict[str, Any] = {name: summary_ms(values) for name, values in steps.items()}
    result["tickets"] = count
    result["warmup"] = warmup
    result["triage_categories"] = categories
    result["text_chars"] = {"p50": pct(lengths, 50), "max": max(lengths)}
    result["goal_met"] = result["workflow"]["p50"] <= WORKFLOW_GOAL_P50_MS
    return result


def measure_per_ticket(count: int, warmup: int, settle: float) -> dict[str, Any]:
    busy = wait_for_quiet(settle) if settle > 0 else None
    log(f"per-ticket workflow: {count} tickets (+{warmup} warm-up) in-process on SQLite")
    before = cpu_snapshot()
    result = asyncio.run(_per_ticket(count, warmup))
    after = cpu_snapshot()
    result["machine_busy_cores_before"] = busy
    result["process_cores"] = cores(before, after, {os.getpid()})
    result["machine_busy_cores"] = round((after.busy - before.busy) / (after.at - before.at), 2)
    w = result["workflow"]
    log(f"  workflow p50 {w['p50']} ms  p99 {w['p99']} ms")
    return result


# --------------------------------------------------------------------------- 2. backends


@dataclass
class Backend:
    """One fresh database and the processes serving it."""

    name: str  # "postgresql" | "sqlite"
    mode: str  # "warm" | "cold"
    args: argparse.Namespace
    database_url: str = ""
    sqlite_path: Path | None = None
    pg_dsn: str = ""
    admin_dsn: str = ""
    server: Server | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    worker_logs: list[Any] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def key(self) -> str:
        return f"{self.name}-{self.mode}"

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "JOBS_IN_PROCESS": "true" if self.name == "sqlite" else "false",
        }
        if self.args.jobs_concurrency:
            env["JOBS_CONCURRENCY"] = str(self.args.jobs_concurrency)
        return env

    # -- database

    def create(self) -> str:
        if self.name == "postgresql":
            self.admin_dsn, self.database_url = split_url(self.args.pg, self.args.db)
            self.pg_dsn = f"{self.args.pg.rstrip('/')}/{self.args.db}"
            version = asyncio.run(recreate_database(self.admin_dsn, self.args.db))
            return f"PostgreSQL {version}"
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-workflow-")
        self.sqlite_path = Path(self._tmp.name) / "supportdesk.db"
        self.database_url = f"sqlite+aiosqlite:///{self.sqlite_path}"
        return f"SQLite {sqlite3.sqlite_version}"

    def drop(self) -> None:
        if self.name == "postgresql" and self.admin_dsn:
            asyncio.run(_drop_database(self.admin_dsn, self.args.db))
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.name == "postgresql":
            return asyncio.run(_pg_query(self.pg_dsn, sql))
        assert self.sqlite_path is not None
        with contextlib.closing(sqlite3.connect(self.sqlite_path, timeout=30)) as conn:
            rows = list(conn.execute(sql).fetchall())
            conn.commit()  # sqlite3 opens a transaction for DML: keep the change
            return rows

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]

    def pending_jobs(self) -> dict[str, int]:
        if self.name == "postgresql":
            rows = self.query(
                "SELECT status::text, count(*) FROM procrastinate_jobs "
                "WHERE task_name NOT LIKE 'periodic:%' GROUP BY status"
            )
        else:
            rows = self.query("SELECT status, count(*) FROM local_jobs GROUP BY status")
        return {str(status): int(n) for status, n in rows}

    # -- processes

    def start(self) -> None:
        port = free_port()
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        server_env = {"JOBS_IN_PROCESS": self.env["JOBS_IN_PROCESS"], "WEB_CONCURRENCY": "1"}
        if self.args.jobs_concurrency:
            server_env["JOBS_CONCURRENCY"] = str(self.args.jobs_concurrency)
        if self.args.worker_nice is not None:
            server_env["JOBS_WORKER_NICE"] = str(self.args.worker_nice)
            self.env["JOBS_WORKER_NICE"] = str(self.args.worker_nice)
        with extra_env(server_env):
            # Open access: the load runs without credentials (bench.run measures signed in).
            self.server = Server(
                1, port, self.database_url, LOG_DIR / f"{self.key}-server.log", open_access=True
            )
        self.server.wait_healthy()
        if self.name != "postgresql":
            return
        for n in range(1, self.args.workers + 1):
            log_file = open(LOG_DIR / f"{self.key}-worker{n}.log", "w")  # noqa: SIM115
            self.worker_logs.append(log_file)
            self.workers.append(
                subprocess.Popen(
                    supportdesk_cmd("worker"),
                    cwd=ROOT,
                    env=self.env,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own group: stop() ends uv and python
                )
            )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            for proc in self.workers:
                if proc.poll() is not None:
                    raise RuntimeError(f"a worker exited with {proc.returncode}; see {LOG_DIR}")
            alive = self.scalar(
                "SELECT count(*) FROM procrastinate_workers "
                "WHERE last_heartbeat > now() - interval '30 seconds'"
            )
            if alive >= self.args.workers:
                return
            time.sleep(0.5)
        raise RuntimeError(f"workers not registered after 240 s; see {LOG_DIR}")

    def check_alive(self) -> None:
        """Fail now, not after a timeout, when the server or a worker has exited (on a
        shared machine something else may stop them)."""
        procs = [("server", self.server.proc)] if self.server else []
        procs += [(f"worker{n}", p) for n, p in enumerate(self.workers, 1)]
        for name, proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{self.key}: the {name} exited ({proc.returncode}); logs in {LOG_DIR}"
                )

    def log_problems(self) -> dict[str, int]:
        """Counts of error lines in this scenario's server and worker logs."""
        counts = {"database is locked": 0, "failed": 0, "Traceback": 0}
        for path in LOG_DIR.glob(f"{self.key}-*.log"):
            for line in path.read_text(errors="replace").splitlines():
                for needle in counts:
                    if needle in line and not line.startswith(" "):
                        counts[needle] += 1
        return counts

    def stop(self) -> None:
        for proc in self.workers:
            _stop_group(proc)
        for log_file in self.worker_logs:
            log_file.close()
        self.workers, self.worker_logs = [], []
        if self.server is not None:
            self.server.stop()
            self.server = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return self.server.base

    def pids(self) -> dict[str, int]:
        assert self.server is not None
        found = {"server": self.server.proc.pid}
        for n, proc in enumerate(self.workers, 1):
            found[f"worker{n}"] = proc.pid
        return found


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


async def _drop_database(admin_dsn: str, dbname: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    finally:
        await conn.close()


async def _pg_query(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(dsn)
    try:
        return [tuple(row) for row in await conn.fetch(sql)]
    finally:
        await conn.close()


# --------------------------------------------------------------------------- wrk during a run


class BackgroundWrk:
    """wrk with a long duration, stopped by SIGINT when the run is done: wrk then ends its
    threads and prints the report (bench/report.lua's BENCH_JSON line) as usual."""

    def __init__(self, wrk: str, url: str, threads: int, connections: int) -> None:
        self.children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.proc = subprocess.Popen(
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                "-d3600s",
                "--timeout",
                "10s",
                "-s",
                str(LUA_SCRIPT),
                url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> dict[str, Any]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (children.ru_utime - self.children_before.ru_utime) + (
            children.ru_stime - self.children_before.ru_stime
        )
        for line in out.splitlines():
            if line.startswith("BENCH_JSON "):
                result = _normalise_wrk(json.loads(line.removeprefix("BENCH_JSON ")))
                result["client_cpu_s"] = round(cpu, 2)
                return result
        raise RuntimeError(
            f"wrk printed no BENCH_JSON line ({self.proc.returncode}):\n{out}\n{err}"
        )

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# --------------------------------------------------------------------------- one run


def analysis_run(
    backend: Backend, body: dict[str, Any], wrk: str | None, args: argparse.Namespace
) -> dict[str, Any]:
    base = backend.base
    embedded_ids = [row[0] for row in backend.query("SELECT ticket_id FROM ticket_embeddings")]
    busy = wait_for_quiet(args.settle) if args.settle > 0 else None
    loader = None
    before = cpu_snapshot()
    started = time.monotonic()
    try:
        created = http_json("POST", f"{base}/api/analyze", body)
        post_s = time.monotonic() - started
        run_id = created["id"]
        tickets = created["ticket_count"]
        if wrk:
            loader = BackgroundWrk(wrk, base + LIST_PATH, args.threads, args.concurrency)
        polls = 0
        progress_at: list[tuple[float, int]] = []
        deadline = started + args.run_timeout
        while True:
            backend.check_alive()
            status = http_json("GET", f"{base}/api/analyze/{run_id}/status")
            polls += 1
            now = time.monotonic()
            progress_at.append((round(now - started, 2), status["progress"]["done"]))
            if status["status"] in ("completed", "failed"):
                break
            if now > deadline:
                raise RuntimeError(f"run {run_id} not finished after {args.run_timeout} s")
            time.sleep(POLL_SECONDS)
        finished = time.monotonic()
        list_load = loader.stop() if loader else None
    finally:
        if loader is not None:
            loader.kill()
    after = cpu_snapshot()
    elapsed = finished - started
    detail = http_json("GET", f"{base}/api/analyze/{run_id}?results=false")
    server_s = None
    if detail.get("finished_at"):
        server_s = (
            dt.datetime.fromisoformat(detail["finished_at"])
            - dt.datetime.fromisoformat(detail["created_at"])
        ).total_seconds()
    cpu: dict[str, float] = {}
    for name, pid in backend.pids().items():
        cpu[f"{name}_cores"] = cores(before, after, _descendants(pid, after.procs))
    if backend.name == "postgresql":
        cpu["postgres_cores"] = cores(before, after, _backends_of(backend.args.db, after.procs))
    wall = after.at - before.at
    if list_load is not None:
        cpu["wrk_cores"] = round(list_load["client_cpu_s"] / wall, 2)
    cpu["machine_busy_cores"] = round((after.busy - before.busy) / wall, 2)
    rate = tickets / elapsed
    result: dict[str, Any] = {
        "run_id": run_id,
        "status": detail["status"],
        "tickets": tickets,
        "progress": detail["progress"],
        "embeddings_stored_at_start": len(embedded_ids),
        "_embedded_ids": embedded_ids,
        "post_s": round(post_s, 3),
        "seconds": round(elapsed, 2),
        "tickets_per_s": round(rate, 1),
        "server_seconds": round(server_s, 2) if server_s is not None else None,
        "server_tickets_per_s": round(tickets / server_s, 1) if server_s else None,
        "polls": polls,
        "progress_timeline": progress_at[:: max(1, len(progress_at) // 40)],
        "machine_busy_cores_before": busy,
        "cpu": cpu,
        "goal_met": detail["status"] == "completed" and rate >= RUN_GOAL_TICKETS_PER_S,
    }
    if list_load is not None:
        list_load["goal_met"] = (
            list_load["errors_total"] == 0 and list_load["latency_ms"]["p99"] <= LIST_GOAL_P99_MS
        )
        result["list_during_run"] = list_load
    return result


def wait_for_jobs(backend: Backend, timeout: float) -> dict[str, Any]:
    """Until the workflow jobs the seed queued have all run (warm) — none for cold."""
    started = time.monotonic()
    first = backend.pending_jobs()
    total = sum(first.values())
    while True:
        backend.check_alive()
        jobs = backend.pending_jobs()
        open_jobs = jobs.get("todo", 0) + jobs.get("doing", 0)
        if not open_jobs:
            break
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{open_jobs} jobs still open after {timeout:.0f} s: {jobs}")
        time.sleep(1.0)
    elapsed = time.monotonic() - started
    return {
        "jobs": total,
        "by_status": jobs,
        "seconds": round(elapsed, 1),
        "jobs_per_s": round(total / elapsed, 1) if total and elapsed > 1 else None,
    }


def scenario(name: str, mode: str, wrk: str | None, args: argparse.Namespace) -> dict[str, Any]:
    backend = Backend(name, mode, args)
    result: dict[str, Any] = {"backend": name, "mode": mode}
    try:
        result["database"] = backend.create()
        env = backend.env
        log(f"[{backend.key}] migrate + seed {args.tickets:,} tickets")
        run_cli(supportdesk_cmd("migrate"), env)
        seed_args = ["seed", "--count", str(args.tickets)]
        if mode == "cold":
            seed_args.append("--no-workflow")
        result["seed_s"] = round(run_cli(supportdesk_cmd(*seed_args), env), 1)
        log(f"[{backend.key}] seeded in {result['seed_s']} s; starting the server")
        if name == "postgresql":
            result["autovacuum"] = backend.scalar("SHOW autovacuum")
            if not args.no_analyze:
                # Autovacuum would analyze the new rows within a minute or so (it is off on
                # the CI machines). Without statistics procrastinate's fetch query plans a
                # nested loop over every queued job: ~18 s per fetch at 20,000 jobs.
                asyncio.run(_pg_query(backend.pg_dsn, "ANALYZE"))
        backend.start()
        log(f"[{backend.key}] waiting for the seed's workflow jobs")
        result["seed_jobs"] = wait_for_jobs(backend, args.jobs_timeout)
        log(f"[{backend.key}]   {result['seed_jobs']}")
        if name == "postgresql":
            # What autovacuum would soon do after 10,000 inserts (as bench.run does).
            asyncio.run(_pg_query(backend.pg_dsn, "VACUUM (ANALYZE)"))
        result["tickets"] = backend.scalar("SELECT count(*) FROM tickets")
        if wrk and not args.no_idle_baseline:
            busy = wait_for_quiet(args.settle) if args.settle > 0 else None
            idle = load(
                "wrk",
                wrk,
                backend.base + LIST_PATH,
                args.idle_seconds,
                args.threads,
                args.concurrency,
                backend.pids()["server"],
                {},
            )
            idle["machine_busy_cores_before"] = busy
            result["list_idle"] = idle
            log(
                f"[{backend.key}] list, idle server: {idle['rps']:,.0f} req/s "
                f"p50 {idle['latency_ms']['p50']} ms p99 {idle['latency_ms']['p99']} ms"
            )
        log(f"[{backend.key}] analysis run with GET {LIST_PATH} under wrk -c{args.concurrency}")
        run = analysis_run(backend, {"ticketIds": None}, wrk, args)
        result["run"] = run
        _log_run(backend.key, run)
        if args.no_rerun:
            run.pop("_embedded_ids")
        if not args.no_rerun:
            # The same embedding state as the first run started from: the run stores the
            # embeddings it computed, so drop those again.
            kept = ",".join(str(i) for i in run.pop("_embedded_ids"))
            backend.query(
                f"DELETE FROM ticket_embeddings WHERE ticket_id NOT IN ({kept})"
                if kept
                else "DELETE FROM ticket_embeddings"
            )
            ids = [row[0] for row in backend.query("SELECT id FROM tickets ORDER BY id")]
            log(f"[{backend.key}] the same run again without API load")
            quiet = analysis_run(backend, {"ticketIds": ids}, None, args)
            quiet.pop("_embedded_ids")
            result["run_without_load"] = quiet
            _log_run(backend.key, quiet)
        result["failed_jobs"] = backend.pending_jobs().get("failed", 0)
    finally:
        with contextlib.suppress(OSError):
            result["log_problems"] = backend.log_problems()
        backend.stop()
        backend.drop()
    return result


def _log_run(key: str, run: dict[str, Any]) -> None:
    message = (
        f"[{key}]   {run['status']}: {run['tickets']:,} tickets in {run['seconds']} s = "
        f"{run['tickets_per_s']} tickets/s (server {run['server_tickets_per_s']}/s) "
        f"cpu {run['cpu']}"
    )
    if "list_during_run" in run:
        lat = run["list_during_run"]["latency_ms"]
        message += (
            f"; list {run['list_during_run']['rps']:,.0f} req/s p50 {lat['p50']} ms "
            f"p99 {lat['p99']} ms errors {run['list_during_run']['errors_total']}"
        )
    log(message)


# --------------------------------------------------------------------------- report


def markdown(document: dict[str, Any]) -> str:
    machine, config = document["machine"], document["config"]
    met = {True: "yes", False: "**NO**", None: "—"}
    lines = [
        f"Machine: {machine['nproc']} cores ({machine['cpu_model']}), {machine['ram_gib']} GiB "
        f"RAM, Linux {machine['kernel']}, Python {machine['python']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in machine['loadavg_at_start'])}. Everything (server, "
        "workers, PostgreSQL, wrk) on the same machine.",
    ]
    per = document.get("per_ticket")
    if per:
        lines += [
            "",
            f"**1. One ticket's offline workflow**, in-process on SQLite, {per['tickets']} demo "
            f"tickets after {per['warmup']} warm-up (local model):",
            "",
            "| step | p50 ms | p90 ms | p99 ms | mean ms |",
            "|---|---:|---:|---:|---:|",
        ]
        labels = {
            "triage": "triage (local model)",
            "process_ticket": "`workflow.process_ticket`",
            "index_ticket": "`duplicates.index_ticket`",
            "workflow": "**whole workflow** (the three above)",
            "insert": "insert the ticket (not in the goal)",
        }
        for key, label in labels.items():
            s = per[key]
            lines.append(f"| {label} | {s['p50']} | {s['p90']} | {s['p99']} | {s['mean']} |")
        lines += [
            "",
            f"Goal p50 ≤ {WORKFLOW_GOAL_P50_MS:.0f} ms: {met[per['goal_met']]} "
            f"(p50 {per['workflow']['p50']} ms, p99 {per['workflow']['p99']} ms).",
        ]
    runs = document.get("runs") or []
    if runs:
        lines += [
            "",
            f"**2-3. Batch analysis of {config['tickets']:,} tickets** (`POST /api/analyze "
            f'{{"ticketIds": null}}` until completed) with wrk -t{config["threads"]} '
            f"-c{config['concurrency']} on `GET {LIST_PATH}` during the run; PostgreSQL: "
            f"{config['workers']} `supportdesk worker` + `serve` (JOBS_IN_PROCESS=false); SQLite: "
            "`serve` with its in-process runner.",
            "",
            "| backend | embeddings | run s | tickets/s | ≥ 100/s | without API load: tickets/s "
            "| list req/s | list p50 ms | list p99 ms | p99 ≤ 100 ms | idle list p50 / p99 ms "
            "| CPU cores during the run |",
            "|---|---|---:|---:|:-:|---:|---:|---:|---:|:-:|---:|---|",
        ]
        for r in runs:
            if "error" in r:
                lines.append(f"| {r['backend']} | {r['mode']} | failed: {r['error']} |")
                continue
            run = r["run"]
            quiet = r.get("run_without_load")
            lst = run.get("list_during_run")
            idle = r.get("list_idle")
            cpu = ", ".join(
                f"{k.removesuffix('_cores')} {v}"
                for k, v in run["cpu"].items()
                if k.endswith("_cores")
            )
            lines.append(
                f"| {r['backend']} | {r['mode']} ({run['embeddings_stored_at_start']:,} stored) "
                f"| {run['seconds']} | {run['tickets_per_s']} | {met[run['goal_met']]} | "
                f"{quiet['tickets_per_s'] if quiet else '—'} | "
                + (
                    f"{lst['rps']:,.0f} | {lst['latency_ms']['p50']} | "
                    f"{lst['latency_ms']['p99']} | "
                    f"{met[lst['goal_met']]} | "
                    if lst
                    else "— | — | — | — | "
                )
                + (
                    f"{idle['latency_ms']['p50']} / {idle['latency_ms']['p99']} | "
                    if idle
                    else "— | "
                )
                + f"{cpu} |"
            )
        seeds = [
            f"{r['backend']}-{r['mode']}: seed {r['seed_s']} s"
            + (
                f", then {r['seed_jobs']['jobs']:,} workflow jobs in {r['seed_jobs']['seconds']} s"
                if r.get("seed_jobs", {}).get("jobs")
                else ""
            )
            for r in runs
            if "seed_s" in r
        ]
        lines += ["", "Seeding: " + "; ".join(seeds) + "."]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.workflow", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--tickets", type=int, default=10_000, help="tickets per analysis run")
    parser.add_argument("--per-ticket", type=int, default=200, help="tickets for part 1")
    parser.add_argument("--per-ticket-warmup", type=int, default=10)
    parser.add_argument("--skip-per-ticket", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--modes", default="warm,cold", help="warm, cold or both (warm,cold)")
    parser.add_argument("--workers", type=int, default=2, help="`supportdesk worker` processes")
    parser.add_argument(
        "--jobs-concurrency",
        type=int,
        default=0,
        help="JOBS_CONCURRENCY for server and workers (0: the product's default)",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=None,
        help="JOBS_WORKER_NICE for server and workers (default: the product's, 10)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="wrk connections (4-8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--idle-seconds", type=float, default=10, help="list load before a run")
    parser.add_argument("--no-idle-baseline", action="store_true")
    parser.add_argument("--no-rerun", action="store_true", help="skip the run without API load")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="PostgreSQL: no ANALYZE between the seed and the workers (as with autovacuum off)",
    )
    parser.add_argument("--run-timeout", type=float, default=1800)
    parser.add_argument("--jobs-timeout", type=float, default=3600)
    parser.add_argument(
        "--settle",
        type=float,
        default=60,
        help="before each timed part wait up to this many s for the machine to be idle",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (no database); env BENCH_PG",
    )
    parser.add_argument("--db", default="supportdesk_bench_workflow", help="created and dropped")
    parser.add_argument("--out", type=Path)
    return parser.parse_args(argv)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # run every finally: stop processes, drop databases


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    api_bench.BENCH_DB = args.db  # whose PostgreSQL backends count as "postgres" CPU
    RESULTS_DIR.mkdir(exist_ok=True)
    wrk = ensure_wrk(install=True)
    if wrk is None:
        log("WARNING: wrk not found: the API is not loaded during the runs")
    machine = machine_info()
    digest = source_digest()
    document: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "uv run python -m bench.workflow " + " ".join(sys.argv[1:]),
        "machine": machine,
        "config": {
            "tickets": args.tickets,
            "workers": args.workers,
            "jobs_concurrency": args.jobs_concurrency or "default",
            "worker_nice": "default" if args.worker_nice is None else args.worker_nice,
            "concurrency": args.concurrency,
            "threads": args.threads,
            "client": "wrk" if wrk else None,
            "goals": {
                "workflow_p50_ms": WORKFLOW_GOAL_P50_MS,
                "run_tickets_per_s": RUN_GOAL_TICKETS_PER_S,
                "list_p99_ms_during_run": LIST_GOAL_P99_MS,
            },
        },
        "source_sha256": digest,
    }
    if not args.skip_per_ticket:
        document["per_ticket"] = measure_per_ticket(
            args.per_ticket, args.per_ticket_warmup, args.settle
        )
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    backends = [
        b
        for b, skip in (("postgresql", args.skip_postgres), ("sqlite", args.skip_sqlite))
        if not skip
    ]
    out = args.out or result_path("workflow", dt.date.today().isoformat())

    def save() -> None:
        # After every part, so a failure later keeps what was measured.
        out.write_text(json.dumps(document, indent=2, default=str) + "\n")

    save()
    document["runs"] = []
    for backend in backends:
        for mode in modes:
            try:
                document["runs"].append(scenario(backend, mode, wrk, args))
            except (RuntimeError, SystemExit, OSError) as exc:
                if isinstance(exc, SystemExit) and exc.code in (130, 143):
                    raise
                log(f"[{backend}-{mode}] FAILED: {exc}")
                document["runs"].append({"backend": backend, "mode": mode, "error": str(exc)})
            save()
    machine["loadavg_at_end"] = list(os.getloadavg())
    document["source_changed_during_run"] = source_digest() != digest
    save()
    print()
    print(markdown(document))
    print(f"\nResults: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
