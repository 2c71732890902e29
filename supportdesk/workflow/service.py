"""Workflow use cases on stored tickets. Takes a session and plain values; never commits,
never imports FastAPI.

Writes are upserts keyed by ticket id and happen only when something changed, so running
the workflow twice leaves the same rows (timestamps included). A draft an agent edited is
never overwritten by the workflow, even by a run that started before the edit: the write
itself carries the condition.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from supportdesk.audit.service import SYSTEM, By, Change, record
from supportdesk.conversations import service as conversations
from supportdesk.dialect import upsert
from supportdesk.errors import Conflict
from supportdesk.events.broker import publish
from supportdesk.sla import service as sla
from supportdesk.taxonomy import Category, Priority, Tone
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.triage.base import Classifier, ticket_text
from supportdesk.types import utcnow
from supportdesk.workflow.drafts.template import Draft, DraftRequest, DraftSource, Turn
from supportdesk.workflow.extraction.extract import extract_facts, missing_facts
from supportdesk.workflow.extraction.facts import Fact
from supportdesk.workflow.models import TicketDraft, TicketFacts, TicketRouting
from supportdesk.workflow.pipeline import (
    Assessment,
    Classification,
    WorkflowSetup,
    assess,
    describe,
)
from supportdesk.workflow.routing.route import RoutingDecision

Row = type[TicketFacts] | type[TicketDraft] | type[TicketRouting]

# Whether a new draft may replace an agent's edit: never (False), always (True: the agent
# asked for it), or only the edit saved at this time (one made after it is kept).
Replaces = bool | datetime


@dataclass(frozen=True)
class TicketWorkflow:
    ticket_id: int
    team: str | None
    due_at: datetime | None
    sla_breached: bool
    facts: TicketFacts | None
    routing: TicketRouting | None
    draft: TicketDraft | None

    def fact_list(self) -> list[Fact]:
        return [Fact.from_json(f) for f in self.facts.fields] if self.facts else []


# --- text only: nothing stored -------------------------------------------------------------


async def classify_text(classifier: Classifier, subject: str, body: str) -> Classification:
    suggestion = await classifier.classify(subject, body)
    return describe(suggestion, ticket_text(subject, body))


def extract_text(
    setup: WorkflowSetup,
    subject: str,
    body: str,
    category: Category | None = None,
    contact_email: str | None = None,
) -> tuple[list[Fact], list[str]]:
    """The facts in a text, and what its category still needs (none without a category)."""
    facts = extract_facts(
        ticket_text(subject, body),
        today=utcnow().date(),
        phone_region=setup.phone_region,
        day_first=setup.day_first,
    )
    missing = missing_facts(category, facts, contact_email=contact_email) if category else []
    return facts, missing


async def process_text(
    setup: WorkflowSetup,
    classifier: Classifier,
    *,
    subject: str,
    body: str,
    contact_email: str | None = None,
    tone: Tone | None = None,
    with_draft: bool = True,
) -> tuple[Classification, Assessment]:
    """Classify with the app's triage classifier, then run the offline workflow."""
    classification = await classify_text(classifier, subject, body)
    suggestion = classification.suggestion
    assessment = await assess(
        setup,
        subject=subject,
        body=body,
        category=suggestion.category,
        priority=suggestion.priority,
        created_at=utcnow(),
        tone=tone,
        secondary=classification.secondary_categories,
        contact_email=contact_email,
        with_draft=with_draft,
    )
    return classification, assessment


# --- stored tickets ------------------------------------------------------------------------


async def _upsert(
    session: AsyncSession,
    model: Row,
    values: dict[str, Any],
    update_columns: tuple[str, ...],
    where: ColumnElement[bool] | None = None,
) -> None:
    """INSERT, or on a ticket_id conflict UPDATE `update_columns` (when `where` holds)."""
    statement = upsert(session, model, key=["ticket_id"], replace=update_columns, where=where)
    await session.execute(statement, values)


async def _save_facts(
    session: AsyncSession, ticket_id: int, facts: list[Fact], now: datetime
) -> None:
    fields = [f.as_json() for f in facts]
    row = await session.get(TicketFacts, ticket_id)
    if row is not None and row.fields == fields:
        return
    values = {"ticket_id": ticket_id, "fields": fields, "extracted_at": now}
    await _upsert(session, TicketFacts, values, ("fields", "extracted_at"))


async def _save_routing(
    session: AsyncSession, ticket_id: int, decision: RoutingDecision, now: datetime
) -> None:
    values: dict[str, Any] = {
        "ticket_id": ticket_id,
        "team": decision.team,
        "alternatives": list(decision.alternatives),
        "reasoning": decision.reasoning,
        "decided_at": now,
    }
    row = await session.get(TicketRouting, ticket_id)
    if row is not None and (row.team, row.alternatives, row.reasoning) == (
        values["team"],
        values["alternatives"],
        values["reasoning"],
    ):
        return
    await _upsert(
        session, TicketRouting, values, ("team", "alternatives", "reasoning", "decided_at")
    )


async def _save_ticket_fields(
    session: AsyncSession, ticket: Ticket, decision: RoutingDecision, now: datetime
) -> None:
    """The team on the ticket row (only if it differs), then its SLA due time on that
    team's calendar. `updated_at` is left alone: it records a person's change, and the
    workflow's derived fields are not one."""
    if ticket.team != decision.team:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id)
            .values(team=decision.team, updated_at=Ticket.updated_at)
            .execution_options(synchronize_session=False)
        )
        record(
            session,
            Change(
                "ticket.routed",
                SYSTEM,
                ticket_id=ticket.id,
                changes={"team": [ticket.team, decision.team]},
                detail=decision.reasoning,
            ),
        )
        set_committed_value(ticket, "team", decision.team)
    await sla.refresh_ticket(session, ticket.id, now)


async def _save_draft(
    session: AsyncSession, ticket_id: int, draft: Draft, now: datetime, replace_edited: Replaces
) -> None:
    row = await session.get(TicketDraft, ticket_id)
    if (
        row is not None
        and not row.edited
        and (row.content, row.tone, row.suggested_actions, row.source, row.review_reason)
        == (
            draft.content,
            draft.tone.value,
            draft.suggested_actions,
            draft.source.value,
            draft.review_reason,
        )
    ):
        return
    values = {
        "ticket_id": ticket_id,
        "content": draft.content,
        "tone": draft.tone.value,
        "suggested_actions": draft.suggested_actions,
        "source": draft.source.value,
        "edited": False,
        "updated_at": now,
        "review_reason": draft.review_reason,
        # New words: a teammate's review was asked for the old ones.
        "review_requested_by": None,
        "review_requested_at": None,
    }
    columns = (
        "content",
        "tone",
        "suggested_actions",
        "source",
        "edited",
        "updated_at",
        "review_reason",
        "review_requested_by",
        "review_requested_at",
    )
    # In the statement itself, so an edit saved while this ran is never overwritten.
    automatic = and_(TicketDraft.edited.is_(False), TicketDraft.source != DraftSource.LLM.value)
    where: ColumnElement[bool] | None = None
    if isinstance(replace_edited, datetime):
        where = or_(automatic, TicketDraft.updated_at == replace_edited)
    elif not replace_edited:
        where = automatic
    await _upsert(session, TicketDraft, values, columns, where)


def _someones(draft: TicketDraft) -> bool:
    """An agent's edit, or an LLM draft an agent asked for (and paid for): the automatic
    workflow keeps either; only a new request replaces it."""
    return draft.edited or draft.source == DraftSource.LLM.value


async def _assess_ticket(
    setup: WorkflowSetup,
    ticket: Ticket,
    current: TicketDraft | None,
    tone: Tone | None,
    thread: Sequence[Turn],
    *,
    with_draft: bool,
) -> Assessment:
    """The offline workflow on a stored ticket; without a chosen tone, the stored draft's."""
    if tone is None:
        tone = Tone(current.tone) if current is not None else setup.default_tone
    return await assess(
        setup,
        subject=ticket.title,
        body=ticket.description,
        category=Category(ticket.category),
        priority=Priority(ticket.priority),
        created_at=ticket.created_at,
        tone=tone,
        thread=thread,
        with_draft=with_draft,
    )


async def _public_thread(session: AsyncSession, ticket_id: int) -> list[Turn]:
    """The public conversation after the description (internal notes never reach a draft
    meant for the customer)."""
    found = await conversations.thread(session, ticket_id, public_only=True)
    return [
        Turn("customer" if entry.kind == "customer" else "agent", entry.body)
        for entry in found.messages[1:]
    ]


async def process_ticket(
    session: AsyncSession,
    ticket_id: int,
    setup: WorkflowSetup,
    *,
    tone: Tone | None = None,
    replace_edited: Replaces = False,
    now: datetime | None = None,
) -> None:
    """Extract facts, route with its SLA, draft a reply, and store all three. An edited
    draft is kept unless `replace_edited` (an agent asked for a new one). Raises NotFound."""
    ticket = await tickets.get_ticket(session, ticket_id)
    now = now or utcnow()
    current = await session.get(TicketDraft, ticket_id)
    replaces_current = replace_edited is True or (
        current is not None and replace_edited == current.updated_at
    )
    keep_draft = current is not None and _someones(current) and not replaces_current
    thread = await _public_thread(session, ticket_id)
    assessment = await _assess_ticket(
        setup, ticket, current, tone, thread, with_draft=not keep_draft
    )
    await _save_facts(session, ticket_id, assessment.facts, now)
    await _save_routing(session, ticket_id, assessment.decision, now)
    team_before = ticket.team
    await _save_ticket_fields(session, ticket, assessment.decision, now)
    if ticket.team != team_before:
        await tickets.after_routing(session, ticket)
    if assessment.draft is not None:
        await _save_draft(session, ticket_id, assessment.draft, now, replace_edited)


@dataclass(frozen=True)
class DraftPlan:
    request: DraftRequest
    # The stored draft this new one replaces (an edit or an earlier LLM draft), by its time:
    # a different edit saved while the new one is written is kept.
    replaces: datetime | None


async def plan_draft(
    session: AsyncSession, ticket_id: int, setup: WorkflowSetup, tone: Tone | None
) -> DraftPlan:
    """What a draft written outside the workflow (by an LLM, streamed) starts from: the
    ticket's facts and routing, in the chosen tone or the stored draft's. Raises NotFound."""
    ticket = await tickets.get_ticket(session, ticket_id)
    current = await session.get(TicketDraft, ticket_id)
    thread = await _public_thread(session, ticket_id)
    assessment = await _assess_ticket(setup, ticket, current, tone, thread, with_draft=False)
    # An automatic draft is replaced anyway; the ones the workflow keeps only by their time.
    kept = current.updated_at if current is not None and _someones(current) else None
    return DraftPlan(assessment.draft_request, kept)


async def get_workflow(session: AsyncSession, ticket_id: int) -> TicketWorkflow:
    """What the workflow stored for a ticket (parts it has not produced yet are None)."""
    ticket = await tickets.get_ticket(session, ticket_id)
    # One statement for the three rows (the ticket page reads this on every open);
    # populate_existing: they may have been written by Core statements in this session.
    found = await session.execute(
        select(TicketFacts, TicketRouting, TicketDraft)
        .select_from(Ticket)
        .outerjoin(TicketFacts, TicketFacts.ticket_id == Ticket.id)
        .outerjoin(TicketRouting, TicketRouting.ticket_id == Ticket.id)
        .outerjoin(TicketDraft, TicketDraft.ticket_id == Ticket.id)
        .where(Ticket.id == ticket_id)
        .execution_options(populate_existing=True)
    )
    facts, routing, draft = found.one()
    return TicketWorkflow(
        ticket_id=ticket.id,
        team=ticket.team,
        due_at=ticket.due_at,
        sla_breached=ticket.sla_breached,
        facts=facts,
        routing=routing,
        draft=draft,
    )


async def edit_draft(
    session: AsyncSession, ticket_id: int, setup: WorkflowSetup, content: str, tone: Tone
) -> TicketWorkflow:
    """An agent's own text: stored as edited, so the workflow no longer replaces it.

    The stored text sent back in another tone is a tone change, not an edit: the draft is
    rewritten in that tone (saving it as edited would keep the old wording for good)."""
    await tickets.get_ticket(session, ticket_id)
    current = await session.get(TicketDraft, ticket_id)
    if current is not None and current.content == content and current.tone != tone.value:
        return await regenerate_draft(session, ticket_id, setup, tone)
    values = {
        "ticket_id": ticket_id,
        "content": content,
        "tone": tone.value,
        "suggested_actions": [],
        "source": "template",
        "edited": True,
        "updated_at": utcnow(),
        "review_reason": None,  # the agent has read and written it
    }
    columns = ("content", "tone", "edited", "updated_at", "review_reason")
    await _upsert(session, TicketDraft, values, columns)
    return await get_workflow(session, ticket_id)


async def regenerate_draft(
    session: AsyncSession, ticket_id: int, setup: WorkflowSetup, tone: Tone | None
) -> TicketWorkflow:
    """Throw away the current draft (edited or not) and write a fresh one from the facts."""
    await process_ticket(session, ticket_id, setup, tone=tone, replace_edited=True)
    return await get_workflow(session, ticket_id)


# --- shared drafts -----------------------------------------------------------------------


async def set_review(
    session: AsyncSession, ticket_id: int, ready: bool, user_id: int | None, by: By
) -> TicketDraft:
    """Mark the ticket's draft ready for a teammate's review (or withdraw that); it stays
    marked until withdrawn, or until a public reply goes out. 409 without a draft."""
    await tickets.get_ticket(session, ticket_id)
    draft = await session.get(TicketDraft, ticket_id, with_for_update=True)
    if draft is None:
        raise Conflict(f"ticket {ticket_id} has no draft yet to review")
    marked = draft.review_requested_at is not None
    if ready != marked:
        draft.review_requested_by = user_id if ready else None
        draft.review_requested_at = utcnow() if ready else None
        action = "draft.review_requested" if ready else "draft.review_withdrawn"
        record(session, Change(action, by, ticket_id=ticket_id))
        await session.flush()
        await publish(session, "workflow.draft", id=ticket_id)
    return draft


async def end_review_after_reply(session: AsyncSession, ticket_id: int) -> bool:
    """A public reply went out after the draft was marked for review: the review is over.
    Whether it was."""
    draft = await session.get(TicketDraft, ticket_id, with_for_update=True)
    if draft is None or draft.review_requested_at is None:
        return False
    if not await conversations.replied_since(session, ticket_id, draft.review_requested_at):
        return False
    draft.review_requested_by = draft.review_requested_at = None
    record(session, Change("draft.review_withdrawn", SYSTEM, ticket_id=ticket_id, detail="replied"))
    await publish(session, "workflow.draft", id=ticket_id)
    return True


@dataclass(frozen=True)
class DraftForReview:
    ticket_id: int
    title: str
    status: str
    requested_by: int | None
    requested_at: datetime | None  # never None here: the query asks for marked drafts


async def drafts_for_review(
    session: AsyncSession, teams: Sequence[str] | None, limit: int = 50
) -> list[DraftForReview]:
    """Drafts marked for review, newest first, of the tickets of `teams` (and those not
    routed yet), or of every ticket."""
    statement = (
        select(
            TicketDraft.ticket_id,
            Ticket.title,
            Ticket.status,
            TicketDraft.review_requested_by,
            TicketDraft.review_requested_at,
        )
        .join(Ticket, Ticket.id == TicketDraft.ticket_id)
        .where(TicketDraft.review_requested_at.is_not(None))
        .order_by(TicketDraft.review_requested_at.desc(), TicketDraft.ticket_id.desc())
        .limit(limit)
    )
    if teams is not None:
        statement = statement.where(or_(Ticket.team.in_(teams), Ticket.team.is_(None)))
    return [DraftForReview(*row) for row in await session.execute(statement)]
