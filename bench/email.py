"""Email benchmark: ingest through the built-in SMTP listener, and replies leaving for SMTP
while it runs.

    .venv/bin/python -m bench.email [--emails 10000] [--senders 8] [--replies 40] [--workers 1]

Steps: drop/create the PostgreSQL database `supportdesk_bench_email`, start a sink SMTP
server (aiosmtpd, in this process) and `supportdesk serve` (the scaled setup: PostgreSQL,
procrastinate, jobs in the API process) with EMAIL_LISTEN on and email out through the
sink, plus `--workers` `supportdesk worker` processes. One ticket is filed on the public
form. Then `--senders` SMTP clients send `--emails` emails to the listener (demo tickets'
texts; every fifth opens a conversation and the four after it answer in it), while an agent
replies to the ticket through the API once a second: each reply's time from Send to its
arrival at the sink is recorded. Ingest rate: emails filed (parsed, threaded, triaged by
the local model, a ticket opened or a message added) per second, from the first email sent
to the last filed. Writes bench/results/email-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import aiosmtplib
import asyncpg
from aiosmtpd.controller import Controller

from bench.run import (
    RESULTS_DIR,
    ROOT,
    Server,
    free_port,
    log,
    machine_info,
    recreate_database,
    result_path,
    source_digest,
    split_url,
    supportdesk_cmd,
)
from bench.workflow import extra_env, http_json, pct, summary_ms
from supportdesk.demo import demo_tickets

DBNAME = "supportdesk_bench_email"
REPLY_MARK = re.compile(rb"bench-reply-(\d+)")
FILED = "SELECT count(*) FROM inbound_emails WHERE status <> 'received'"


class Sink:
    """The mail server replies are sent through: when each reply arrived."""

    def __init__(self) -> None:
        self.arrived: dict[int, float] = {}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.monotonic()
        with self.lock:
            self.count += 1
            for mark in REPLY_MARK.findall(envelope.content):
                self.arrived.setdefault(int(mark), now)
        return "250 OK"


def emails(count: int) -> list[bytes]:
    """Realistic customer emails: every fifth opens a conversation, the four after it
    answer in that conversation (naming its first email, as a reply to our answer would)."""
    made: list[bytes] = []
    for n, ticket in enumerate(demo_tickets(count, seed=11)):
        first = n // 5 * 5
        sender = f"customer{first}@example.com"
        answers = f"In-Reply-To: <bench-{first}@example.com>\r\n" if n % 5 else ""
        subject = str(ticket["title"]) if not answers else f"Re: {ticket['title']}"
        made.append(
            (
                f"From: Customer {n // 5} <{sender}>\r\nTo: help@example.com\r\n"
                f"Subject: {subject}\r\nMessage-ID: <bench-{n}@example.com>\r\n{answers}"
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                f"{ticket['description']}\r\n\r\nThanks,\r\nCustomer {n // 5}\r\n"
            ).encode()
        )
    return made


async def send_all(port: int, batch: list[bytes], senders: int) -> float:
    """Send every email through `senders` SMTP connections; the seconds it took."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for raw in batch:
        queue.put_nowait(raw)

    async def client() -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=120)
        async with smtp:
            while not queue.empty():
                raw = queue.get_nowait()
                sender = re.search(rb"<(customer\d+@example.com)>", raw)
                assert sender is not None
                await smtp.sendmail(sender.group(1).decode(), ["help@example.com"], raw)

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(senders)))
    return time.monotonic() - started


async def filed(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval(FILED))
    finally:
        await connection.close()


async def replies_meanwhile(
    base: str, ticket: int, sink: Sink, stop: asyncio.Event, every: float
) -> dict[int, float]:
    """An agent replies once every `every` seconds until `stop`: when each was sent."""
    sent: dict[int, float] = {}
    n = 0
    while not stop.is_set():
        body = {"kind": "reply", "body": f"Still looking into it (bench-reply-{n})."}
        started = time.monotonic()
        await asyncio.to_thread(http_json, "POST", f"{base}/api/tickets/{ticket}/messages", body)
        sent[n] = started
        n += 1
        await asyncio.sleep(max(0.0, every - (time.monotonic() - started)))
    return sent


def start(
    env: dict[str, str], url: str, workers: int
) -> tuple[Server, list[subprocess.Popen[bytes]]]:
    """Migrate, then `supportdesk serve` and the extra workers, with email on."""
    log_dir = RESULTS_DIR / "logs"
    log_dir.mkdir(exist_ok=True)
    with extra_env(env):
        subprocess.run(supportdesk_cmd("migrate"), cwd=ROOT, check=True, capture_output=True)
        server = Server(1, free_port(), url, log_dir / "email-serve.log", open_access=True)
        started = [
            subprocess.Popen(supportdesk_cmd("worker"), cwd=ROOT, start_new_session=True)
            for _ in range(workers)
        ]
    return server, started


async def run(args: argparse.Namespace) -> dict[str, Any]:
    admin, url = split_url(args.pg, DBNAME)
    version = await recreate_database(admin, DBNAME)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    sink, sink_port, listen_port = Sink(), free_port(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink_port)
    controller.start()
    env = {
        "EMAIL_LISTEN": f"127.0.0.1:{listen_port}",
        "EMAIL_FROM_ADDRESS": "help@example.com",
        "EMAIL_SMTP_HOST": "127.0.0.1",
        "EMAIL_SMTP_PORT": str(sink_port),
        "EMAIL_SMTP_SECURITY": "none",
        "EMAIL_PER_SENDER_PER_HOUR": "1000000",
        "DATABASE_URL": url,
    }
    server, workers = start(env, url, args.workers)
    try:
        server.wait_healthy()
        form = {
            "name": "Ann Lee",
            "email": "ann@example.com",
            "title": "Charged twice",
            "description": "I was charged twice this month.",
        }
        ticket = http_json("POST", f"{server.base}/api/public/tickets", form)["ticket_id"]
        batch = emails(args.emails)
        log(f"sending {len(batch)} emails through {args.senders} SMTP connections")
        stop = asyncio.Event()
        replying = asyncio.create_task(
            replies_meanwhile(server.base, ticket, sink, stop, args.reply_every)
        )
        started = time.monotonic()
        sending = await send_all(listen_port, batch, args.senders)
        log(f"all accepted by the listener in {sending:.1f} s; waiting for them to be filed")
        while (done := await filed(dsn)) < len(batch):
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"only {done} of {len(batch)} filed after {args.timeout} s")
            await asyncio.sleep(0.5)
        ingest = time.monotonic() - started
        stop.set()
        sent = await replying
        await asyncio.sleep(3)  # the last replies reach the sink
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        server.stop()
        controller.stop()
    latencies = [(sink.arrived[n] - at) * 1000 for n, at in sent.items() if n in sink.arrived]
    connection = await asyncpg.connect(dsn)
    try:
        outcomes = dict(
            await connection.fetch("SELECT status, count(*) FROM inbound_emails GROUP BY status")
        )
        tickets = await connection.fetchval("SELECT count(*) FROM tickets")
    finally:
        await connection.close()
    return {
        "emails": len(batch),
        "smtp_senders": args.senders,
        "extra_workers": args.workers,
        "accepted_seconds": round(sending, 2),
        "accepted_per_second": round(len(batch) / sending, 1),
        "ingest_seconds": round(ingest, 2),
        "ingested_per_second": round(len(batch) / ingest, 1),
        "outcomes": outcomes,
        "tickets": tickets,
        "replies_sent": len(sent),
        "replies_arrived": len(latencies),
        "reply_to_smtp_ms": {**summary_ms(latencies), "p95": round(pct(latencies, 95), 2)}
        if latencies
        else None,
        "postgresql": version,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.email", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=8, help="SMTP connections at once")
    parser.add_argument("--workers", type=int, default=1, help="extra `supportdesk worker`s")
    parser.add_argument("--reply-every", type=float, default=1.0, help="seconds between replies")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    machine = machine_info()
    results = asyncio.run(run(args))
    date = dt.date.today().isoformat()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    out: Path = result_path(f"email-{date}-{commit}", "")
    out = out.with_name(out.name.replace("-.json", ".json"))
    report = {"machine": machine, "source": source_digest(), "commit": commit, **results}
    out.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {out.relative_to(ROOT)}")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
