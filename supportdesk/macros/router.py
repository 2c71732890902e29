"""Macros: agents list, apply and get suggestions; admins write them."""

from typing import Annotated

from fastapi import APIRouter, Path, Request

from supportdesk.audit.service import By
from supportdesk.auth.access import Admin, Agent, Viewer
from supportdesk.deps import ReadSessionDep, SessionDep
from supportdesk.errors import Conflict
from supportdesk.macros import service
from supportdesk.macros.models import Macro
from supportdesk.macros.schemas import MacroApplied, MacroIn, MacroOut, MacroSuggestion
from supportdesk.problems import problem_responses
from supportdesk.tickets.deps import VisibleTicketId
from supportdesk.triage.deps import TriageDep
from supportdesk.types import MAX_ID

router = APIRouter(tags=["macros"])
MacroId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _out(macro: Macro) -> MacroOut:
    return MacroOut.model_validate(
        {
            "id": macro.id,
            "name": macro.name,
            "body": macro.body,
            "team": macro.team,
            "category": macro.category,
            "actions": macro.actions,
            "updated_at": macro.updated_at,
        }
    )


def _change(request: Request, body: MacroIn) -> service.MacroChange:
    if body.team is not None and body.team not in request.app.state.team_names:
        # The teams are the routing file's, known only when it runs: 409, like a name taken.
        raise Conflict(
            f"no team {body.team} in the routing file",
            {"team": ["not a team of the routing file"]},
        )
    actions = body.actions.model_dump(mode="json", exclude_defaults=True)
    return service.MacroChange(body.name, body.body, body.team, body.category, actions)


@router.get("/api/macros", response_model=list[MacroOut], operation_id="listMacros")
async def list_macros(session: ReadSessionDep, actor: Viewer) -> list[MacroOut]:
    """Shared macros and those of the asker's teams."""
    return [_out(macro) for macro in await service.list_macros(session, actor.team_scope)]


@router.post(
    "/api/macros",
    response_model=MacroOut,
    status_code=201,
    operation_id="createMacro",
    responses=problem_responses(409),
)
async def create_macro(
    body: MacroIn, request: Request, session: SessionDep, actor: Admin
) -> MacroOut:
    """A saved reply (a Liquid template, checked now) and its actions."""
    change = _change(request, body)
    return _out(await service.save_macro(session, None, change, By.user(actor.user_id)))


@router.put(
    "/api/macros/{macro_id:int}",
    response_model=MacroOut,
    operation_id="updateMacro",
    responses=problem_responses(409),
)
async def update_macro(
    macro_id: MacroId, body: MacroIn, request: Request, session: SessionDep, actor: Admin
) -> MacroOut:
    change = _change(request, body)
    return _out(await service.save_macro(session, macro_id, change, By.user(actor.user_id)))


@router.delete("/api/macros/{macro_id:int}", status_code=204, operation_id="deleteMacro")
async def delete_macro(macro_id: MacroId, session: SessionDep, actor: Admin) -> None:
    await service.delete_macro(session, macro_id, By.user(actor.user_id))


@router.post(
    "/api/tickets/{ticket_id:int}/macros/{macro_id:int}",
    response_model=MacroApplied,
    operation_id="applyMacro",
    responses=problem_responses(409),
)
async def apply_macro(
    ticket_id: VisibleTicketId, macro_id: MacroId, session: SessionDep, actor: Agent
) -> MacroApplied:
    """Do the macro's actions on the ticket and give back its reply, written for this
    ticket, for the composer (the agent reviews and sends it). 409, and nothing done, when
    an action cannot be (assigning someone outside the ticket's team)."""
    applied = await service.apply(session, ticket_id, macro_id, actor.team_scope, actor.user_id)
    return MacroApplied(body=applied.body, done=applied.done)


@router.get(
    "/api/tickets/{ticket_id:int}/macros/suggested",
    response_model=list[MacroSuggestion],
    operation_id="suggestMacros",
)
async def suggest_macros(
    ticket_id: VisibleTicketId, session: ReadSessionDep, triage: TriageDep, actor: Viewer
) -> list[MacroSuggestion]:
    """The macros that fit this ticket best (its text against theirs, and its category)."""
    found = await service.suggest(session, ticket_id, actor.team_scope, triage.embedder)
    return [MacroSuggestion(macro=_out(s.macro), score=s.score, why=s.why) for s in found]
