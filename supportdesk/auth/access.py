"""The access rule each route declares, as a FastAPI dependency: `Public`, `Viewer`,
`Agent`, `Admin` or `Customer`. A route takes exactly one (tests/auth/test_access.py walks
every route), and the rule's dependency gives the route its `Actor` (staff) or its
`CustomerAccess` (a customer's link).

Credentials: an API token as `Authorization: Bearer ...`, or the session cookie the sign-in
sets; a cookie-authenticated write must also send the session's CSRF token in
`X-CSRF-Token` (a cross-site form cannot). With `AUTH_OPEN_ACCESS=true` every request acts
as an admin. A customer sends their link's secret in `X-Customer-Token` (a header, so no
cross-site form can send it either); a secret that is unknown, revoked or idle too long
answers 404, as a link that never existed would."""

import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.auth import service
from supportdesk.auth.actor import OPEN_ACCESS, Actor, CustomerAccess, Role
from supportdesk.auth.secrets import token_hash
from supportdesk.config import Settings
from supportdesk.db import Database
from supportdesk.deps import ReadSessionDep
from supportdesk.errors import Forbidden, NotFound, Unauthorized

SESSION_COOKIE = "sd_session"
CSRF_COOKIE = "sd_csrf"
CSRF_HEADER = "X-CSRF-Token"
CUSTOMER_HEADER = "X-Customer-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
K = TypeVar("K")


async def _touch(
    request: Request, touch: Callable[[AsyncSession, K], Awaitable[None]], key: K
) -> None:
    # Its own short transaction: the request's session may be read-only.
    database: Database = request.app.state.db
    async with database.transaction() as session:
        await touch(session, key)


class RecentCredentials:
    """Who a token or session belonged to a moment ago, per process (keyed by its hash)."""

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._seen: dict[str, tuple[float, object]] = {}

    def get(self, key: str) -> object | None:
        found = self._seen.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, key: str, owner: object, seconds: float) -> None:
        if seconds <= 0:
            return
        if len(self._seen) >= self.MAX_ENTRIES:
            self._seen.clear()
        self._seen[key] = (time.monotonic() + seconds, owner)

    def forget_all(self) -> None:
        """After a sign-out, a revocation or a change of role, status or teams."""
        self._seen.clear()


RECENT = RecentCredentials()


async def _signed_in(request: Request) -> Actor:
    # A session only when the credential is not one seen a moment ago: most requests
    # need none for signing in (a route that reads takes its own).
    database: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    if settings.auth.open_access:
        return OPEN_ACCESS
    cache_seconds = settings.auth.credential_cache_seconds
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("send the API token as `Authorization: Bearer <token>`")
        key = "token:" + token_hash(secret.strip())
        found = RECENT.get(key)
        if not isinstance(found, service.TokenOwner):
            async with database.read_sessions() as session:
                found = await service.token_owner(session, secret.strip())
            if found is None:
                raise Unauthorized("this API token is not valid (revoked, or never issued)")
            RECENT.put(key, replace(found, needs_touch=False), cache_seconds)
            if found.needs_touch:
                await _touch(request, service.touch_token, found.token_id)
        return scoped(request, found.actor)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthorized("sign in first")
    key = "session:" + token_hash(cookie)
    owner = RECENT.get(key)
    if not isinstance(owner, service.SessionOwner):
        async with database.read_sessions() as session:
            owner = await service.session_owner(session, cookie, settings.auth)
        if owner is None:
            raise Unauthorized("your session has ended; sign in again")
        RECENT.put(key, replace(owner, needs_touch=False), cache_seconds)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(token_hash(sent), owner.csrf_hash):
            raise Forbidden(f"a signed-in write needs the session's {CSRF_HEADER} header")
    if owner.needs_touch:
        await _touch(request, service.touch_session, owner.session_id)
    return scoped(request, owner.actor)


async def still_signed_in(request: Request) -> Actor | None:
    """Who the request's credential signs in now, or None once it stopped working (a
    long-lived stream asks now and then: a sign-out, a revoked token or a deactivation
    ends it, and a change of teams applies)."""
    try:
        return await _signed_in(request)
    except (Unauthorized, Forbidden):
        return None


def scoped(request: Request, actor: Actor) -> Actor:
    """The actor, knowing whether they see every team."""
    # With the setting on, or as a member of every team, an agent sees every ticket: no team
    # filter to apply (lists then take their fastest path, the one open access takes).
    settings: Settings = request.app.state.settings
    every_team: frozenset[str] = request.app.state.team_names
    sees_all = settings.auth.agents_see_all_teams or actor.teams >= every_team
    if sees_all != actor.sees_all_teams:
        return replace(actor, sees_all_teams=sees_all)
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


class CustomerLinks(Protocol):
    """What the customer rule needs of the customers' links (the conversations feature
    keeps them; the app puts its implementation in `app.state.customer_links`)."""

    async def find(self, session: AsyncSession, secret: str) -> CustomerAccess | None:
        """Whom a private link or a customer session lets in; None unless it exists, has
        not been revoked or ended, and has been used recently enough."""

    async def touch(self, session: AsyncSession, access: CustomerAccess) -> None:
        """Record that the link or session was used now."""


# Longer than any secret we issue: answered without a look-up.
MAX_CUSTOMER_SECRET = 100
NO_SUCH_LINK = "this link is not valid: it expired, it was revoked, or it never existed"


async def requires_customer(
    request: Request,
    response: Response,
    session: ReadSessionDep,
    x_customer_token: Annotated[
        str | None,
        Header(description="the secret of the customer's private link, or of their session"),
    ] = None,
) -> CustomerAccess:
    """A customer with a valid private link: the ticket and contact it is for."""
    secret = (x_customer_token or "").strip()
    links: CustomerLinks = request.app.state.customer_links
    found = None
    if secret and len(secret) <= MAX_CUSTOMER_SECRET:
        found = await links.find(session, secret)
    if found is None:
        # The same answer for every failure: no hint whether a link ever existed.
        raise NotFound(NO_SUCH_LINK)
    if found.needs_touch:
        await _touch(request, links.touch, found)
    # A customer's page is theirs alone: no shared cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return found


# The rules, by the dependency that enforces each: what the route walk looks for.
RULES: dict[Callable[..., object], str] = {
    public: "public",
    requires_viewer: "viewer",
    requires_agent: "agent",
    requires_admin: "admin",
    requires_customer: "customer",
}

Public = Annotated[None, Depends(public)]
Viewer = Annotated[Actor, Depends(requires_viewer)]
Agent = Annotated[Actor, Depends(requires_agent)]
Admin = Annotated[Actor, Depends(requires_admin)]
Customer = Annotated[CustomerAccess, Depends(requires_customer)]


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
_RULE_STATUSES = {
    "public": set(),
    "viewer": {401},
    "agent": {401, 403},
    "admin": {401, 403},
    "customer": {404},
}
# The rules that take no session cookie, so no CSRF token either.
_NO_COOKIE = {"public", "customer"}


def rule_statuses(app: FastAPI) -> dict[str, set[int]]:
    """By operation id, the statuses its access rule adds to the schema. A cookie-signed
    write without its CSRF token is refused with 403 under the staff rules."""
    statuses: dict[str, set[int]] = {}
    for route in route_rules(app):
        extra = set().union(*(_RULE_STATUSES[rule] for rule in route.rules))
        if set(route.rules) - _NO_COOKIE and route.methods - SAFE_METHODS:
            extra.add(403)
        statuses[route.name] = extra
    return statuses


# Who is asking, for dependencies that refine a route's rule (never a rule by itself).
SignedIn = Annotated[Actor, Depends(_signed_in)]
