"""HTTP endpoints for sign-in, one's own account and tokens, users (admins), and the
audit log (admins)."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit import service as audit
from supportdesk.audit.schemas import AuditEventOut, AuditPage
from supportdesk.audit.service import By
from supportdesk.auth import service
from supportdesk.auth.access import (
    CSRF_COOKIE,
    RECENT,
    SAFE_METHODS,
    SESSION_COOKIE,
    Admin,
    Public,
    Viewer,
    scoped,
)
from supportdesk.auth.actor import Actor
from supportdesk.auth.models import ApiToken, User
from supportdesk.auth.schemas import (
    InvitedUser,
    LinkInfo,
    LinkOut,
    LinkUse,
    Me,
    MyChange,
    NewToken,
    SignIn,
    TokenCreate,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)
from supportdesk.db import Database
from supportdesk.deps import ReadSessionDep, SessionDep, settings_of
from supportdesk.errors import Conflict, Unauthorized
from supportdesk.problems import problem_responses
from supportdesk.types import MAX_ID


async def _forget_credentials(request: Request) -> AsyncIterator[None]:
    # Every write here may end a session or a token, or change a role, status or teams:
    # once it committed, this process asks the database again (others within the cache's
    # few seconds: AUTH_CREDENTIAL_CACHE_SECONDS).
    yield
    if request.method not in SAFE_METHODS:
        RECENT.forget_all()


router = APIRouter(tags=["auth"], dependencies=[Depends(_forget_credentials)])

LinkSecret = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _user_out(user: User, teams: list[str]) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        status=user.status,
        teams=teams,
        created_at=user.created_at,
        notify_assigned=user.notify_assigned,
        notify_customer_replied=user.notify_customer_replied,
    )


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut.model_validate(token, from_attributes=True)


def _known_teams(request: Request, teams: list[str] | None) -> None:
    known: frozenset[str] = request.app.state.team_names
    unknown = sorted(set(teams or ()) - known)
    if unknown:
        # The routing file decides which teams exist, not the schema: a state conflict.
        raise Conflict(
            "no such team", {"teams": [f"unknown team {', '.join(unknown)}; see /api/teams"]}
        )


def _link(request: Request, purpose: str, secret: str) -> LinkOut:
    settings = settings_of(request)
    base = settings.auth.base_url(str(request.base_url))
    # In the fragment: browsers send neither it nor its page's fragment to any server.
    return LinkOut(
        url=f"{base}/welcome#{purpose}={secret}", expires_in_hours=settings.auth.link_hours
    )


def _set_session_cookies(request: Request, response: Response, new: service.NewSession) -> None:
    secure = request.url.scheme == "https"
    max_age = int((new.expires_at - datetime.now(new.expires_at.tzinfo)).total_seconds())
    response.set_cookie(
        SESSION_COOKIE, new.token, max_age, httponly=True, samesite="lax", secure=secure
    )
    # Read by the UI's script and sent back as X-CSRF-Token: a cross-site page can do neither.
    response.set_cookie(CSRF_COOKIE, new.csrf_token, max_age, samesite="strict", secure=secure)


async def _me(session: AsyncSession, actor: Actor) -> Me:
    if actor.user_id is None:
        return Me(user=None, role=actor.role, open_access=True)
    user = await service.user_by_id(session, actor.user_id)
    scope = actor.team_scope
    return Me(
        user=_user_out(user, sorted(actor.teams)),
        role=actor.role,
        open_access=False,
        team_scope=None if scope is None else list(scope),
    )


# --- signing in and out ------------------------------------------------------------------


@router.post(
    "/api/auth/sign-in",
    response_model=Me,
    operation_id="signIn",
    responses=problem_responses(401, 429),
)
async def sign_in(
    body: SignIn, request: Request, response: Response, session: SessionDep, _: Public
) -> Me:
    settings = settings_of(request).auth
    address = request.client.host if request.client else "unknown"
    database: Database = request.app.state.db
    # Counted in a transaction of its own, committed before the password is checked.
    async with database.transaction() as counting:
        attempt = await service.count_attempt(counting, body.email, address, settings)
    user = await service.check_password(session, body.email, body.password)
    if user is None:
        async with database.transaction() as audit_session:
            await service.sign_in_failed(audit_session, body.email, address)
        raise Unauthorized("the email or the password is wrong")
    await service.signed_in(session, user, attempt)
    return await _signed_in_as(request, response, session, user)


def _signed_out() -> Response:
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.post("/api/auth/sign-out", status_code=204, operation_id="signOut")
async def sign_out(request: Request, session: SessionDep, _: Viewer) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await service.end_session(session, token)
    return _signed_out()


@router.post("/api/auth/sign-out-everywhere", status_code=204, operation_id="signOutEverywhere")
async def sign_out_everywhere(session: SessionDep, actor: Viewer) -> Response:
    if actor.user_id is not None:
        await service.end_all_sessions(session, actor.user_id)
    return _signed_out()


@router.get("/api/auth/me", response_model=Me, operation_id="getMe")
async def get_me(session: ReadSessionDep, actor: Viewer) -> Me:
    return await _me(session, actor)


@router.patch("/api/auth/me", response_model=Me, operation_id="updateMe")
async def update_me(body: MyChange, session: SessionDep, actor: Viewer) -> Me:
    if actor.user_id is not None:
        change = service.UserChange(
            name=body.name,
            status=body.status,
            notify_assigned=body.notify_assigned,
            notify_customer_replied=body.notify_customer_replied,
        )
        await service.update_user(session, actor.user_id, change, By.user(actor.user_id))
    return await _me(session, actor)


# --- one-time links ----------------------------------------------------------------------


@router.get("/api/auth/links/{secret}", response_model=LinkInfo, operation_id="getLink")
async def get_link(secret: LinkSecret, session: ReadSessionDep, _: Public) -> LinkInfo:
    link, user = await service.open_link(session, secret)
    return LinkInfo(purpose=link.purpose, email=user.email, name=user.name)


@router.post(
    "/api/auth/links/{secret}",
    response_model=Me,
    operation_id="useLink",
    responses=problem_responses(409),
)
async def use_link(
    secret: LinkSecret,
    body: LinkUse,
    request: Request,
    response: Response,
    session: SessionDep,
    _: Public,
) -> Me:
    """Set a password from a setup, invitation or reset link, and sign in."""
    user = await service.use_link(session, secret, body.password, body.email, body.name)
    return await _signed_in_as(request, response, session, user)


async def _signed_in_as(
    request: Request, response: Response, session: AsyncSession, user: User
) -> Me:
    """A new session for this user, in place of any the browser still had (a shared
    browser keeps one live session: the newest)."""
    older = request.cookies.get(SESSION_COOKIE)
    if older:
        await service.end_session(session, older)
    new = await service.start_session(session, user.id, settings_of(request).auth)
    _set_session_cookies(request, response, new)
    me = await _me(session, scoped(request, await service.actor_of(session, user)))
    return me.model_copy(update={"csrf_token": new.csrf_token})


# --- API tokens --------------------------------------------------------------------------


@router.get("/api/auth/tokens", response_model=list[TokenOut], operation_id="listTokens")
async def list_tokens(session: ReadSessionDep, actor: Viewer) -> list[TokenOut]:
    if actor.user_id is None:
        return []
    return [_token_out(token) for token in await service.tokens_of(session, actor.user_id)]


@router.post(
    "/api/auth/tokens",
    response_model=NewToken,
    status_code=201,
    operation_id="createToken",
    responses=problem_responses(409),
)
async def create_token(body: TokenCreate, session: SessionDep, actor: Viewer) -> NewToken:
    if actor.user_id is None:
        raise Unauthorized("open access has no user to own a token; sign in")
    token, secret = await service.create_token(session, actor.user_id, body.name)
    return NewToken(**_token_out(token).model_dump(), token=secret)


@router.delete("/api/auth/tokens/{token_id}", response_model=TokenOut, operation_id="revokeToken")
async def revoke_token(token_id: TokenId, session: SessionDep, actor: Viewer) -> TokenOut:
    if actor.user_id is None:
        raise Unauthorized("open access has no tokens; sign in")
    return _token_out(await service.revoke_token(session, actor.user_id, token_id))


# --- users (admins) ----------------------------------------------------------------------


@router.get("/api/users", response_model=list[UserOut], operation_id="listUsers")
async def list_users(session: ReadSessionDep, _: Viewer) -> list[UserOut]:
    """Every staff member: teammates to assign tickets to."""
    users = await service.list_users(session)
    teams = await service.teams_of(session, [user.id for user in users])
    return [_user_out(user, teams[user.id]) for user in users]


@router.post(
    "/api/users",
    response_model=InvitedUser,
    status_code=201,
    operation_id="inviteUser",
    responses=problem_responses(409),
)
async def invite_user(
    body: UserCreate, request: Request, session: SessionDep, actor: Admin
) -> InvitedUser:
    """Create a staff user and an invitation link to set their password."""
    _known_teams(request, body.teams)
    user = await service.create_user(
        session,
        email=body.email,
        name=body.name,
        role=body.role,
        teams=body.teams,
        by=By.user(actor.user_id),
    )
    secret = await service.issue_link(session, user.id, "invite", settings_of(request).auth)
    return InvitedUser(
        user=_user_out(user, sorted(set(body.teams))), invitation=_link(request, "invite", secret)
    )


@router.patch(
    "/api/users/{user_id}",
    response_model=UserOut,
    operation_id="updateUser",
    responses=problem_responses(409),
)
async def update_user(
    user_id: UserId, body: UserUpdate, request: Request, session: SessionDep, actor: Admin
) -> UserOut:
    """Role, status, teams or name; deactivating ends the user's sessions and tokens."""
    _known_teams(request, body.teams)
    change = service.UserChange(body.name, body.role, body.status, body.teams)
    user = await service.update_user(session, user_id, change, By.user(actor.user_id))
    return _user_out(user, (await service.teams_of(session, [user.id]))[user.id])


@router.post(
    "/api/users/{user_id}/reset-link", response_model=LinkOut, operation_id="resetPasswordLink"
)
async def reset_link(
    user_id: UserId, request: Request, session: SessionDep, actor: Admin
) -> LinkOut:
    """A one-time link for the user to choose a new password (their sessions end when used)."""
    user = await service.user_by_id(session, user_id)
    secret = await service.issue_link(session, user.id, "reset", settings_of(request).auth)
    audit.record(
        session,
        audit.Change("auth.reset_link_issued", By.user(actor.user_id), subject_user_id=user.id),
    )
    return _link(request, "reset", secret)


# --- the audit log (admins) --------------------------------------------------------------


@router.get("/api/audit", response_model=AuditPage, operation_id="listAuditEvents")
async def list_audit_events(
    session: ReadSessionDep,
    _: Admin,
    action: Annotated[str | None, Query(max_length=48, pattern=r"^[a-z_.]+$")] = None,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    ticket_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Field(ge=1, le=200), Query()] = 50,
) -> AuditPage:
    """Newest first; `before` (an event id) pages back; `action` filters by prefix
    (`auth.`, `ticket.`)."""
    found = await audit.events(
        session,
        ticket_id=ticket_id,
        action_prefix=action,
        actor_user_id=user_id,
        before_id=before,
        limit=limit,
    )
    items = [AuditEventOut.model_validate(event, from_attributes=True) for event in found]
    return AuditPage(items=items, next_before=items[-1].id if len(items) == limit else None)
