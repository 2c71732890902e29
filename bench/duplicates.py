"""Duplicate detection benchmark: the threshold, the LSH index's recall, query latency.

    uv run python -m bench.duplicates [--stored 10000] [--queries 300] [--timed 100]
                                      [--pg-admin-dsn postgresql://postgres@127.0.0.1/postgres]

1. Threshold. Embeds both sides of data/duplicates/pairs.csv (title + description, as the
   service does) and reports precision, recall and F1 per cosine threshold; the best F1
   wins (ties: the higher threshold). A bootstrap over the pairs shows how firm that is.
2. LSH recall. A synthetic store of --stored embeddings: the example bank, texts
   recombined from two bank tickets of one category, and noisy copies of both at cosine
   0.5-0.97 to their source (near duplicates of every difficulty). For --queries tickets
   of the store, brute force over the store at the threshold is the truth; recall is the
   share of those the LSH probes fetch. The configured index and some alternatives.
3. Latency. The same store as open tickets of the last 30 days (the worst case: the whole
   store is in the window) in a fresh SQLite file and a fresh PostgreSQL database;
   find_duplicates() for --timed stored tickets with each strategy. Also checks that
   both strategies return the same results in the database as in numpy.

Writes bench/results/duplicates-<date>.json and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
import numpy.typing as npt
from sqlalchemy import text

from bench.triage import machine, percentile
from supportdesk.config import ROOT, get_settings
from supportdesk.db import Database
from supportdesk.duplicates import lsh, service
from supportdesk.migrate import upgrade
from supportdesk.tickets.service import insert_many
from supportdesk.triage.base import ticket_text
from supportdesk.triage.model.embeddings import CachedEmbedder, load_embedder
from supportdesk.triage.training.bank import load_bank
from supportdesk.types import utcnow

RESULTS = Path(__file__).resolve().parent / "results"
PAIRS = ROOT / "data" / "duplicates" / "pairs.csv"
CACHE = Path(tempfile.gettempdir()) / "supportdesk-bench-duplicates-int8.npz"
Vectors = npt.NDArray[np.float32]
# (bands, bits, probe bits, max flips): plain banding, then multi-probe variants.
ALTERNATIVES = [
    (16, 8, 0, 0),
    (32, 12, 0, 0),
    (24, 14, 6, 2),
    (32, 16, 8, 2),
    (40, 16, 8, 2),
    (32, 13, 6, 2),
]


def embedder() -> CachedEmbedder:
    return CachedEmbedder(load_embedder(get_settings().triage.model_dir), CACHE)


# 1. Threshold ---------------------------------------------------------------------------


def read_pairs() -> list[dict[str, str]]:
    with PAIRS.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def scores_of(pairs: list[dict[str, str]]) -> tuple[npt.NDArray[np.float64], npt.NDArray[Any]]:
    model = embedder()
    a = model.embed([ticket_text(p["title_a"], p["description_a"]) for p in pairs])
    b = model.embed([ticket_text(p["title_b"], p["description_b"]) for p in pairs])
    labels = np.array([int(p["duplicate"]) for p in pairs])
    return (a * b).sum(axis=1).astype(np.float64), labels


def confusion(scores: Any, labels: Any, threshold: float) -> dict[str, float]:
    predicted = scores >= threshold
    tp = int((predicted & (labels == 1)).sum())
    fp = int((predicted & (labels == 0)).sum())
    fn = int((~predicted & (labels == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": precision, "recall": recall, "f1": f1, "fp": fp}


THRESHOLDS = [round(0.40 + 0.01 * i, 2) for i in range(51)]


def best_threshold(scores: Any, labels: Any) -> dict[str, float]:
    rows = [confusion(scores, labels, t) for t in THRESHOLDS]
    return max(rows, key=lambda row: (round(row["f1"], 6), row["threshold"]))


def tune_threshold() -> dict[str, Any]:
    pairs = read_pairs()
    scores, labels = scores_of(pairs)
    best = best_threshold(scores, labels)
    rng = np.random.default_rng(0)
    resampled = []
    for _ in range(1000):
        pick = rng.integers(0, len(pairs), len(pairs))
        resampled.append(best_threshold(scores[pick], labels[pick])["threshold"])
    wrong = [
        {
            "score": round(float(score), 3),
            "duplicate": int(label),
            "a": pair["title_a"] or pair["description_a"][:50],
            "b": pair["title_b"] or pair["description_b"][:50],
        }
        for pair, score, label in zip(pairs, scores, labels, strict=True)
        if (score >= best["threshold"]) != bool(label)
    ]
    return {
        "pairs": len(pairs),
        "duplicates": int(labels.sum()),
        "sweep": [
            confusion(scores, labels, t)
            for t in THRESHOLDS
            if round(t * 100) % 5 == 0 or 0.55 <= t <= 0.63
        ],
        "best": best,
        "at_service_threshold": confusion(scores, labels, service.THRESHOLD),
        "bootstrap_threshold_p5_p50_p95": [float(np.percentile(resampled, q)) for q in (5, 50, 95)],
        "positive_scores_p5_p50": [float(np.percentile(scores[labels == 1], q)) for q in (5, 50)],
        "negative_scores_p50_p95": [float(np.percentile(scores[labels == 0], q)) for q in (50, 95)],
        "wrong_at_best": sorted(wrong, key=lambda w: -w["score"]),
    }


# 2. Synthetic store and LSH recall ------------------------------------------------------


def _sentences(value: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", value) if s]


def synthetic_store(size: int) -> tuple[Vectors, list[tuple[str, str]], int]:
    """(vectors, (title, description) per vector, how many are real or recombined)."""
    bank = load_bank()
    rng = random.Random(7)
    by_category: dict[str, list[Any]] = {}
    for example in bank:
        by_category.setdefault(example.category, []).append(example)
    texts = [(e.title or e.description[:60], e.description) for e in bank]
    generated = min(3000, max(0, size // 3))
    while len(texts) < len(bank) + generated:
        a, b = rng.sample(by_category[rng.choice(sorted(by_category))], 2)
        first, second = _sentences(a.description), _sentences(b.description)
        mixed = " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2 :])
        texts.append((rng.choice([a.title, b.title]) or mixed[:60], mixed))
    base = embedder().embed([ticket_text(t, d) for t, d in texts])
    noise = np.random.default_rng(7)
    copies = max(0, size - len(base))
    source = noise.integers(0, len(base), copies)
    # A random direction of norm s*sqrt(DIM) added to a unit vector gives cosine
    # ~1/sqrt(1 + DIM*s^2): pick s for a cosine uniform in [0.5, 0.97].
    target = noise.uniform(0.5, 0.97, copies)
    scale = np.sqrt((1 / target**2 - 1) / lsh.DIM)[:, None]
    noisy = base[source] + noise.standard_normal((copies, lsh.DIM)) * scale
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    vectors = np.vstack([base, noisy]).astype(np.float32)[:size]
    texts += [(texts[i][0], f"{texts[i][1]} (copy {n})") for n, i in enumerate(source)]
    return vectors, texts[:size], min(len(base), size)


def lsh_recall(
    hasher: lsh.Hasher, store: Vectors, queries: Sequence[int], threshold: float
) -> dict[str, float]:
    codes = hasher.band_codes(store)
    found = truth = strong_found = strong_truth = fetched = 0
    for q in queries:
        scores = store @ store[q]
        scores[q] = -1
        hit = hasher.candidate_mask(codes, store[q])
        hit[q] = False
        relevant = scores >= threshold
        strong = scores >= threshold + 0.1
        found += int((hit & relevant).sum())
        truth += int(relevant.sum())
        strong_found += int((hit & strong).sum())
        strong_truth += int(strong.sum())
        fetched += int(hit.sum())
    return {
        "bands": hasher.bands,
        "bits": hasher.bits,
        "probes_per_query": hasher.bands * hasher.probes_per_band,
        "recall": found / truth,
        "recall_at_threshold_plus_0.1": strong_found / strong_truth,
        "truth_per_query": truth / len(queries),
        "candidate_share": fetched / len(queries) / len(store),
    }


# 3. Latency in the databases ------------------------------------------------------------


class NoEmbedding:
    """Every timed ticket is stored with its text's hash: nothing may be embedded."""

    def embed(self, texts: Sequence[str]) -> Vectors:
        raise AssertionError(f"unexpected embedding of {len(texts)} texts")


async def load_store(database: Database, store: Vectors, texts: list[tuple[str, str]]) -> None:
    now = utcnow()
    rng = np.random.default_rng(11)
    ages = rng.uniform(0, 29 * 86400, len(store))
    categories = ["billing", "technical", "account", "general"]
    titles = [title[:200].strip() or "Ticket" for title, _ in texts]
    for start in range(0, len(store), 1000):
        rows = []
        for i in range(start, min(start + 1000, len(store))):
            created = now - timedelta(seconds=float(ages[i]))
            rows.append(
                {
                    "id": i + 1,
                    "title": titles[i],
                    "description": texts[i][1],
                    "category": categories[i % 4],
                    "priority": "medium",
                    "status": "open",
                    "created_at": created,
                    "updated_at": created,
                }
            )
        async with database.transaction() as session:
            await insert_many(session, rows, with_workflow=False)
    for start in range(0, len(store), 500):
        ids = list(range(start + 1, min(start + 500, len(store)) + 1))
        hashes = [service.text_hash(ticket_text(titles[i - 1], texts[i - 1][1])) for i in ids]
        async with database.transaction() as session:
            await service.store(session, ids, store[start : start + len(ids)], hashes)


async def analyze(database: Database) -> None:
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        statement = "VACUUM ANALYZE" if database.dialect == "postgresql" else "ANALYZE"
        await autocommit.execute(text(statement))


async def lsh_plan(database: Database, query: Vectors, exclude: int) -> list[str]:
    """The plan of the service's own LSH candidate query: are the band indexes used?"""
    params = service.candidate_params(query, utcnow() - service.WINDOW, "lsh", exclude)
    statement = service.CANDIDATE_STATEMENTS["lsh"].params(**params)
    sql = str(
        statement.compile(dialect=database.engine.dialect, compile_kwargs={"literal_binds": True})
    )
    explain = "EXPLAIN ANALYZE" if database.dialect == "postgresql" else "EXPLAIN QUERY PLAN"
    async with database.transaction() as session:
        rows = (await session.execute(text(f"{explain} {sql}"))).all()
    if database.dialect == "postgresql":
        return [row[0] for row in rows]
    return [str(row[-1]) for row in rows]


async def time_queries(
    database: Database, store: Vectors, queries: Sequence[int]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    results: dict[str, list[list[int]]] = {}
    for strategy in ("exact", "lsh"):
        latencies, found = [], []
        for n, q in enumerate([*queries[:10], *queries]):
            started = time.perf_counter()
            async with database.transaction() as session:
                duplicates = await service.find_duplicates(
                    session, q + 1, NoEmbedding(), strategy=strategy, limit=service.MAX_LIMIT
                )
            if n >= 10:  # the first ten warm the caches
                latencies.append((time.perf_counter() - started) * 1000)
                found.append([d.ticket.id - 1 for d in duplicates])
        results[strategy] = found
        out[strategy] = {
            "p50_ms": statistics.median(latencies),
            "p95_ms": percentile(latencies, 0.95),
            "mean_ms": statistics.fmean(latencies),
        }
    exact = [set(ids) for ids in results["exact"]]
    lsh_found = [set(ids) for ids in results["lsh"]]
    out["lsh_recall_vs_exact_in_db"] = sum(
        len(e & f) for e, f in zip(exact, lsh_found, strict=True)
    ) / max(1, sum(len(e) for e in exact))
    # The database's brute force must agree with numpy's (ids of the top MAX_LIMIT).
    agree = 0
    for q, ids in zip(queries, results["exact"], strict=True):
        scores = store @ store[q]
        scores[q] = -1
        above = np.flatnonzero(scores >= service.THRESHOLD)
        top = sorted(above, key=lambda i: (-scores[i], i))[: service.MAX_LIMIT]
        agree += int([int(i) for i in top] == ids)
    out["exact_matches_numpy"] = agree / len(queries)
    return out


async def measure_database(
    url: str, store: Vectors, texts: list[tuple[str, str]], queries: Sequence[int]
) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, url)
    database = Database(url)
    try:
        started = time.perf_counter()
        await load_store(database, store, texts)
        load_s = time.perf_counter() - started
        await analyze(database)
        timings = await time_queries(database, store, queries)
        plan = await lsh_plan(database, store[queries[0]], queries[0] + 1)
        return {"load_s": load_s, **timings, "lsh_plan": plan}
    finally:
        await database.dispose()


async def measure_postgresql(
    admin_dsn: str, store: Vectors, texts: list[tuple[str, str]], queries: Sequence[int]
) -> dict[str, Any]:
    name = f"supportdesk_bench_dup_{uuid.uuid4().hex[:8]}"
    host = admin_dsn.rsplit("/", 1)[0].split("://", 1)[1]
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            return await measure_database(
                f"postgresql+asyncpg://{host}/{name}", store, texts, queries
            )
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


# ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--timed", type=int, default=100)
    parser.add_argument("--pg-admin-dsn", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-db", action="store_true", help="skip the latency part")
    args = parser.parse_args()

    threshold = tune_threshold()
    store, texts, real = synthetic_store(args.stored)
    pick = np.random.default_rng(1)
    queries = [int(q) for q in pick.choice(real, min(args.queries, real), replace=False)]
    configured = lsh_recall(lsh.HASHER, store, queries, service.THRESHOLD)
    alternatives = [
        lsh_recall(lsh.Hasher(*config), store, queries, service.THRESHOLD)
        | {"probe_bits": config[2], "max_flips": config[3]}
        for config in ALTERNATIVES
    ]
    results: dict[str, Any] = {
        "machine": machine(),
        "threshold": threshold,
        "service_threshold": service.THRESHOLD,
        "store": {"size": len(store), "real_or_recombined": real, "queries": len(queries)},
        "lsh": configured | {"probe_bits": lsh.PROBE_BITS, "max_flips": lsh.MAX_FLIPS},
        "lsh_alternatives": alternatives,
    }
    if not args.no_db:
        timed = queries[: args.timed]
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
            results["sqlite"] = asyncio.run(measure_database(sqlite_url, store, texts, timed))
        results["postgresql"] = asyncio.run(
            measure_postgresql(args.pg_admin_dsn, store, texts, timed)
        )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"duplicates-{time.strftime('%Y-%m-%d')}.json"
    path.write_text(json.dumps(results, indent=2, default=float))
    report(results)
    print(f"\nwritten to {path.relative_to(ROOT)}", file=sys.stderr)


def report(results: dict[str, Any]) -> None:
    t = results["threshold"]
    best = t["best"]
    print(f"machine: {results['machine']}")
    print(f"\n## Threshold ({t['pairs']} pairs, {t['duplicates']} duplicates)\n")
    print("| threshold | precision | recall | F1 | false positives |\n|---:|---:|---:|---:|---:|")
    for row in t["sweep"]:
        print(
            f"| {row['threshold']:.2f} | {row['precision']:.3f} | {row['recall']:.3f} "
            f"| {row['f1']:.3f} | {row['fp']} |"
        )
    print(
        f"\nbest F1 at {best['threshold']:.2f}: precision {best['precision']:.3f}, "
        f"recall {best['recall']:.3f}, F1 {best['f1']:.3f}; bootstrap p5/p50/p95 of the "
        f"chosen threshold: {t['bootstrap_threshold_p5_p50_p95']}; service uses "
        f"{results['service_threshold']}"
    )
    print("\nwrong at the best threshold:")
    for w in t["wrong_at_best"]:
        print(f"  {w['score']:.3f} dup={w['duplicate']}  {w['a']}  |  {w['b']}")
    store = results["store"]
    print(
        f"\n## LSH recall ({store['size']} stored, {store['queries']} queries, "
        f"threshold {results['service_threshold']})\n"
    )
    print(
        "| bands x bits | flips (of weakest) | probes | recall | recall ≥ T+0.1 "
        "| fetched |\n|---|---|---:|---:|---:|---:|"
    )
    for row in [results["lsh"], *results["lsh_alternatives"]]:
        mark = " (used)" if row is results["lsh"] else ""
        print(
            f"| {row['bands']} x {row['bits']}{mark} | ≤{row['max_flips']} of "
            f"{row['probe_bits']} | {row['probes_per_query']} | {row['recall']:.3f} "
            f"| {row['recall_at_threshold_plus_0.1']:.3f} | {row['candidate_share']:.1%} |"
        )
    for backend in ("sqlite", "postgresql"):
        if backend not in results:
            continue
        r = results[backend]
        print(f"\n## {backend}: find_duplicates over {store['size']} open tickets\n")
        for strategy in ("exact", "lsh"):
            s = r[strategy]
            print(
                f"- {strategy}: p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, "
                f"mean {s['mean_ms']:.1f} ms"
            )
        print(
            f"- LSH recall vs brute force, in the database (top {service.MAX_LIMIT}): "
            f"{r['lsh_recall_vs_exact_in_db']:.3f}; brute force == numpy: "
            f"{r['exact_matches_numpy']:.0%}; load {r['load_s']:.0f} s"
        )
        print("- LSH query plan (band index lines folded):")
        for line in fold_plan(r["lsh_plan"]):
            print(f"    {line}")


def fold_plan(lines: list[str]) -> list[str]:
    """The plan without the 32 near-identical per-band branches and their value lists."""
    kept: list[str] = []
    bands = 0
    for line in lines:
        if "band_" in line and ("Scan" in line or "SEARCH" in line):
            bands += 1
            if bands > 1:
                continue
        if "band_" in line and ("Cond:" in line or "Filter:" in line):
            continue
        if "Heap Fetches" in line or (kept and line.strip() == kept[-1].strip()):
            continue
        kept.append(line[:130])
    return [*kept, f"({bands} band index scans in all)"]


if __name__ == "__main__":
    main()
