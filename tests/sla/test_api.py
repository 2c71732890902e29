"""SLA through the API on SQLite and PostgreSQL: settings an admin sets (bad ones refused,
naming the field), a ticket's targets on its team's calendar, a reply pausing them, the
sweep's warnings and breaches recorded once, attainment."""

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from supportdesk.audit.models import AuditEvent
from supportdesk.jobs.registry import JobContext
from supportdesk.sla import service
from supportdesk.sla.models import SlaEvent
from supportdesk.sla.tasks import refresh, sweep
from supportdesk.tickets.models import Ticket
from supportdesk.types import utcnow
from supportdesk.workflow.tasks import process_ticket
from tests.factories import make_ticket

TICKET = {"title": "Cannot log in", "description": "The login page says my token is invalid."}
WEEKDAYS = {day: {"start": "09:00", "end": "17:00"} for day in ("mon", "tue", "wed", "thu", "fri")}


def context(app: FastAPI) -> JobContext:
    return JobContext(app.state.settings, app.state.db, app.state.triage)


async def _age(app: FastAPI, ticket_id: int, minutes: float) -> None:
    """As if the ticket had arrived that long ago."""
    async with app.state.db.transaction() as session:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )


async def test_admins_set_targets_and_calendars_and_bad_ones_name_the_field(
    client: httpx.AsyncClient,
) -> None:
    targets = {
        "first_response_minutes": 30,
        "next_response_minutes": 60,
        "resolution_minutes": None,
    }
    answer = await client.put("/api/sla/targets/high", json=targets)
    assert answer.status_code == 200, answer.text
    listed = {row["priority"]: row for row in (await client.get("/api/sla/targets")).json()}
    assert listed["high"] == {"priority": "high", **targets}
    assert listed["low"]["first_response_minutes"] == 72 * 60  # the default

    calendar = {"timezone": "Europe/Berlin", "hours": WEEKDAYS, "country": "DE", "holidays": []}
    answer = await client.put("/api/sla/calendars/billing_team", json=calendar)
    assert answer.status_code == 200, answer.text
    assert answer.json()["country"] == "DE"
    assert (await client.get("/api/sla/calendars")).json()[0]["team"] == "billing_team"

    for path, body, field in [
        ("/api/sla/calendars/billing_team", {**calendar, "timezone": "Mars/Olympus"}, "timezone"),
        ("/api/sla/calendars/billing_team", {**calendar, "country": "ZZ"}, "country"),
        (
            "/api/sla/calendars/billing_team",
            {**calendar, "hours": {"mon": {"start": "25:00", "end": "09:00"}}},
            "hours.mon.start",
        ),
        (
            "/api/sla/targets/high",
            {**targets, "first_response_minutes": 0},
            "first_response_minutes",
        ),
    ]:
        refused = await client.put(path, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert any(key.endswith(field) for key in refused.json()["errors"]), refused.json()
    unknown = await client.put("/api/sla/calendars/no_such_team", json=calendar)
    assert unknown.status_code == 404
    assert (await client.delete("/api/sla/calendars/billing_team")).status_code == 204
    assert (await client.get("/api/sla/calendars")).json() == []


async def test_a_ticket_shows_its_next_target_and_a_reply_pauses_resolution(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.put(
        "/api/sla/targets/medium",
        json={
            "first_response_minutes": 60,
            "next_response_minutes": 120,
            "resolution_minutes": 600,
        },
    )
    ticket = (await make_ticket(client, **TICKET, priority="medium"))["id"]
    await process_ticket(context(app), ticket_id=ticket)
    sla = (await client.get(f"/api/tickets/{ticket}/sla")).json()
    assert sla["calendar"] == "24/7"
    assert sla["next"]["target"] == "first_response"
    stored = (await client.get(f"/api/tickets/{ticket}")).json()
    assert stored["due_at"] == sla["next"]["due_at"]  # the list's "SLA at risk" reads it

    reply = {"kind": "reply", "body": "Please try again now."}
    assert (await client.post(f"/api/tickets/{ticket}/messages", json=reply)).status_code == 201
    await refresh(context(app), ticket_id=ticket)
    sla = (await client.get(f"/api/tickets/{ticket}/sla")).json()
    first, resolution = sla["targets"]
    assert first["met_at"] is not None and not first["breached"]
    assert resolution["paused"] and resolution["due_at"] is None
    assert sla["next"] is None
    assert (await client.get(f"/api/tickets/{ticket}")).json()["due_at"] is None


async def test_the_team_s_calendar_counts_only_working_hours(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.put(
        "/api/sla/calendars/billing_team",
        json={"timezone": "UTC", "hours": {"mon": {"start": "09:00", "end": "10:00"}}},
    )
    ticket = (await make_ticket(client, **TICKET, category="billing", priority="medium"))["id"]
    await process_ticket(context(app), ticket_id=ticket)
    sla = (await client.get(f"/api/tickets/{ticket}/sla")).json()
    assert sla["calendar"] == "billing_team (UTC)"
    due = sla["next"]["due_at"]
    # One working hour a week: a day of business time lies weeks ahead, on a Monday.
    assert due[11:13] in {"09", "10"}
    assert due > (utcnow() + timedelta(days=7 * 20)).isoformat()


async def test_the_sweep_warns_then_records_the_breach_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.put(
        "/api/sla/targets/high",
        json={
            "first_response_minutes": 60,
            "next_response_minutes": None,
            "resolution_minutes": None,
        },
    )
    ticket = (await make_ticket(client, **TICKET, priority="high"))["id"]
    await _age(app, ticket, 45)  # due in 15 minutes: within the 30-minute warning
    await process_ticket(context(app), ticket_id=ticket)
    await sweep(context(app))
    await sweep(context(app))  # nothing new
    await _age(app, ticket, 70)
    await process_ticket(context(app), ticket_id=ticket)
    await sweep(context(app))
    await sweep(context(app))
    async with app.state.db.sessions() as session:
        events = [(e.target, e.kind) for e in await session.scalars(select(SlaEvent))]
        audited = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.ticket_id == ticket, AuditEvent.action.like("sla.%"))
                .order_by(AuditEvent.id)
            )
        )
    assert events == [("first_response", "warning"), ("first_response", "breached")]
    assert audited == ["sla.warning", "sla.breached"]
    assert (await client.get(f"/api/tickets/{ticket}")).json()["sla_breached"] is True
    history = (await client.get(f"/api/tickets/{ticket}/history")).json()
    assert any(event["action"] == "sla.breached" for event in history)


async def test_attainment_counts_met_breached_and_running_per_target(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    on_time = (await make_ticket(client, **TICKET, priority="low"))["id"]
    late = (await make_ticket(client, **TICKET, priority="low"))["id"]
    running = (await make_ticket(client, **TICKET, priority="low"))["id"]
    reply = {"kind": "reply", "body": "Fixed."}
    await client.post(f"/api/tickets/{on_time}/messages", json=reply)
    await _age(app, late, 73 * 60)
    await client.post(f"/api/tickets/{late}/messages", json=reply)
    for ticket in (on_time, late, running):  # the jobs a reply (or a new ticket) queues
        await refresh(context(app), ticket_id=ticket)
    answer = (await client.get("/api/sla/attainment?days=7")).json()
    first = next(row for row in answer["rows"] if row["target"] == "first_response")
    assert (first["priority"], first["met"], first["breached"], first["open"]) == ("low", 1, 1, 1)
    assert first["attainment"] == 0.5
    refused = await client.get("/api/sla/attainment?days=0")
    assert refused.status_code == 422 and "days" in refused.json()["errors"]


async def test_the_sweep_leaves_updated_at_alone(app: FastAPI, client: httpx.AsyncClient) -> None:
    ticket = (await make_ticket(client, **TICKET, priority="critical"))["id"]
    await _age(app, ticket, 50)  # first response due in 10 minutes
    await process_ticket(context(app), ticket_id=ticket)
    before = (await client.get(f"/api/tickets/{ticket}")).json()
    async with app.state.db.transaction() as session:  # 20 minutes on
        counts = await service.sweep(session, utcnow() + timedelta(minutes=20), timedelta())
    assert counts == {"breached": 1}
    after = (await client.get(f"/api/tickets/{ticket}")).json()
    assert after["updated_at"] == before["updated_at"] and after["sla_breached"]
