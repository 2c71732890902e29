"""Accounts, sign-in, sessions, API tokens and one-time links. Callers pass plain values;
nothing here knows about HTTP."""

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import SYSTEM, By, Change, diff, record
from supportdesk.auth.actor import Actor, Role, UserStatus
from supportdesk.auth.models import (
    ApiToken,
    AuthSession,
    OneTimeLink,
    SignInFailure,
    User,
    UserTeam,
)
from supportdesk.auth.secrets import hash_password, new_token, password_matches, token_hash
from supportdesk.config import AuthSettings
from supportdesk.db import delete_all
from supportdesk.dialect import is_postgresql
from supportdesk.errors import Conflict, NotFound, TooManyRequests
from supportdesk.jobs.queue import enqueue
from supportdesk.types import utcnow

# A session's or token's "last seen" is written at most this often: not a write per request.
TOUCH_EVERY = timedelta(minutes=5)
KEEP_USED = timedelta(days=1)  # a used or expired one-time link, before it is deleted
LINK_PURPOSES = ("setup", "invite", "reset")
SETUP_EMAIL = "admin@localhost"  # the setup page asks for the real one


def normal_email(email: str) -> str:
    return email.strip().lower()


# --- users -------------------------------------------------------------------------------


async def user_by_id(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


async def find_user(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normal_email(email)))


async def user_by_email(session: AsyncSession, email: str) -> User:
    user = await find_user(session, email)
    if user is None:
        raise NotFound(f"no user has the email {normal_email(email)}")
    return user


async def teams_of(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, list[str]]:
    rows = await session.execute(
        select(UserTeam.user_id, UserTeam.team)
        .where(UserTeam.user_id.in_(user_ids))
        .order_by(UserTeam.team)
    )
    teams: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
    for user_id, team in rows:
        teams[user_id].append(team)
    return teams


async def names_of(session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await session.execute(select(User.id, User.name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}


async def list_users(session: AsyncSession) -> Sequence[User]:
    return (await session.scalars(select(User).order_by(User.name, User.id))).all()


async def create_user(
    session: AsyncSession, *, email: str, name: str, role: Role, teams: Sequence[str], by: By
) -> User:
    email = normal_email(email)
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"a user with email {email} exists", {"email": ["already taken"]})
    user = User(email=email, name=name.strip(), role=role.value)
    session.add(user)
    await session.flush()
    session.add_all(UserTeam(user_id=user.id, team=team) for team in sorted(set(teams)))
    record(
        session,
        Change(
            "user.created",
            by,
            subject_user_id=user.id,
            changes={"role": [None, role.value], "teams": [None, sorted(set(teams))]},
        ),
    )
    return user


@dataclass(frozen=True, slots=True)
class UserChange:
    name: str | None = None
    role: Role | None = None
    status: UserStatus | None = None
    teams: Sequence[str] | None = None
    notify_assigned: bool | None = None
    notify_customer_replied: bool | None = None


async def update_user(session: AsyncSession, user_id: int, change: UserChange, by: By) -> User:
    if change.role is not None or change.status is not None:
        await _lock_admins(session)
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    before = _audited(user)
    before_teams = (await teams_of(session, [user_id]))[user_id]
    leaves_admins = user.role == Role.ADMIN and (
        (change.role is not None and change.role is not Role.ADMIN)
        or change.status is UserStatus.DEACTIVATED
    )
    if leaves_admins and await _active_admins(session) <= 1:
        raise Conflict("the last active admin cannot stop being one", {"role": ["last admin"]})
    if change.name is not None:
        user.name = change.name.strip()
    if change.role is not None:
        user.role = change.role.value
    if change.status is not None:
        user.status = change.status.value
    if change.notify_assigned is not None:
        user.notify_assigned = change.notify_assigned
    if change.notify_customer_replied is not None:
        user.notify_customer_replied = change.notify_customer_replied
    changes = diff(before, _audited(user))
    if change.teams is not None and sorted(set(change.teams)) != before_teams:
        await session.execute(delete(UserTeam).where(UserTeam.user_id == user_id))
        session.add_all(UserTeam(user_id=user_id, team=team) for team in sorted(set(change.teams)))
        changes["teams"] = [before_teams, sorted(set(change.teams))]
    if user.status == UserStatus.DEACTIVATED:
        await _end_sessions_and_tokens(session, user_id)
    if changes.keys() & {"role", "status", "teams"}:
        # Tickets they can no longer hold go back to their queues (the tickets feature's
        # job, sent in this transaction: auth sits below tickets).
        await enqueue(session, RELEASE_ASSIGNMENTS, user_id=user_id)
    if changes:
        record(session, Change("user.updated", by, subject_user_id=user_id, changes=changes))
    return user


def _audited(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "role": user.role,
        "status": user.status,
        "notify_assigned": user.notify_assigned,
        "notify_customer_replied": user.notify_customer_replied,
    }


async def _lock_admins(session: AsyncSession) -> None:
    """Hold the active admins until the transaction ends, so two admins demoting each
    other at once cannot both pass the last-admin check: the second counts after the
    first has committed. SQLite has one writer at a time: any write takes its lock."""
    if not is_postgresql(session):
        await session.execute(update(User).where(false()).values(name=User.name))
        return
    await session.execute(
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.status != UserStatus.DEACTIVATED.value)
        .order_by(User.id)
        .with_for_update()
    )


async def _active_admins(session: AsyncSession) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.status != UserStatus.DEACTIVATED.value)
        )
        or 0
    )


async def _end_sessions_and_tokens(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
    await session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def actor_of(session: AsyncSession, user: User) -> Actor:
    teams = (await teams_of(session, [user.id]))[user.id]
    return _actor(user.id, user.role, ",".join(teams))


# The tickets feature's task (tickets/tasks.py) that takes their open tickets back.
RELEASE_ASSIGNMENTS = "tickets.release_assignments"


# --- sign-in -----------------------------------------------------------------------------


async def count_attempt(
    session: AsyncSession, email: str, address: str, settings: AuthSettings
) -> int:
    """Count a sign-in try before its password is checked, in a transaction the caller
    commits first: tries sent at once then all count. TooManyRequests over the limit.
    The id of the try, which a success takes back (`signed_in`)."""
    email = normal_email(email)
    await _refuse_when_throttled(session, email, address, settings)
    attempt = SignInFailure(email=email, address=address)
    session.add(attempt)
    await session.flush()
    return attempt.id


async def check_password(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user whose password this is, or None; as slow for an unknown email."""
    user = await session.scalar(select(User).where(User.email == normal_email(email)))
    # argon2 takes ~0.2 s of CPU: off the event loop, which serves every other request.
    matches = await asyncio.to_thread(
        password_matches, password, user.password_hash if user else None
    )
    if user is not None and matches and user.status != UserStatus.DEACTIVATED:
        return user
    return None


async def signed_in(session: AsyncSession, user: User, attempt_id: int) -> None:
    """A try that succeeded is no failure."""
    await session.execute(delete(SignInFailure).where(SignInFailure.id == attempt_id))
    record(session, Change("auth.signed_in", By.user(user.id), subject_user_id=user.id))


async def sign_in_failed(session: AsyncSession, email: str, address: str) -> None:
    """The audit event of a failed try (the try itself was counted already)."""
    email = normal_email(email)
    user_id = await session.scalar(select(User.id).where(User.email == email))
    record(
        session,
        Change(
            "auth.sign_in_failed", SYSTEM, subject_user_id=user_id, detail=f"{email} from {address}"
        ),
    )


async def _refuse_when_throttled(
    session: AsyncSession, email: str, address: str, settings: AuthSettings
) -> None:
    since = utcnow() - timedelta(minutes=settings.failure_window_minutes)
    for column, value, limit in (
        (SignInFailure.email, email, settings.failures_per_account),
        (SignInFailure.address, address, settings.failures_per_address),
    ):
        failures = await session.scalars(
            select(SignInFailure.at)
            .where(column == value, SignInFailure.at > since)
            .order_by(SignInFailure.at.desc())
            .limit(limit)
        )
        times = failures.all()
        if len(times) >= limit:
            wait = times[-1] + timedelta(minutes=settings.failure_window_minutes) - utcnow()
            raise TooManyRequests(
                "too many failed sign-ins; try again later",
                retry_after_seconds=max(1, math.ceil(wait.total_seconds())),
            )


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    csrf_token: str
    expires_at: datetime


async def start_session(session: AsyncSession, user_id: int, settings: AuthSettings) -> NewSession:
    token, csrf = new_token("sds"), new_token("csrf")
    expires_at = utcnow() + timedelta(days=settings.session_days)
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            csrf_hash=token_hash(csrf),
            user_id=user_id,
            expires_at=expires_at,
        )
    )
    return NewSession(token, csrf, expires_at)


def _teams_csv() -> ScalarSelect[str | None]:
    """The user's teams as one comma-separated value, read in the same statement."""
    return (
        select(func.aggregate_strings(UserTeam.team, ","))
        .where(UserTeam.user_id == User.id)
        .scalar_subquery()
    )


def _actor(user_id: int, role: str, teams_csv: str | None) -> Actor:
    # Whether they see every team is the request's to decide (access.py), from the
    # settings of the moment: not remembered with the credential.
    return Actor(
        user_id=user_id,
        role=Role(role),
        teams=frozenset(teams_csv.split(",")) if teams_csv else frozenset(),
        sees_all_teams=False,
    )


@dataclass(frozen=True, slots=True)
class SessionOwner:
    actor: Actor
    csrf_hash: str
    session_id: int
    needs_touch: bool


async def session_owner(
    session: AsyncSession, token: str, settings: AuthSettings
) -> SessionOwner | None:
    """Who a session token signs in, in one statement; None if unknown, idle too long,
    expired, or a deactivated user's."""
    now = utcnow()
    row = (
        await session.execute(
            select(
                User.id,
                User.role,
                _teams_csv(),
                AuthSession.id,
                AuthSession.csrf_hash,
                AuthSession.last_seen_at,
            )
            .join(User, User.id == AuthSession.user_id)
            .where(
                AuthSession.token_hash == token_hash(token),
                AuthSession.expires_at > now,
                AuthSession.last_seen_at > now - timedelta(hours=settings.session_idle_hours),
                User.status != UserStatus.DEACTIVATED.value,
            )
        )
    ).first()
    if row is None:
        return None
    user_id, role, teams, session_id, csrf_hash, last_seen_at = row
    actor = _actor(user_id, role, teams)
    return SessionOwner(actor, csrf_hash, session_id, now - last_seen_at > TOUCH_EVERY)


async def touch_session(session: AsyncSession, session_id: int) -> None:
    await session.execute(
        update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=utcnow())
    )


async def end_session(session: AsyncSession, token: str) -> None:
    ended = await session.scalar(
        delete(AuthSession)
        .where(AuthSession.token_hash == token_hash(token))
        .returning(AuthSession.user_id)
    )
    if ended is not None:
        record(session, Change("auth.signed_out", By.user(ended), subject_user_id=ended))


async def end_all_sessions(session: AsyncSession, user_id: int) -> int:
    ended = await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
    record(session, Change("auth.signed_out_everywhere", By.user(user_id), subject_user_id=user_id))
    return int(getattr(ended, "rowcount", 0) or 0)


# --- API tokens --------------------------------------------------------------------------


async def create_token(
    session: AsyncSession, user_id: int, name: str, by: By | None = None
) -> tuple[ApiToken, str]:
    """`by`: who made it, when not the user themselves (the command line, say)."""
    secret = new_token("sdt")
    token = ApiToken(token_hash=token_hash(secret), user_id=user_id, name=name.strip())
    session.add(token)
    await session.flush()
    record(
        session,
        Change("token.created", by or By.user(user_id), subject_user_id=user_id, detail=token.name),
    )
    return token, secret


async def tokens_of(session: AsyncSession, user_id: int) -> Sequence[ApiToken]:
    statement = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return (await session.scalars(statement)).all()


async def revoke_token(session: AsyncSession, user_id: int, token_id: int) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(f"token {token_id} does not exist")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(
            session,
            Change("token.revoked", By.user(user_id), subject_user_id=user_id, detail=token.name),
        )
    return token


@dataclass(frozen=True, slots=True)
class TokenOwner:
    actor: Actor
    token_id: int
    needs_touch: bool


async def token_owner(session: AsyncSession, secret: str) -> TokenOwner | None:
    """Who an API token acts as, in one statement; None if unknown, revoked, or a
    deactivated user's."""
    row = (
        await session.execute(
            select(User.id, User.role, _teams_csv(), ApiToken.id, ApiToken.last_used_at)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(
                ApiToken.token_hash == token_hash(secret),
                ApiToken.revoked_at.is_(None),
                User.status != UserStatus.DEACTIVATED.value,
            )
        )
    ).first()
    if row is None:
        return None
    user_id, role, teams, token_id, last_used_at = row
    stale = last_used_at is None or utcnow() - last_used_at > TOUCH_EVERY
    return TokenOwner(_actor(user_id, role, teams), token_id, stale)


async def touch_token(session: AsyncSession, token_id: int) -> None:
    await session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow())
    )


# --- one-time links ----------------------------------------------------------------------


async def issue_link(
    session: AsyncSession, user_id: int, purpose: str, settings: AuthSettings
) -> str:
    """A new link for the user; their earlier unused links of the same purpose stop working."""
    assert purpose in LINK_PURPOSES
    now = utcnow()
    await session.execute(
        update(OneTimeLink)
        .where(
            OneTimeLink.user_id == user_id,
            OneTimeLink.purpose == purpose,
            OneTimeLink.used_at.is_(None),
        )
        .values(used_at=now)
    )
    secret = new_token("sdl")
    session.add(
        OneTimeLink(
            token_hash=token_hash(secret),
            purpose=purpose,
            user_id=user_id,
            expires_at=now + timedelta(hours=settings.link_hours),
        )
    )
    return secret


async def _an_admin_can_sign_in(session: AsyncSession) -> bool:
    found = await session.scalar(
        select(User.id).where(
            User.role == Role.ADMIN.value,
            User.status != UserStatus.DEACTIVATED.value,
            User.password_hash.is_not(None),
        )
    )
    return found is not None


async def setup_link(session: AsyncSession, settings: AuthSettings) -> str | None:
    """A link that makes its opener the admin, when no admin can sign in yet; else None."""
    if await _an_admin_can_sign_in(session):
        # An admin exists: setup links printed earlier (and kept in logs) stop working.
        await session.execute(
            update(OneTimeLink)
            .where(OneTimeLink.purpose == "setup", OneTimeLink.used_at.is_(None))
            .values(used_at=utcnow())
        )
        return None
    admin = await session.scalar(
        select(User).where(User.role == Role.ADMIN.value).order_by(User.id).limit(1)
    )
    if admin is None:
        admin = await create_user(
            session, email=SETUP_EMAIL, name="Admin", role=Role.ADMIN, teams=(), by=By("system")
        )
    return await issue_link(session, admin.id, "setup", settings)


async def open_link(session: AsyncSession, secret: str) -> tuple[OneTimeLink, User]:
    row = (
        await session.execute(
            select(OneTimeLink, User)
            .join(User, User.id == OneTimeLink.user_id)
            .where(
                OneTimeLink.token_hash == token_hash(secret),
                OneTimeLink.used_at.is_(None),
                OneTimeLink.expires_at > utcnow(),
                User.status != UserStatus.DEACTIVATED.value,
            )
        )
    ).first()
    if row is None:
        raise NotFound("this link is not valid: it was used, it expired, or it never existed")
    return row[0], row[1]


async def use_link(
    session: AsyncSession, secret: str, password: str, email: str | None, name: str | None
) -> User:
    """Set the password the link was for (and, for the setup link, the admin's email and
    name); the link is then used up."""
    link, user = await open_link(session, secret)
    if link.purpose == "setup" and await _an_admin_can_sign_in(session):
        raise NotFound("this link is not valid: it was used, it expired, or it never existed")
    # Claimed in one statement: of two requests with the same link, one wins.
    claimed = await session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if not getattr(claimed, "rowcount", 0):
        raise NotFound("this link is not valid: it was used, it expired, or it never existed")
    if link.purpose == "setup" and email:
        email = normal_email(email)
        taken = await session.scalar(select(User.id).where(User.email == email, User.id != user.id))
        if taken is not None:
            raise Conflict(f"a user with email {email} exists", {"email": ["already taken"]})
        user.email = email
    if link.purpose == "setup" and name:
        user.name = name.strip()
    user.password_hash = await asyncio.to_thread(hash_password, password)
    if link.purpose == "reset":  # ends whatever a thief may hold: sessions and API tokens
        await _end_sessions_and_tokens(session, user.id)
    else:
        await session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    record(
        session,
        Change(f"auth.{link.purpose}_link_used", By.user(user.id), subject_user_id=user.id),
    )
    return user


# --- housekeeping ------------------------------------------------------------------------


async def prune(session: AsyncSession, settings: AuthSettings, now: datetime) -> int:
    """Delete what can no longer sign anyone in or count against them: sessions past
    their expiry or idle timeout, one-time links used or expired (a day later, so an
    audit of a just-used link still finds it), sign-in failures older than the throttle's
    window. How many rows went."""
    idle_since = now - timedelta(hours=settings.session_idle_hours)
    statements = [
        delete(AuthSession).where(
            or_(AuthSession.expires_at <= now, AuthSession.last_seen_at <= idle_since)
        ),
        delete(OneTimeLink).where(
            or_(OneTimeLink.used_at <= now - KEEP_USED, OneTimeLink.expires_at <= now - KEEP_USED)
        ),
        delete(SignInFailure).where(
            SignInFailure.at <= now - timedelta(minutes=settings.failure_window_minutes)
        ),
    ]
    return await delete_all(session, statements)
