"""Macro use cases: the macros an agent may use (shared ones and their teams'), admins'
changes, applying one to a ticket (its reply rendered for the composer, its actions done
and audited) and the ones that fit a ticket best. Takes a session; never commits."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import By, Change, record
from supportdesk.auth import service as auth
from supportdesk.conversations import service as conversations
from supportdesk.conversations.models import MessageKind
from supportdesk.errors import Conflict, NotFound, ValidationFailed
from supportdesk.macros.models import Macro
from supportdesk.macros.render import render
from supportdesk.taxonomy import Category
from supportdesk.tickets import service as tickets
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.schemas import TicketUpdate
from supportdesk.types import utcnow

SUGGESTED = 3
# How much a macro made for the ticket's category counts beside the texts' similarity.
CATEGORY_WEIGHT = 0.3


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True)
class MacroChange:
    name: str
    body: str
    team: str | None
    category: Category | None
    actions: dict[str, Any]


def _visible(teams: Sequence[str] | None) -> Any:
    return or_(Macro.team.is_(None), Macro.team.in_(teams)) if teams is not None else True


async def list_macros(session: AsyncSession, teams: Sequence[str] | None) -> list[Macro]:
    statement = select(Macro).where(_visible(teams)).order_by(Macro.name)
    return list(await session.scalars(statement))


async def get_macro(session: AsyncSession, macro_id: int, teams: Sequence[str] | None) -> Macro:
    macro = await session.scalar(select(Macro).where(Macro.id == macro_id, _visible(teams)))
    if macro is None:
        raise NotFound(f"no macro {macro_id}")
    return macro


async def save_macro(
    session: AsyncSession, macro_id: int | None, change: MacroChange, by: By
) -> Macro:
    """Create (macro_id None) or replace a macro; names are unique."""
    macro = Macro() if macro_id is None else await get_macro(session, macro_id, None)
    macro.name, macro.body, macro.team = change.name, change.body, change.team
    macro.category = change.category.value if change.category else None
    macro.actions, macro.updated_at, macro.updated_by = change.actions, utcnow(), by.user_id
    session.add(macro)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(
            f"a macro named {change.name!r} exists", {"name": ["already taken"]}
        ) from None
    action = "macro.created" if macro_id is None else "macro.changed"
    record(session, Change(action, by, detail=change.name))
    return macro


async def delete_macro(session: AsyncSession, macro_id: int, by: By) -> None:
    macro = await get_macro(session, macro_id, None)
    await session.delete(macro)
    record(session, Change("macro.deleted", by, detail=macro.name))


@dataclass(frozen=True)
class Applied:
    body: str  # the reply, for the composer (not sent: the agent reviews it)
    done: list[str]  # what the actions changed, in words


async def apply(
    session: AsyncSession,
    ticket_id: int,
    macro_id: int,
    teams: Sequence[str] | None,
    user_id: int | None,
) -> Applied:
    """Render the macro's reply for this ticket and do its actions (status, labels,
    assignment to the agent, an internal note), each audited as the agent's."""
    macro = await get_macro(session, macro_id, teams)
    ticket = await tickets.get_ticket(session, ticket_id)
    try:
        body = render(macro.body, await _values(session, ticket, user_id))
    except ValueError as error:
        raise ValidationFailed(
            f"the macro cannot be rendered: {error}", {"body": [str(error)]}
        ) from None
    by, actions, done = By.user(user_id), macro.actions, []
    change = TicketUpdate(
        status=actions.get("status"),
        priority=actions.get("priority"),
        category=actions.get("category"),
    )
    if change.model_dump(exclude_none=True):
        ticket = await tickets.update_ticket(session, ticket_id, change, by)
        done += [
            f"{key} set to {value}" for key, value in change.model_dump(exclude_none=True).items()
        ]
    if actions.get("assign_to_me") and user_id is not None and ticket.assignee_id != user_id:
        # Only a ticket nobody holds: a macro never takes a colleague's ticket.
        if ticket.assignee_id is None:
            await tickets.assign_ticket(session, ticket_id, user_id, None, by)
            done.append("assigned to you")
        else:
            done.append("left with its assignee")
    note = actions.get("note")
    if note:
        await conversations.post_message(
            session, ticket_id, MessageKind.NOTE, note, resolve=False, author_user_id=user_id
        )
        done.append("internal note added")
    record(session, Change("macro.applied", by, ticket_id=ticket_id, detail=macro.name))
    return Applied(body, done)


async def _values(session: AsyncSession, ticket: Ticket, user_id: int | None) -> dict[str, Any]:
    """What a template may use: plain values only."""
    contact = await conversations.contact_of(session, ticket)
    names = await auth.names_of(session, {user_id}) if user_id is not None else {}
    agent = names.get(user_id, "Support team") if user_id is not None else "Support team"
    customer = contact.name if contact else "there"
    return {
        "ticket": {
            "id": ticket.id,
            "title": ticket.title,
            "status": ticket.status,
            "priority": ticket.priority,
            "category": ticket.category,
            "team": ticket.team,
        },
        "customer": {
            "name": customer,
            "first_name": customer.split()[0] if customer.split() else customer,
            "email": contact.email if contact else "",
        },
        "agent": {"name": agent, "first_name": agent.split()[0] if agent.split() else agent},
    }


@dataclass(frozen=True)
class Suggestion:
    macro: Macro
    score: float
    why: str


async def suggest(
    session: AsyncSession, ticket_id: int, teams: Sequence[str] | None, embedder: Embedder | None
) -> list[Suggestion]:
    """The macros that fit the ticket best: the closeness of the ticket's text to the
    macro's (by their embeddings, when the model is loaded), plus a bonus for a macro made
    for the ticket's category."""
    ticket = await tickets.get_ticket(session, ticket_id)
    macros = await list_macros(session, teams)
    if not macros:
        return []
    similarity = [0.0] * len(macros)
    if embedder is not None:
        texts = [f"{ticket.title}\n{ticket.description}"]
        texts += [f"{macro.name}\n{macro.body}" for macro in macros]
        vectors = np.asarray(await asyncio.to_thread(embedder.embed, texts), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        similarity = [float(value) for value in vectors[1:] @ vectors[0]]
    scored = []
    for macro, close in zip(macros, similarity, strict=True):
        fits = macro.category == ticket.category
        score = close + (CATEGORY_WEIGHT if fits else 0.0)
        why = [f"text {close:.0%} alike"] if embedder is not None else []
        if fits:
            why.append(f"made for {ticket.category} tickets")
        scored.append(Suggestion(macro, round(score, 4), ", ".join(why) or "shared macro"))
    scored.sort(key=lambda found: -found.score)
    return scored[:SUGGESTED]
