"""Demo tickets for `supportdesk seed`: written by us, varied in product, tone and length.

Each scenario carries the labels our labeling guide gives it; the phrasing around it is
recombined so that thousands of tickets still read differently.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from supportdesk.taxonomy import Category, LabelSource, Priority, Status
from supportdesk.triage.base import Suggestion

PRODUCTS = [
    "the mobile app",
    "the web dashboard",
    "the Android app",
    "the iOS app",
    "the reporting module",
    "the invoicing tool",
    "the team calendar",
    "the public API",
    "the Slack integration",
    "the desktop client",
    "the checkout page",
    "the analytics export",
    "the booking widget",
]
PLANS = ["Starter", "Pro", "Team", "Business", "Enterprise", "Family"]
NAMES = ["Ana", "Marcus", "Priya", "Tom", "Yuki", "Fatima", "Lars", "Chloe", "Diego", "Amara"]
GREETINGS = ["Hi,", "Hello team,", "Hey there.", "Good morning,", "Dear support,", "", "", ""]
SIGN_OFFS = ["Thanks,", "Cheers,", "Best regards,", "Kind regards,", "Thank you!", "", "", ""]


@dataclass(frozen=True)
class Scenario:
    category: Category
    priority: Priority
    titles: tuple[str, ...]
    bodies: tuple[str, ...]


S = Scenario
C, P = Category, Priority
SCENARIOS = [
    S(
        C.BILLING,
        P.MEDIUM,
        ("Charged twice this month", "Double charge on my card", "Duplicate payment"),
        (
            "I was charged {amount} twice for my {plan} plan on {date}. Could you refund the second charge?",
            "My bank statement shows two identical payments of {amount}. Only one subscription is active.",
        ),
    ),
    S(
        C.BILLING,
        P.LOW,
        ("Question about the invoice", "VAT on invoices", "Where do I find receipts?"),
        (
            "Could you explain the platform fee on invoice {order}? Just want to understand it.",
            "Is it possible to add our VAT number to future invoices? No rush.",
            "Where can I download receipts for last year? Our accountant asked.",
        ),
    ),
    S(
        C.BILLING,
        P.HIGH,
        (
            "Overcharged by a lot",
            "Wrong amount taken",
            "Card charged for annual instead of monthly",
        ),
        (
            "We were billed {big_amount} instead of {amount} for the {plan} plan. This put our account into overdraft.",
            "You charged the annual price ({big_amount}) although I chose monthly. I need this reversed before rent is due.",
        ),
    ),
    S(
        C.BILLING,
        P.CRITICAL,
        ("Our customers cannot pay", "Payments failing at checkout for everyone"),
        (
            "Since {time} every payment on our store fails with 'merchant account suspended'. We are losing orders right now.",
            "All card payments from our customers are being declined at checkout. Revenue has stopped since this morning.",
        ),
    ),
    S(
        C.TECHNICAL,
        P.MEDIUM,
        ("Export sometimes empty", "Slow dashboard", "Sync delays"),
        (
            "The CSV export from {product} is empty about half the time. Excel export still works as a workaround.",
            "{product} takes 20+ seconds to load reports since the last update. It does load eventually.",
            "Changes made on my phone show up on the web only after an hour or so.",
        ),
    ),
    S(
        C.TECHNICAL,
        P.HIGH,
        ("App crashes on launch", "Cannot upload files", "Error {error} every time"),
        (
            "{product} crashes every time I open it since version 4.2. I reinstalled, same thing. I can't work.",
            "Uploading any file fails with error {error}. Tried two browsers and a different network.",
            "Every time I click Save I get {error} and lose my changes. I have a deadline today.",
        ),
    ),
    S(
        C.TECHNICAL,
        P.CRITICAL,
        ("Production API down", "Site is down for all users", "Data missing after update"),
        (
            "Your API has returned 503 for all our requests since {time}. Our production app is down for every user.",
            "After last night's update all projects in our workspace are gone. This is data loss for the whole team.",
            "None of our 300 staff can reach {product}; the status page says everything is fine.",
        ),
    ),
    S(
        C.TECHNICAL,
        P.LOW,
        ("Typo on settings page", "Button misaligned", "Minor display glitch"),
        (
            "There's a small typo on the settings page: 'notifcations'. Just so you know.",
            "On small screens the Save button overlaps the footer a little. Cosmetic only.",
        ),
    ),
    S(
        C.ACCOUNT,
        P.MEDIUM,
        ("Reset email not arriving", "Change my email address", "2FA codes delayed"),
        (
            "I requested a password reset three times but no email arrived. I can still log in on my phone.",
            "Please change the login email on my account from my old work address to {email}.",
            "The 2FA text messages arrive after several minutes, so codes often expire.",
        ),
    ),
    S(
        C.ACCOUNT,
        P.HIGH,
        ("Locked out of my account", "Can't log in before my presentation"),
        (
            "My account is locked after too many attempts and I present to a client in an hour. Please unlock it.",
            "I lost the phone with my authenticator and cannot log in at all. I need access today.",
        ),
    ),
    S(
        C.ACCOUNT,
        P.CRITICAL,
        ("Account hacked", "Someone is using my account"),
        (
            "Someone changed my password and is making purchases from my account right now. Please freeze it.",
            "Our admin account was taken over; the attacker is removing our users. We need this stopped now.",
        ),
    ),
    S(
        C.ACCOUNT,
        P.LOW,
        ("Add a teammate", "How do I change my username?", "Delete old account"),
        (
            "How do I add a colleague as an admin to our workspace?",
            "Could you close my old personal account? I only use the company one now.",
        ),
    ),
    S(
        C.GENERAL,
        P.LOW,
        ("Dark mode?", "Feature request: keyboard shortcuts", "Love the new update"),
        (
            "Is there a dark mode planned for {product}? Would be great for late shifts.",
            "Just wanted to say the new calendar view is fantastic. Great work, team!",
            "Do you offer discounts for non-profits? We're a small charity looking at the {plan} plan.",
        ),
    ),
    S(
        C.GENERAL,
        P.MEDIUM,
        ("Where is my order?", "Delivery delayed", "Documentation unclear"),
        (
            "My order {order} was supposed to arrive last week and tracking hasn't changed for 6 days.",
            "The setup guide skips the step about connecting the calendar. We figured it out, but others won't.",
        ),
    ),
    S(
        C.GENERAL,
        P.HIGH,
        ("Quote needed today", "Contract question before deadline"),
        (
            "Our procurement deadline is today at 5pm and we still need a quote for 80 seats on {plan}.",
            "Legal needs your data processing agreement signed before we can go live tomorrow.",
        ),
    ),
]
TONES = [
    lambda t: t,
    lambda t: t.upper() if len(t) < 80 else t + " URGENT!!",
    lambda t: t + " I've been a customer for years and this is really disappointing.",
    lambda t: "Sorry to bother you. " + t,
    lambda t: t + " Any help appreciated.",
    lambda t: t.lower(),
]


def _details(rng: random.Random, when: datetime) -> dict[str, str]:
    """One ticket's particulars, shared by its title and body so they agree."""
    return dict(
        amount=f"${rng.choice([9, 12, 19, 29, 49, 99])}.{rng.choice(['00', '99'])}",
        big_amount=f"${rng.randint(400, 4000)}.00",
        plan=rng.choice(PLANS),
        date=(when - timedelta(days=rng.randint(1, 20))).strftime("%B %d"),
        order=f"ORD-{rng.randint(10000, 99999)}",
        error=rng.choice(["ERR-5003", "E1042", "HTTP 500", "0x80070005", "SYNC_TIMEOUT"]),
        email=f"{rng.choice(NAMES).lower()}@example.com",
        product=rng.choice(PRODUCTS),
        time=f"{rng.randint(6, 11)}:{rng.choice(['00', '15', '30', '45'])} UTC",
    )


def demo_tickets(
    count: int, seed: int = 7, now: datetime | None = None
) -> Iterator[dict[str, object]]:
    """Yield `count` labeled tickets spread over the last 60 days, oldest first."""
    rng = random.Random(seed)
    now = now or datetime.now().astimezone()
    for i in range(count):
        scenario = rng.choice(SCENARIOS)
        created = now - timedelta(seconds=(count - i) * 5_184_000 / max(count, 1))
        details = _details(rng, created)
        body = rng.choice(scenario.bodies).format(**details)
        parts = [rng.choice(GREETINGS), rng.choice(TONES)(body), rng.choice(SIGN_OFFS)]
        if parts[-1]:
            parts.append(rng.choice(NAMES))
        age = now - created
        status = Status.OPEN
        if age > timedelta(days=7):
            status = rng.choice(
                [Status.RESOLVED, Status.CLOSED, Status.RESOLVED, Status.IN_PROGRESS]
            )
        elif age > timedelta(days=1):
            status = rng.choice([Status.OPEN, Status.IN_PROGRESS])
        yield {
            "title": rng.choice(scenario.titles).format(**details)[:200],
            "description": "\n".join(p for p in parts if p),
            "category": scenario.category.value,
            "priority": scenario.priority.value,
            "status": status.value,
            "created_at": created,
            "updated_at": created,
            "resolved_at": created + timedelta(hours=rng.randint(1, 72))
            if status in (Status.RESOLVED, Status.CLOSED)
            else None,
        }


def with_suggestions(rows: list[dict[str, object]], suggestions: Sequence[Suggestion]) -> None:
    """Add what triage suggested for each ticket, as if it was filed through the API and an
    agent then set the demo labels: a label that matches is the AI's, one that differs is
    an override. The dashboard's acceptance figures then have data to show."""
    for row, suggested in zip(rows, suggestions, strict=True):
        row |= {
            "ai_category": suggested.category.value,
            "ai_priority": suggested.priority.value,
            "ai_confidence": min(suggested.category_confidence, suggested.priority_confidence),
            "ai_category_confidence": suggested.category_confidence,
            "ai_priority_confidence": suggested.priority_confidence,
            "ai_reasoning": suggested.reasoning,
            "ai_provider": suggested.provider,
            "needs_review": suggested.needs_review,
            "category_source": _source(row["category"], suggested.category.value),
            "priority_source": _source(row["priority"], suggested.priority.value),
        }


def _source(label: object, suggested: str) -> str:
    return (LabelSource.AI if label == suggested else LabelSource.USER).value


REPLIES = [
    "Thanks for reaching out. I have looked into this and passed it to the right people; "
    "I will update you here as soon as I hear back.",
    "Sorry for the trouble. Could you tell me which browser and version you use, and "
    "whether it happens every time?",
    "I have applied a fix on our side. Could you try again and let me know if it works now?",
    "Thanks for your patience. This is now sorted: the change should show within the hour.",
]
ANSWERS = [
    "Thanks, I tried again and it still does the same thing.",
    "It is Chrome, the latest version, and it happens every time.",
    "That worked, thank you so much!",
    "Any news on this? It is still blocking our team.",
]


def demo_threads(
    tickets: Sequence[tuple[int, datetime]], agent_ids: Sequence[int], seed: int = 7
) -> Iterator[dict[str, object]]:
    """A short conversation on each ticket given: an agent's reply, then the customer's
    answer, and so on (two to four messages, an hour or so apart)."""
    rng = random.Random(seed)
    for ticket_id, created in tickets:
        at = created
        for turn in range(rng.randint(2, 4)):
            at += timedelta(minutes=rng.randint(10, 240))
            reply = turn % 2 == 0
            yield {
                "ticket_id": ticket_id,
                "kind": "reply" if reply else "customer",
                "author_user_id": rng.choice(agent_ids) if reply else None,
                "body": rng.choice(REPLIES if reply else ANSWERS),
                "created_at": at,
            }
