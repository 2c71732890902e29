"""Reply drafts an agent starts from: written from templates, offline, in a chosen tone.

A draft only states what the ticket and the workflow know: the facts extracted from the
customer's own words, who has the ticket, and what we still need from them. It never
promises an outcome (a refund, a fix, a time), because nobody has decided one yet.

Anything that drafts implements `Drafter`; an LLM drafter can be plugged in beside the
template one and fall back to it.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from supportdesk.taxonomy import Category, Priority, Tone
from supportdesk.triage.cues import read_signals
from supportdesk.workflow.drafts.texts import (
    ASKS,
    BUG,
    CLOSINGS,
    DISPUTE,
    ESCALATED,
    FACT_INTROS,
    FEATURE,
    GREETINGS,
    HANDOVER,
    HOW_TO,
    INVALID,
    OPENINGS,
    OPENINGS_WITH_FACT,
    OUTAGE,
    SECURITY,
    SITUATION_NEXT,
    SITUATION_OPENINGS,
)
from supportdesk.workflow.extraction.facts import Fact, spoken


class DraftSource(StrEnum):
    TEMPLATE = "template"
    LLM = "llm"


@dataclass(frozen=True)
class Turn:
    """One public message of the conversation after the ticket's description."""

    author: str  # "customer" or "agent"
    text: str


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
    # The public conversation after the description, oldest first: the LLM drafter reads
    # it (the template drafts from the description and the facts).
    thread: Sequence[Turn] = ()


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


class Situation(StrEnum):
    """What is happening to the customer: it decides what a reply says more than the
    category does (a payments outage is billing, but nobody wants an invoice number)."""

    OUTAGE = OUTAGE
    SECURITY = SECURITY
    BILLING_DISPUTE = DISPUTE
    BUG = BUG
    HOW_TO = HOW_TO
    FEATURE_REQUEST = FEATURE


FEATURE_CUES = re.compile(
    r"\bfeature request\b|\b(would|it'd) be (nice|great|helpful|useful)\b|\bplease add\b|"
    r"\bsuggest(ion)?\b|\bwould it be possible to add\b|\b(any|are there) plans? to\b",
    re.IGNORECASE,
)
DISPUTE_CUES = re.compile(
    r"\brefund\w*|\bcharged (twice|double)|\bdouble[- ]charged|\bovercharged|\bdispute|"
    r"\bwrong (amount|charge)|\bdidn'?t (order|buy|authori[sz]e)|\bcharge ?back",
    re.IGNORECASE,
)
HOW_TO_CUES = re.compile(
    r"\bhow (do|can|to|should|would)\b|^\s*(where|can i|can we|is there|is it possible|do you)\b",
    re.IGNORECASE | re.MULTILINE,
)
# Impact cues that make a problem everyone's rather than one customer's.
WIDE_IMPACT = {"outage", "payments_failing", "everyone_affected"}


def situation_of(request: "DraftRequest") -> Situation | None:
    """The situation the ticket's own words and priority describe; None when only its
    category is known (its category's wording fits then)."""
    signals = read_signals(f"{request.subject}\n{request.body}")
    critical = set(signals.critical)
    if "security" in critical:
        return Situation.SECURITY
    if critical & WIDE_IMPACT and (
        signals.problem or signals.blocked or request.priority is Priority.CRITICAL
    ):
        return Situation.OUTAGE
    text = f"{request.subject}\n{request.body}"
    if request.category is Category.BILLING and DISPUTE_CUES.search(text):
        return Situation.BILLING_DISPUTE
    if FEATURE_CUES.search(text):
        return Situation.FEATURE_REQUEST
    if signals.problem or signals.blocked:
        return Situation.BUG
    if HOW_TO_CUES.search(text):
        return Situation.HOW_TO
    return None


# What a reply in each situation asks of the customer: an outage or a feature request asks
# nothing, a security report only who they are, a question no error message.
ASKED = {
    Situation.OUTAGE: frozenset[str](),
    Situation.SECURITY: frozenset({"email"}),
    Situation.FEATURE_REQUEST: frozenset({"details"}),
    Situation.HOW_TO: frozenset({"details"}),
}
ALL_ASKS = frozenset({"order", "email", "error", "details"})


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


def _opening(request: DraftRequest, situation: Situation | None, seed: str) -> str:
    # A technical category's openings already speak of a problem (and name its error code).
    if situation is not None and not (
        situation is Situation.BUG and request.category is Category.TECHNICAL
    ):
        return _pick(SITUATION_OPENINGS[(situation.value, request.tone)], seed, "opening")
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
                f'Confirm the {spoken(fact.name)} "{fact.raw}" with the customer ({fact.reason})'
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
    situation = situation_of(request)
    asked = ASKED.get(situation, ALL_ASKS) if situation else ALL_ASKS
    parts = [_pick(GREETINGS[tone], seed, "greeting"), _opening(request, situation, seed)]
    if situation is not None and (situation.value, tone) in SITUATION_NEXT:
        parts.append(_pick(SITUATION_NEXT[(situation.value, tone)], seed, "next"))
    lines = _fact_lines(request)
    if lines:
        parts.append(_pick(FACT_INTROS[tone], seed, "facts") + "\n" + "\n".join(lines))
    for fact in (f for f in request.facts if not f.valid):
        parts.append(
            _pick(INVALID[tone], seed, f"invalid-{fact.name}").format(
                label=spoken(fact.name), raw=fact.raw, reason=fact.reason
            )
        )
    for name in request.missing:
        ask = ASK_FOR.get((request.category, name))
        if ask in asked:
            parts.append(_pick(ASKS[(ask, tone)], seed, "ask"))
    if (
        "error" in asked
        and request.category is Category.TECHNICAL
        and not any(f.name == "error_code" for f in request.facts)
    ):
        parts.append(_pick(ASKS[("error", tone)], seed, "ask-error"))
    if "details" in asked and len(f"{request.subject} {request.body}".split()) < TERSE_WORDS:
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
