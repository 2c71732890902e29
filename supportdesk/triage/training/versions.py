"""Model versions: train, judge on the held-out bank, activate only if not worse, roll back."""

import asyncio
import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.errors import Conflict
from supportdesk.taxonomy import Category, Priority
from supportdesk.triage.model.embeddings import MAX_TOKENS, CachedEmbedder, TextEmbedder
from supportdesk.triage.model.heads import Heads
from supportdesk.triage.model.local import LocalClassifier
from supportdesk.triage.models import Correction, ModelVersion
from supportdesk.triage.training.bank import (
    Example,
    bank_digest,
    load_bank,
    split_bank,
    training_code_digest,
)
from supportdesk.triage.training.evaluation import judge
from supportdesk.triage.training.fit import train_heads

log = logging.getLogger(__name__)

BASE_VERSION = "base"


@dataclass(frozen=True)
class ActiveModel:
    version: str
    heads: Heads


def evaluate(embedder: TextEmbedder, heads: Heads, examples: Sequence[Example]) -> dict[str, Any]:
    """Held-out figures that decide whether a version may be activated."""
    classifier = LocalClassifier(embedder, heads, "candidate", review_threshold=0.0)
    figures = judge(
        examples, classifier.classify_many([(e.title, e.description) for e in examples])
    )
    priority, within = figures.priority, figures.priority_within_one
    return {
        "examples": len(examples),
        "category_accuracy": round(figures.category.accuracy, 4),
        "category_macro_f1": round(figures.category.macro_f1, 4),
        "category_calibration_error": round(figures.category_calibration_error, 4),
        "priority_accuracy": round(priority.accuracy, 4) if priority else 0.0,
        "priority_within_one": round(within, 4) if within is not None else 0.0,
        "priority_calibration_error": round(figures.priority_calibration_error or 0.0, 4),
    }


def _quality(metrics: dict[str, Any]) -> float:
    return float(metrics["category_accuracy"]) + float(metrics["priority_accuracy"])


# Worse means worse by more than about one held-out ticket: a single flip among ~200 is
# noise, and refusing it would stop every retrain that only adds a few corrections.
TOLERANCE = 0.01


def cached(embedder: TextEmbedder, heads_dir: Path) -> TextEmbedder:
    # Vectors depend on the model and how much of a text is read: either starts a new cache.
    return CachedEmbedder(embedder, heads_dir / f"embedding-cache-int8-{MAX_TOKENS}.npz")


def build_base(embedder: TextEmbedder, heads_dir: Path) -> dict[str, Any]:
    """Train the shipped heads on the bank's training part; written to heads_dir/base.*"""
    training, held_out = split_bank(load_bank())
    embedder = cached(embedder, heads_dir)
    heads = train_heads(embedder, training)
    metrics = {
        **evaluate(embedder, heads, held_out),
        "trained_on": len(training),
        "bank": bank_digest(),
    }
    heads_dir.mkdir(parents=True, exist_ok=True)
    (heads_dir / "base.npz").write_bytes(heads.to_bytes())
    (heads_dir / "base.json").write_text(json.dumps(metrics, indent=2))
    return metrics


def base_is_current(heads_dir: Path) -> bool:
    described = heads_dir / "base.json"
    return (
        (heads_dir / "base.npz").is_file()
        and described.is_file()
        and (json.loads(described.read_text()).get("bank") == bank_digest())
    )


def load_base(heads_dir: Path) -> ActiveModel:
    return ActiveModel(BASE_VERSION, Heads.from_bytes((heads_dir / "base.npz").read_bytes()))


async def _active_row(session: AsyncSession) -> ModelVersion | None:
    """The active retrained version, if the code that trained it is the code running now."""
    row = await session.scalar(select(ModelVersion).where(ModelVersion.active))
    if row is not None and row.metrics.get("training_code") != training_code_digest():
        # An upgrade changed how features are read: the shipped heads (rebuilt by `make`)
        # serve until the next retrain, which learns the corrections again.
        _warn_trained_elsewhere(row.id)
        return None
    return row


@functools.cache  # once per version and process, not at every reload
def _warn_trained_elsewhere(version_id: int) -> None:
    log.warning("v%s was trained by other code; serving the shipped heads", version_id)


async def active_model(session: AsyncSession, heads_dir: Path) -> ActiveModel:
    row = await _active_row(session)
    if row is None:
        return load_base(heads_dir)
    return ActiveModel(f"v{row.id}", Heads.from_bytes(row.heads))


async def active_metrics(session: AsyncSession, heads_dir: Path) -> dict[str, Any]:
    row = await _active_row(session)
    return dict(row.metrics) if row is not None else load_base_metrics(heads_dir)


async def metrics_of(session: AsyncSession, version: str, heads_dir: Path) -> dict[str, Any]:
    """The held-out figures of `version` ("base" or "v<id>"), e.g. the one a process serves."""
    if version == BASE_VERSION:
        return load_base_metrics(heads_dir)
    metrics = await session.scalar(
        select(ModelVersion.metrics).where(ModelVersion.id == int(version.removeprefix("v")))
    )
    return dict(metrics) if metrics is not None else {}


def load_base_metrics(heads_dir: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((heads_dir / "base.json").read_text())
    return loaded


async def corrections_not_trained_on(session: AsyncSession) -> int:
    """Corrections newer than the last version trained, activated or not: counting from the
    active one would retrain again on every correction after a version was refused."""
    last_trained = await session.scalar(select(func.max(ModelVersion.created_at)))
    statement = select(func.count(Correction.id))
    if last_trained is not None:
        statement = statement.where(Correction.created_at > last_trained)
    return int(await session.scalar(statement) or 0)


async def retrain(
    session: AsyncSession, embedder: TextEmbedder, heads_dir: Path, ignored: Sequence[int] = ()
) -> ModelVersion:
    """Train on the bank's training part plus every correction but those of the `ignored`
    staff users; activate if not worse."""
    training, held_out = split_bank(load_bank())
    statement = select(Correction).order_by(Correction.id)
    if ignored:
        statement = statement.where(
            or_(Correction.actor_user_id.is_(None), Correction.actor_user_id.not_in(ignored))
        )
    corrections = list(await session.scalars(statement))
    learned = [
        Example(c.title, c.description, Category(c.category), Priority(c.priority))
        for c in corrections
    ]
    embedder = cached(embedder, heads_dir)

    def train_and_evaluate() -> tuple[Heads, dict[str, Any]]:
        heads = train_heads(embedder, training + learned)
        return heads, evaluate(embedder, heads, held_out)

    # Seconds of embedding and fitting: on a thread, so the server's event loop (API
    # requests, event streams) keeps running meanwhile.
    heads, metrics = await asyncio.to_thread(train_and_evaluate)
    metrics["training_code"] = training_code_digest()
    current = await active_metrics(session, heads_dir)
    better = _quality(metrics) >= _quality(current) - TOLERANCE
    version = ModelVersion(
        heads=heads.to_bytes(),
        metrics=metrics,
        examples=len(training) + len(learned),
        corrections=len(learned),
        active=better,
        note="activated" if better else "not activated: scores worse on the held-out bank",
    )
    if better:
        await session.execute(update(ModelVersion).values(active=False))
    session.add(version)
    await session.flush()
    return version


async def rollback(session: AsyncSession) -> str:
    """Activate the version before the active one (the base heads when there is none)."""
    active = await session.scalar(select(ModelVersion).where(ModelVersion.active))
    if active is None:
        raise Conflict("the base model is active; there is nothing to roll back to")
    previous = await session.scalar(
        select(ModelVersion)
        .where(ModelVersion.id < active.id, ModelVersion.note == "activated")
        .order_by(ModelVersion.id.desc())
    )
    active.active = False
    if previous is not None:
        previous.active = True
    await session.flush()
    return f"v{previous.id}" if previous else BASE_VERSION


async def list_versions(session: AsyncSession) -> list[ModelVersion]:
    return list(await session.scalars(select(ModelVersion).order_by(ModelVersion.id)))
