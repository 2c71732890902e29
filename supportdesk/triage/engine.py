"""The triage engine of one process: which classifier serves, and keeping it current.

The database is the source of truth for the active model version, so every API process
and worker serves the same heads; each checks for a newer active version now and then,
and adds what its escalation counted to the shared counts.
"""

import asyncio
import contextlib
import logging
from typing import Any

from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.llm import CircuitBreaker, DatabaseCallRecorder
from supportdesk.triage import service
from supportdesk.triage.base import Classifier
from supportdesk.triage.batch import BatchAnswer, TicketText, Vector, classify_batch
from supportdesk.triage.llm import EscalatingClassifier, build_llm_classifier
from supportdesk.triage.model.embeddings import ModelNotBuiltError, TextEmbedder, load_embedder
from supportdesk.triage.model.job_embedder import SharedCpuEmbedder
from supportdesk.triage.model.local import LocalClassifier
from supportdesk.triage.rules import RuleClassifier
from supportdesk.triage.training import versions
from supportdesk.types import utcnow

log = logging.getLogger(__name__)


def _log_failure(task: "asyncio.Task[Any]") -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background retrain failed", exc_info=task.exception())


class TriageEngine:
    def __init__(
        self, settings: Settings, database: Database, *, serves_requests: bool = False
    ) -> None:
        self.settings = settings
        self.database = database
        # An API process that also runs jobs gives its requests precedence for the model.
        self._jobs_yield_cpu = serves_requests and settings.jobs.in_process
        self.embedder: TextEmbedder | None = None
        self.local: LocalClassifier | None = None
        self.classifier: Classifier = RuleClassifier(settings.triage.review_threshold)
        self.problem: str | None = None
        self._reloader: asyncio.Task[None] | None = None
        self._retraining = asyncio.Lock()

    async def start(self) -> None:
        try:
            embedder = await asyncio.to_thread(load_embedder, self.settings.triage.model_dir)
            self.embedder = embedder
            if self._jobs_yield_cpu:
                self.embedder = SharedCpuEmbedder(embedder, self.settings.jobs.worker_nice)
            async with self.database.transaction() as session:
                active = await versions.active_model(session, self.settings.triage.heads_dir)
        except (ModelNotBuiltError, FileNotFoundError) as exc:
            self.problem = f"local model unavailable ({exc}); answering with rules"
            log.warning(self.problem)
        else:
            self.local = LocalClassifier(
                self.embedder, active.heads, active.version, self.settings.triage.review_threshold
            )
        fallback: Classifier = self.local or self.classifier
        llm = build_llm_classifier(
            self.settings.llm,
            fallback,
            recorder=DatabaseCallRecorder(self.database),
            breaker=CircuitBreaker(
                self.settings.llm.circuit_failures,
                self.settings.llm.circuit_cooldown_seconds,
                name="LLM triage",
            ),
            escalation_threshold=self.settings.triage.escalation_threshold,
        )
        self.classifier = llm or fallback
        if self.local is not None or isinstance(self.classifier, EscalatingClassifier):
            self._reloader = asyncio.create_task(self._upkeep())

    async def classify_batch(
        self, tickets: list[TicketText], vectors: dict[int, Vector] | None = None
    ) -> list[BatchAnswer]:
        """Many tickets at once, as batch analysis does: see `triage.batch`."""
        return await classify_batch(self.local, self.classifier, tickets, vectors)

    async def stop(self) -> None:
        if isinstance(self.embedder, SharedCpuEmbedder):
            self.embedder.close()
        if self._reloader is not None:
            self._reloader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reloader
        try:
            await self.save_escalation_counts()
        except Exception:
            log.exception("could not save the escalation counts at shut-down")

    async def reload(self) -> None:
        """Serve the active version's heads if another process (or a retrain) changed it."""
        if self.local is None:
            return
        async with self.database.transaction() as session:
            active = await versions.active_model(session, self.settings.triage.heads_dir)
        if active.version != self.local.version:
            log.info("triage model %s -> %s", self.local.version, active.version)
            self.local.heads, self.local.version = active.heads, active.version

    async def save_escalation_counts(self) -> None:
        """Add what this process's escalation counted since the last save to the database."""
        if not isinstance(self.classifier, EscalatingClassifier):
            return
        counts = self.classifier.unsaved()
        if counts:
            async with self.database.transaction() as session:
                await service.add_escalation_counts(session, utcnow().date(), counts)
            self.classifier.mark_saved(counts)

    async def _upkeep(self) -> None:
        """Follow the active model version, and save the escalation counts."""
        while True:
            await asyncio.sleep(self.settings.triage.reload_seconds)
            try:
                await self.reload()
                await self.save_escalation_counts()
            except Exception:  # a database hiccup must not end the loop
                log.exception("triage upkeep failed; retrying")

    async def retrain(self) -> dict[str, Any]:
        """Train a new version now (one at a time in this process) and serve it if active."""
        if self.embedder is None:
            raise ModelNotBuiltError("the embedding model is not built; run `make model`")
        async with self._retraining, self.database.transaction() as session:
            version = await versions.retrain(
                session,
                self.embedder,
                self.settings.triage.heads_dir,
                ignored=self.settings.triage.ignore_corrections_from,
            )
            result = {
                "version": f"v{version.id}",
                "active": version.active,
                "metrics": version.metrics,
                "note": version.note,
            }
        await self.reload()
        return result

    async def retrain_if_due(self) -> None:
        """Called after a correction: retrain in the background once enough have piled up."""
        if self.embedder is None or self._retraining.locked():
            return
        async with self.database.transaction() as session:
            pending = await versions.corrections_not_trained_on(session)
        if pending >= self.settings.triage.retrain_after:
            task = asyncio.create_task(self.retrain())
            task.add_done_callback(_log_failure)

    def status(self) -> dict[str, Any]:
        status_of = getattr(self.classifier, "status", None)
        return {
            "classifier": self.classifier.name,
            "model_version": self.local.version if self.local else None,
            "problem": self.problem,
            "provider": status_of() if callable(status_of) else None,
        }
