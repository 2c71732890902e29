"""The access rule each route declares, as a FastAPI dependency: `Public`, `Viewer`,
`Agent` or `Admin`. A route takes exactly one (tests/auth/test_access.py walks every route),
and the rule's dependency gives the route its `Actor`.

Credentials: an API token as `Authorization: Bearer ...`, or the session cookie the sign-in
sets; a cookie-authenticated write must also send the session's CSRF token in
`X-CSRF-Token` (a cross-site form cannot). With `AUTH_OPEN_ACCESS=true` every request acts
as an admin."""

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.auth import service
from supportdesk.auth.actor import OPEN_ACCESS, Actor, Role
from supportdesk.auth.secrets import token_hash
from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.deps import ReadSessionDep
from supportdesk.errors import Forbidden, Unauthorized

SESSION_COOKIE = "sd_session"
CSRF_COOKIE = "sd_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _touch(
    request: Request, touch: Callable[[AsyncSession, int], Awaitable[None]], key: int
) -> None:
    # Its own short transaction: the request's session may be read-only.
    database: Database = request.app.state.db
    async with database.transaction() as session:
        await touch(session, key)


async def _signed_in(request: Request, session: ReadSessionDep) -> Actor:
    settings: Settings = request.app.state.settings
    if settings.auth.open_access:
        return OPEN_ACCESS
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("send the API token as `Authorization: Bearer <token>`")
        found = await service.token_owner(session, secret.strip(), settings.auth)
        if found is None:
            raise Unauthorized("this API token is not valid (revoked, or never issued)")
        if found.needs_touch:
            await _touch(request, service.touch_token, found.token_id)
        return _scoped(request, found.actor)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthorized("sign in first")
    owner = await service.session_owner(session, cookie, settings.auth)
    if owner is None:
        raise Unauthorized("your session has ended; sign in again")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(token_hash(sent), owner.csrf_hash):
            raise Forbidden(f"a signed-in write needs the session's {CSRF_HEADER} header")
    if owner.needs_touch:
        await _touch(request, service.touch_session, owner.session_id)
    return _scoped(request, owner.actor)


def _scoped(request: Request, actor: Actor) -> Actor:
    # A member of every team sees every ticket: no team filter to apply (lists then take
    # their fastest path, the one open access takes).
    every_team: frozenset[str] = request.app.state.team_names
    if not actor.sees_all_teams and actor.teams >= every_team:
        return replace(actor, sees_all_teams=True)
    return actor


def _at_least(role: Role) -> Callable[[Actor], Awaitable[Actor]]:
    async def rule(actor: Annotated[Actor, Depends(_signed_in)]) -> Actor:
        if not actor.at_least(role):
            raise Forbidden(f"this needs the {role.value} role or above")
        return actor

    rule.__name__ = f"requires_{role.value}"
    return rule


async def public() -> None:
    """Anyone, signed in or not."""


requires_viewer = _at_least(Role.VIEWER)
requires_agent = _at_least(Role.AGENT)
requires_admin = _at_least(Role.ADMIN)

# The rules, by the dependency that enforces each: what the route walk looks for.
RULES: dict[Callable[..., object], str] = {
    public: "public",
    requires_viewer: "viewer",
    requires_agent: "agent",
    requires_admin: "admin",
}

Public = Annotated[None, Depends(public)]
Viewer = Annotated[Actor, Depends(requires_viewer)]
Agent = Annotated[Actor, Depends(requires_agent)]
Admin = Annotated[Actor, Depends(requires_admin)]


def rules_of(dependant: Dependant) -> list[str]:
    """The access rules among a route's dependencies, at any depth."""
    found = [RULES[dependant.call]] if dependant.call in RULES else []
    for dependency in dependant.dependencies:
        found += rules_of(dependency)
    return found


@dataclass(frozen=True, slots=True)
class RouteRules:
    name: str  # the operation id, or the route's name where it has none
    path: str
    methods: frozenset[str]
    rules: list[str]


def route_rules(app: FastAPI) -> list[RouteRules]:
    """Every API route of the app (those of included routers too) with its rules."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            found.append(
                RouteRules(
                    name=route.operation_id or route.name,
                    path=context.path or route.path,
                    methods=frozenset(context.methods or ()),
                    rules=rules_of(context.dependant),
                )
            )
    return found


# What each rule can answer besides the route's own errors.
_RULE_STATUSES = {"public": set(), "viewer": {401}, "agent": {401, 403}, "admin": {401, 403}}


def rule_statuses(app: FastAPI) -> dict[str, set[int]]:
    """By operation id, the statuses its access rule adds to the schema. A cookie-signed
    write without its CSRF token is refused with 403 under any rule but `public`."""
    statuses: dict[str, set[int]] = {}
    for route in route_rules(app):
        extra = set().union(*(_RULE_STATUSES[rule] for rule in route.rules))
        if route.rules and route.rules != ["public"] and route.methods - SAFE_METHODS:
            extra.add(403)
        statuses[route.name] = extra
    return statuses


# Who is asking, for dependencies that refine a route's rule (never a rule by itself).
SignedIn = Annotated[Actor, Depends(_signed_in)]
