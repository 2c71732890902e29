"""`supportdesk users ...`: the first admin, API tokens, and the demo team, from a shell."""

import asyncio
import tomllib

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from supportdesk.audit.service import SYSTEM, By
from supportdesk.auth import service
from supportdesk.auth.actor import Role
from supportdesk.config import Settings, get_settings
from supportdesk.db import Database
from supportdesk.errors import AppError
from supportdesk.migrate import upgrade

app = typer.Typer(help="Staff users: the first admin, API tokens.", no_args_is_help=True)

# The demo data's team: signing in needs a password, which only a link sets.
DEMO_STAFF = [
    ("maya.chen@example.com", "Maya Chen", ["billing_team"]),
    ("omar.haddad@example.com", "Omar Haddad", ["technical_support", "escalation_team"]),
    ("lena.fischer@example.com", "Lena Fischer", ["account_management", "general_support"]),
    ("sam.okafor@example.com", "Sam Okafor", ["product_team", "general_support"]),
]


def link_url(settings: Settings, purpose: str, secret: str, port: int | None = None) -> str:
    base = settings.auth.base_url(f"http://{settings.host}:{port or settings.port}")
    return f"{base}/welcome#{purpose}={secret}"


async def print_setup_link(settings: Settings, port: int | None = None) -> None:
    """When no admin can sign in yet: a one-time link that makes its opener the admin."""
    database = Database(settings.database_url)
    try:
        async with database.transaction() as session:
            secret = await service.setup_link(session, settings.auth)
    finally:
        await database.dispose()
    if secret is not None:
        url = link_url(settings, "setup", secret, port)
        typer.secho(
            f"\nNo admin can sign in yet. Open this one-time link to become the admin:\n  {url}\n"
            f"(it works for {settings.auth.link_hours:g} hours; each start makes a new one)\n",
            fg=typer.colors.GREEN,
        )


async def _invite(email: str, name: str, role: Role, teams: list[str]) -> str:
    settings = get_settings()
    # Only the [teams] table's keys: the workflow checks the whole file when it starts.
    with settings.workflow.routing_file.open("rb") as routing:
        known = list(tomllib.load(routing).get("teams", {}))
    unknown = sorted(set(teams) - set(known))
    if unknown:
        raise typer.BadParameter(f"no team {', '.join(unknown)}; teams: {', '.join(known)}")
    database = Database(settings.database_url)
    try:
        async with database.transaction() as session:
            user = await service.create_user(
                session, email=email, name=name, role=role, teams=teams, by=SYSTEM
            )
            secret = await service.issue_link(session, user.id, "invite", settings.auth)
            return link_url(settings, "invite", secret)
    finally:
        await database.dispose()


def _print_invitation(email: str, name: str, role: Role, teams: list[str]) -> None:
    upgrade(get_settings().database_url)
    try:
        url = asyncio.run(_invite(email, name, role, teams))
    except AppError as error:
        raise typer.BadParameter(error.detail or error.title) from error
    typer.echo(f"Open this one-time link to set the password of {email}:\n  {url}")


@app.command("create-admin")
def create_admin(
    email: str = typer.Option(..., help="the admin's email, to sign in with"),
    name: str = typer.Option("Admin", help="the admin's name"),
) -> None:
    """Create an admin and print a one-time link for them to choose a password."""
    _print_invitation(email, name, Role.ADMIN, [])


@app.command()
def invite(
    email: str = typer.Option(..., help="their email, to sign in with"),
    name: str = typer.Option(..., help="their name"),
    role: Role = typer.Option(Role.AGENT, help="admin, agent or viewer"),
    team: list[str] = typer.Option([], help="a team of the routing file (repeat for more)"),
) -> None:
    """Create a staff user and print a one-time link for them to choose a password."""
    _print_invitation(email, name, role, team)


async def _token(email: str, name: str) -> str:
    settings = get_settings()
    database = Database(settings.database_url)
    try:
        async with database.transaction() as session:
            user = await service.user_by_email(session, email)
            # Made on the server's command line, not by the user: the audit says so.
            _, secret = await service.create_token(session, user.id, name, By("cli"))
            return secret
    finally:
        await database.dispose()


@app.command()
def token(
    email: str = typer.Option(..., help="the user the token acts as"),
    name: str = typer.Option("integration", help="what the token is for"),
) -> None:
    """Print a new API token (send it as `Authorization: Bearer <token>`)."""
    upgrade(get_settings().database_url)
    try:
        typer.echo(asyncio.run(_token(email, name)))
    except AppError as error:
        raise typer.BadParameter(error.detail or error.title) from error


async def seed_demo_staff(database: Database) -> None:
    """The demo's agents in their teams, when the database has none of them yet."""
    async with database.transaction() as session:
        for email, name, teams in DEMO_STAFF:
            if await service.find_user(session, email) is None:
                await service.create_user(
                    session, email=email, name=name, role=Role.AGENT, teams=teams, by=SYSTEM
                )


async def demo_agent_ids(session: AsyncSession) -> list[int]:
    """The ids of the demo's agents (seeded by `seed_demo_staff`)."""
    found = [await service.find_user(session, email) for email, _, _ in DEMO_STAFF]
    return [user.id for user in found if user is not None]
