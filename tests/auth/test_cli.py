"""`supportdesk users ...` and the setup link a first start prints: no default password."""

import asyncio
import os
import sqlite3

from typer.testing import CliRunner

from supportdesk.auth.cli import print_setup_link
from supportdesk.cli import app
from supportdesk.config import get_settings
from supportdesk.migrate import upgrade


def rows(sql: str) -> list[tuple[object, ...]]:
    path = os.environ["DATABASE_URL"].split(":///", 1)[1]
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_a_first_start_prints_a_setup_link_and_no_password_exists(
    sqlite_env: None, capsys: object
) -> None:
    settings = get_settings()
    upgrade(settings.database_url)
    asyncio.run(print_setup_link(settings, 8000))
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "http://127.0.0.1:8000/welcome#setup=sdl_" in printed
    assert rows("SELECT role, password_hash FROM users") == [("admin", None)]
    secret = printed.split("#setup=")[1].split()[0]
    stored = {hash_ for (hash_,) in rows("SELECT token_hash FROM auth_links")}
    assert secret not in stored and len(stored) == 1


def test_create_admin_prints_an_invitation_and_token_prints_a_working_token(
    sqlite_env: None,
) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["users", "create-admin", "--email", "Ops@Example.com"])
    assert made.exit_code == 0, made.output
    assert "#invite=sdl_" in made.output
    assert rows("SELECT email, role FROM users") == [("ops@example.com", "admin")]
    again = runner.invoke(app, ["users", "create-admin", "--email", "ops@example.com"])
    assert again.exit_code != 0 and "exists" in again.output
    token = runner.invoke(app, ["users", "token", "--email", "ops@example.com"])
    assert token.exit_code == 0 and token.output.startswith("sdt_")
    made_by = rows("SELECT actor_kind FROM audit_events WHERE action = 'token.created'")
    assert made_by == [("cli",)]  # the command line made it, not the user
    nobody = runner.invoke(app, ["users", "token", "--email", "nobody@example.com"])
    assert nobody.exit_code != 0


def test_the_demo_seeds_agents_in_teams_without_passwords(sqlite_env: None) -> None:
    result = CliRunner().invoke(app, ["seed", "--count", "3", "--no-workflow"])
    assert result.exit_code == 0, result.output
    staff = rows("SELECT role, password_hash FROM users")
    assert len(staff) >= 3 and all(role == "agent" and hash_ is None for role, hash_ in staff)
    assert rows("SELECT count(DISTINCT team) FROM user_teams")[0][0] >= 3


def test_invite_puts_an_agent_in_teams_and_refuses_an_unknown_team(sqlite_env: None) -> None:
    runner = CliRunner()
    args = ["users", "invite", "--email", "a@example.com", "--name", "A", "--team"]
    made = runner.invoke(app, [*args, "billing_team", "--team", "product_team"])
    assert made.exit_code == 0 and "#invite=sdl_" in made.output, made.output
    assert rows("SELECT team FROM user_teams ORDER BY team") == [
        ("billing_team",),
        ("product_team",),
    ]
    wrong = runner.invoke(app, [*args, "nope"])
    assert wrong.exit_code != 0 and "no team nope" in wrong.output


def test_setup_links_stop_working_once_an_admin_can_sign_in(sqlite_env: None) -> None:
    settings = get_settings()
    upgrade(settings.database_url)
    asyncio.run(print_setup_link(settings))
    with sqlite3.connect(os.environ["DATABASE_URL"].split(":///", 1)[1]) as connection:
        connection.execute("UPDATE users SET password_hash = 'set elsewhere'")
    asyncio.run(print_setup_link(settings))
    assert rows("SELECT count(*) FROM auth_links WHERE used_at IS NULL") == [(0,)]
