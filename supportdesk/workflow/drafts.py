"""Reply drafts an agent starts from: written from templates, offline, in a chosen tone.

A draft only states what the ticket and the workflow know: the facts extracted from the
customer's own words, who has the ticket, and what we still need from them. It never
promises an outcome (a refund, a fix, a time), because nobody has decided one yet.

Anything that drafts implements `Drafter`; an LLM drafter can be plugged in beside the
template one and fall back to it.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from supportdesk.taxonomy import Category, Priority
from supportdesk.workflow.draft_texts import (
    ASKS,
    CLOSINGS,
    ESCALATED,
    FACT_INTROS,
    GREETINGS,
    HANDOVER,
    INVALID,
    OPENINGS,
    OPENINGS_WITH_FACT,
)
from supportdesk.workflow.facts import Fact


class Tone(StrEnum):
    FRIENDLY = "friendly"
    FORMAL = "formal"
    EMPATHETIC = "empathetic"


class DraftSource(StrEnum):
    TEMPLATE = "template"
    LLM = "llm"


@dataclass(frozen=True)
class DraftRequest:
    subject: str
    body: str
    category: Category
    priority: Priority
    tone: Tone
    facts: Sequence[Fact] = ()
    missing: Sequence[str] = ()
    team_name: str = "support team"
    escalated: bool = False
    contact_email: str | None = None


@dataclass(frozen=True)
class Draft:
    content: str
    tone: Tone
    # For the agent, not the customer: what to check or do before sending.
    suggested_actions: list[str] = field(default_factory=list)
    source: DraftSource = DraftSource.TEMPLATE
    # Why a person must check it before sending; None for a draft fit to send as is.
    review_reason: str | None = None


class Drafter(Protocol):
    source: DraftSource

    async def draft(self, request: DraftRequest) -> Draft: ...


LABELS = {
    "order_id": ("Order", "Orders"),
    "invoice_id": ("Invoice", "Invoices"),
    "amount": ("Amount", "Amounts"),
    "date": ("Date", "Dates"),
    "error_code": ("Error code", "Error codes"),
    "email": ("Email", "Emails"),
    "phone": ("Phone", "Phones"),
    "url": ("Link", "Links"),
    "plan": ("Plan", "Plans"),
    "product": ("Product", "Products"),
    "version": ("Version", "Versions"),
}
# How a fact is named in a sentence ("the phone number "+1 555" ...").
NOUNS = {
    "order_id": "order number",
    "invoice_id": "invoice number",
    "error_code": "error code",
    "email": "email address",
    "phone": "phone number",
    "url": "link",
}
# What the customer is asked when a category's key fact is missing.
ASK_FOR = {
    (Category.BILLING, "order_id"): "order",
    (Category.ACCOUNT, "email"): "email",
}
# The fact an opening may name, per category.
LEAD = {
    Category.BILLING: ("order_id", "invoice_id"),
    Category.TECHNICAL: ("error_code",),
    Category.ACCOUNT: (),
    Category.GENERAL: ("order_id",),
}
# Below this many words a ticket says too little to act on: ask for more.
TERSE_WORDS = 6
# Facts worth repeating back, per category, in this order.
CITED = {
    Category.BILLING: ("order_id", "invoice_id", "amount", "date", "plan"),
    Category.TECHNICAL: ("error_code", "product", "version", "url", "date"),
    Category.ACCOUNT: ("email", "plan", "date"),
    Category.GENERAL: ("order_id", "product", "plan", "date", "url"),
}


def _pick(options: Sequence[str], seed: str, slot: str) -> str:
    """The same ticket and tone always get the same wording; different tickets vary."""
    digest = hashlib.blake2b(f"{seed}|{slot}".encode(), digest_size=4).digest()
    return options[int.from_bytes(digest, "big") % len(options)]


def shown(fact: Fact) -> str:
    """A fact as a customer reads it: amounts as they wrote them, dates spelled out."""
    if fact.name == "amount":
        return fact.raw
    if fact.name == "date" and len(fact.value) == 10:
        day = date.fromisoformat(fact.value)
        return f"{day.day} {day:%B %Y}"
    if fact.name == "date" and fact.value.startswith("--"):
        day = date(2000, int(fact.value[2:4]), int(fact.value[5:7]))
        return f"{day.day} {day:%B}"
    return fact.value


def _fact_lines(request: DraftRequest) -> list[str]:
    lines = []
    for name in CITED[request.category]:
        values = [shown(f) for f in request.facts if f.name == name and f.valid]
        if values:
            singular, plural = LABELS[name]
            lines.append(f"- {plural if len(values) > 1 else singular}: {', '.join(values)}")
    return lines


def _noun(name: str) -> str:
    return NOUNS.get(name, name.replace("_", " "))


def _opening(request: DraftRequest, seed: str) -> str:
    key = (request.category, request.tone)
    for name in LEAD[request.category]:
        values = [f.value for f in request.facts if f.name == name and f.valid]
        if values and key in OPENINGS_WITH_FACT:
            # Several orders read as a list; several error codes would not ("the A and B error").
            named = values[0] if name == "error_code" else " and ".join(values[:3])
            options = OPENINGS_WITH_FACT[key]
            return _pick(options, seed, "opening").format(fact=named)
    return _pick(OPENINGS[key], seed, "opening")


def suggested_actions(request: DraftRequest) -> list[str]:
    """Next steps for the agent, from what is known; nothing here is told to the customer."""
    by_name: dict[str, list[str]] = {}
    for fact in request.facts:
        if fact.valid:
            by_name.setdefault(fact.name, []).append(shown(fact))
    text = f"{request.subject}\n{request.body}".lower()
    actions = []
    if request.escalated:
        actions.append("Alert the escalation on-call and check for a wider incident")
    if request.category is Category.BILLING:
        for name, label in (("order_id", "order"), ("invoice_id", "invoice")):
            if name in by_name:
                ids = by_name[name]
                noun = label + ("s" if len(ids) > 1 else "")
                actions.append(f"Look up {noun} {', '.join(ids)} in the billing system")
        if "amount" in by_name:
            actions.append(
                f"Match the amount ({', '.join(by_name['amount'])}) to the payment records"
            )
        if any(w in text for w in ("twice", "double", "duplicate")):
            actions.append("Check whether the same payment was taken more than once")
        if "refund" in text:
            actions.append("Check the charge against the refund policy before replying")
    elif request.category is Category.TECHNICAL:
        for code in by_name.get("error_code", []):
            actions.append(f"Search known issues and logs for {code}")
        for version in by_name.get("version", []):
            actions.append(f"Check whether version {version} is affected")
        for url in by_name.get("url", [])[:2]:
            actions.append(f"Try to reproduce at {url}")
        if "error_code" not in by_name:
            actions.append("Get the exact error message or a screenshot")
    elif request.category is Category.ACCOUNT:
        emails = by_name.get("email", []) or (
            [request.contact_email] if request.contact_email else []
        )
        if emails:
            actions.append(f"Verify the requester controls {emails[0]} before changing the account")
        else:
            actions.append("Verify the requester's identity before changing the account")
    else:
        if "product" in by_name or "plan" in by_name:
            named = ", ".join(by_name.get("product", []) + by_name.get("plan", []))
            actions.append(f"Link the help article for {named}, if there is one")
        else:
            actions.append("Answer the question or link the matching help article")
    for fact in request.facts:
        if not fact.valid:
            actions.append(
                f'Confirm the {_noun(fact.name)} "{fact.raw}" with the customer ({fact.reason})'
            )
    for name in request.missing:
        if name == "order_id":
            actions.append("Ask for the order or invoice number")
        elif name == "email":
            actions.append("Ask for the email address on the account")
    return list(dict.fromkeys(actions))


def compose(request: DraftRequest, signature: str = "The Support Team") -> Draft:
    """The template draft for `request`: deterministic for the same ticket and tone."""
    seed = f"{request.tone}|{request.subject}|{request.body}"
    tone = request.tone
    parts = [_pick(GREETINGS[tone], seed, "greeting"), _opening(request, seed)]
    lines = _fact_lines(request)
    if lines:
        parts.append(_pick(FACT_INTROS[tone], seed, "facts") + "\n" + "\n".join(lines))
    for fact in (f for f in request.facts if not f.valid):
        parts.append(
            _pick(INVALID[tone], seed, f"invalid-{fact.name}").format(
                label=_noun(fact.name), raw=fact.raw, reason=fact.reason
            )
        )
    for name in request.missing:
        ask = ASK_FOR.get((request.category, name))
        if ask:
            parts.append(_pick(ASKS[(ask, tone)], seed, "ask"))
    if request.category is Category.TECHNICAL and not any(
        f.name == "error_code" for f in request.facts
    ):
        parts.append(_pick(ASKS[("error", tone)], seed, "ask-error"))
    if len(f"{request.subject} {request.body}".split()) < TERSE_WORDS:
        parts.append(_pick(ASKS[("details", tone)], seed, "ask-details"))
    if request.escalated:
        parts.append(
            _pick(ESCALATED[tone], seed, "escalated").format(
                priority=request.priority.value, team=request.team_name
            )
        )
    else:
        parts.append(_pick(HANDOVER[tone], seed, "handover").format(team=request.team_name))
    parts.append(_pick(CLOSINGS[tone], seed, "closing") + "\n" + signature)
    return Draft(
        content="\n\n".join(parts),
        tone=tone,
        suggested_actions=suggested_actions(request),
        source=DraftSource.TEMPLATE,
    )


class TemplateDrafter:
    """The offline drafter: templates filled with the ticket's facts."""

    source = DraftSource.TEMPLATE

    def __init__(self, signature: str = "The Support Team") -> None:
        self.signature = signature

    async def draft(self, request: DraftRequest) -> Draft:
        return compose(request, self.signature)
