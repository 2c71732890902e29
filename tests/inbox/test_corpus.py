"""The corpus of emails we wrote, each delivered as a mail server would: the ticket it
joins or opens, and the text it keeps (the reply, without quotes or signatures)."""

from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from supportdesk.conversations.models import Attachment, Contact, TicketCc
from supportdesk.mail.models import Arrival
from supportdesk.tickets.models import Ticket
from tests.conversations.helpers import file_ticket
from tests.inbox.conftest import corpus, deliver, we_emailed


@dataclass(frozen=True)
class Case:
    file: str
    status: Arrival
    lands: str  # "thread": the ticket's thread; "linked": a new ticket linked to it; "new"
    keeps: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()


QUOTED = ("We refunded one charge", "wrote:", "Acme Support")
CASES = [
    Case("gmail_reply.eml", Arrival.ADDED, "thread", ("I see the refund on my statement",), QUOTED),
    Case(
        "outlook_desktop_reply.eml",
        Arrival.ADDED,
        "thread",
        ("the second charge is gone. Thank you \u2013 that\u2019s all.",),  # Windows-1252
        (*QUOTED[:1], "From: Acme", "Sent: Monday"),
    ),
    Case(
        "outlook_web_reply_subject_only.eml",
        Arrival.ADDED,
        "thread",
        ("can I get an invoice for the refund?",),
        (*QUOTED[:1], "alert", "Sent:"),
    ),
    Case("apple_mail_reply.eml", Arrival.ADDED, "thread", ("after the update 🎉",), QUOTED[:2]),
    Case(
        "thunderbird_reply_latin1.eml",
        Arrival.ADDED,
        "thread",
        ("Das Problem ist gelöst, vielen Dank für die schnelle Hilfe.",),
        ("Bitte aktualisieren", "schrieb"),
    ),
    Case(
        "outlook_german_reply.eml",
        Arrival.ADDED,
        "thread",
        ("Die Rückerstattung ist angekommen, danke.",),
        ("We refunded", "Gesendet:"),
    ),
    Case(
        "gmail_forward_from_colleague.eml",
        Arrival.OPENED,
        "linked",
        ("I am Ann's colleague: we were charged twice on our team account too.",),
    ),
    Case("bcc_reply.eml", Arrival.OPENED, "linked", ("please close our partner account",), QUOTED),
    Case(
        "reply_from_new_address.eml",
        Arrival.OPENED,
        "linked",
        ("the refund has not arrived after all",),
        QUOTED,
    ),
    Case(
        "html_only_new_ticket.eml",
        Arrival.OPENED,
        "new",
        ('login page says "invalid token".', "• Browser: Firefox", "the error page"),
        ("steal", "color:red"),
    ),
    Case(
        "shift_jis_new_ticket.eml",
        Arrival.OPENED,
        "new",
        ("ログインできません。パスワードをリセットしてもエラーになります。",),
    ),
    Case(
        "attachments_and_inline_image.eml",
        Arrival.OPENED,
        "new",
        ("The invoice shows the wrong VAT number.",),
    ),
    Case("bounce.eml", Arrival.IGNORED, "nowhere"),
    Case("out_of_office.eml", Arrival.IGNORED, "nowhere"),
    Case("mailing_list_loop.eml", Arrival.IGNORED, "nowhere"),
]


async def _tickets(app: FastAPI) -> list[Ticket]:
    async with app.state.db.sessions() as session:
        return list(await session.scalars(select(Ticket).order_by(Ticket.id)))


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
async def test_each_email_lands_where_it_belongs_keeping_only_what_was_written(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient, case: Case
) -> None:
    ticket, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    await we_emailed(app, ticket)
    row = await deliver(app, corpus(case.file, ticket))

    assert row.status == case.status, row.reason
    assert row.raw == corpus(case.file, ticket)  # kept as it came, for audit
    tickets = await _tickets(app)
    thread = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    if case.lands == "thread":
        assert row.ticket_id == ticket and len(tickets) == 1
        kept = thread[-1]["body"]
        assert thread[-1]["kind"] == "customer" and len(thread) == 2
    elif case.status is Arrival.OPENED:
        assert len(tickets) == 2 and len(thread) == 1  # the ticket's thread is untouched
        new = tickets[-1]
        assert row.ticket_id == new.id
        assert new.follow_up_of == (ticket if case.lands == "linked" else None)
        kept = new.description
        assert new.ai_category is not None  # triaged as any new ticket
    else:
        assert len(tickets) == 1 and len(thread) == 1
        assert row.reason
        kept = ""
    for text in case.keeps:
        assert text in kept
    for text in case.drops:
        assert text not in kept


async def test_a_bounce_names_the_ticket_whose_email_it_returns(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    ticket, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    await we_emailed(app, ticket)
    row = await deliver(app, corpus("bounce.eml", ticket))
    assert row.reason == "delivery report (delivery-status)"
    assert row.ticket_id == ticket


async def test_html_only_mail_keeps_its_html_sanitised(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    row = await deliver(app, corpus("html_only_new_ticket.eml"))
    assert row.html is not None
    assert "<b>" in row.html and "invalid token" in row.html
    for unsafe in ("<script", "steal()", "onclick", "tracker.example", "<style"):
        assert unsafe not in row.html


async def test_a_new_ticket_by_email_names_its_customer_and_subject_in_any_charset(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    row = await deliver(app, corpus("shift_jis_new_ticket.eml"))
    ticket = (await client.get(f"/api/tickets/{row.ticket_id}")).json()
    assert ticket["title"] == "ログインできない"
    async with app.state.db.sessions() as session:
        contact = await session.scalar(select(Contact).where(Contact.email == "yamada@example.jp"))
    assert contact is not None and contact.name == "山田太郎"


async def test_attachments_and_inline_images_are_kept_and_those_copied_join_the_ticket(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    row = await deliver(app, corpus("attachments_and_inline_image.eml"))
    async with app.state.db.sessions() as session:
        files = list(await session.scalars(select(Attachment).order_by(Attachment.id)))
        copied = list(await session.scalars(select(TicketCc.email)))
    assert [(f.filename, f.content_type, f.inline, f.content_id) for f in files] == [
        ("screenshot.png", "image/png", True, "shot-1@fox.example"),
        ("invoice-2026-11.pdf", "application/pdf", False, None),
    ]
    assert files[0].content.startswith(b"\x89PNG") and files[1].content.startswith(b"%PDF")
    assert all(f.ticket_id == row.ticket_id and f.message_id is None for f in files)
    # Erin was copied; our own address is not a participant.
    assert copied == ["erin@fox.example"]


async def test_the_thread_shows_what_came_by_email_and_its_files_download_inert(
    app: FastAPI, client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    row = await deliver(app, corpus("attachments_and_inline_image.eml"))
    ticket, _ = await file_ticket(anonymous, email="ann.lee@example.com")
    await we_emailed(app, ticket)
    await deliver(app, corpus("gmail_reply.eml", ticket))
    opening = (await client.get(f"/api/tickets/{row.ticket_id}/messages")).json()["messages"]
    assert opening[0]["by_email"] is True
    assert [(a["filename"], a["inline"], a["size"]) for a in opening[0]["attachments"]] == [
        ("screenshot.png", True, 70),
        (
            "invoice-2026-11.pdf",
            False,
            len(
                b"%PDF-1.4\n% supportdesk test invoice\n"
                b"1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
            ),
        ),
    ]
    replied = (await client.get(f"/api/tickets/{ticket}/messages")).json()["messages"]
    assert [m["by_email"] for m in replied] == [False, True]  # the web form, then an email
    pdf = opening[0]["attachments"][1]["id"]
    download = await client.get(f"/api/tickets/{row.ticket_id}/attachments/{pdf}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''invoice-2026-11.pdf"
    )
    # Not through another ticket's id.
    elsewhere = await client.get(f"/api/tickets/{ticket}/attachments/{pdf}")
    assert elsewhere.status_code == 404
