"""Triage use cases outside the classifiers: what agents teach the model, the record of
LLM calls, and escalation's counts."""

from dataclasses import asdict
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.dialect import upsert
from supportdesk.llm import ProviderCall
from supportdesk.triage.llm.escalation import EscalationCounts
from supportdesk.triage.models import Correction, EscalationCount


class CorrectedTicket(Protocol):
    """The ticket an agent corrected, as it reads after the correction (tickets call into
    triage, so triage names only what it reads of one)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def priority(self) -> str: ...


async def record_correction(
    session: AsyncSession,
    ticket: CorrectedTicket,
    field: str,
    predicted: str,
    corrected: str,
    actor_user_id: int | None,
) -> None:
    """An agent overrode an AI label: keep the text, both labels and who, for retraining."""
    session.add(
        Correction(
            ticket_id=ticket.id,
            title=ticket.title,
            description=ticket.description,
            field=field,
            predicted=predicted,
            corrected=corrected,
            category=ticket.category,
            priority=ticket.priority,
            actor_user_id=actor_user_id,
        )
    )


async def prune_provider_calls(session: AsyncSession, before: datetime) -> int:
    """Forget LLM calls made before `before`; the record is for recent cost and health."""
    result = await session.execute(delete(ProviderCall).where(ProviderCall.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


async def add_escalation_counts(session: AsyncSession, day: date, counts: EscalationCounts) -> None:
    """Add one process's counts to the day's row, whoever else adds at the same time."""
    values = asdict(counts)
    statement = upsert(session, EscalationCount, key=["day"], add=values)
    await session.execute(statement, {"day": day, **values})


async def escalation_totals(session: AsyncSession) -> tuple[EscalationCounts, date | None]:
    """Every process's counts over all days saved, and the first such day."""
    names = list(asdict(EscalationCounts()))
    columns = [func.coalesce(func.sum(getattr(EscalationCount, name)), 0) for name in names]
    row = (await session.execute(select(*columns, func.min(EscalationCount.day)))).one()
    return EscalationCounts(**dict(zip(names, map(int, row[:-1]), strict=True))), row[-1]
