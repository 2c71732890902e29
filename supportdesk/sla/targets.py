"""Where a ticket stands against its targets, from its public conversation (pure).

- First response: from the ticket's arrival to the first public reply.
- Next response: from each customer message that follows a reply, to the next reply.
- Resolution: from arrival to resolution, not counting the time the ticket waits on the
  customer (from a reply until the customer's next message).
Resolving a ticket ends every target (a response target then counts as met when it is)."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from supportdesk.sla.clock import Calendar


class Target(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


@dataclass(frozen=True)
class Minutes:
    first_response: int | None
    next_response: int | None
    resolution: int | None


@dataclass(frozen=True)
class Conversation:
    created_at: datetime
    done_at: datetime | None  # resolved or closed at (None while open)
    # The public messages after the opening one, oldest first: (at, from_customer).
    messages: list[tuple[datetime, bool]]


@dataclass(frozen=True)
class TargetState:
    target: Target
    started_at: datetime
    due_at: datetime | None  # None: paused (waiting on the customer)
    met_at: datetime | None
    breached: bool

    @property
    def open(self) -> bool:
        return self.met_at is None


def _response(
    target: Target,
    start: datetime,
    minutes: int,
    replies: list[datetime],
    done_at: datetime | None,
    calendar: Calendar,
    now: datetime,
) -> TargetState:
    due = calendar.add(start, minutes)
    answered = next((at for at in replies if at >= start), None)
    met = min((t for t in (answered, done_at) if t is not None), default=None)
    return TargetState(target, start, due, met, (met or now) > due)


def _resolution(
    conversation: Conversation, minutes: int, calendar: Calendar, now: datetime
) -> TargetState:
    """Counted over the spans the ticket was not waiting on the customer."""
    end = conversation.done_at or now
    spans: list[tuple[datetime, datetime]] = []
    running_since: datetime | None = conversation.created_at
    for at, from_customer in conversation.messages:
        if at >= end:
            break
        if not from_customer and running_since is not None:  # a reply: it now waits
            spans.append((running_since, at))
            running_since = None
        elif from_customer and running_since is None:  # the customer answered
            running_since = at
    if running_since is not None:
        spans.append((running_since, end))
    used = 0.0
    for begin, stop in spans:
        length = calendar.minutes_between(begin, stop)
        if used + length >= minutes:  # the target ran out within this span
            ran_out = calendar.add(begin, minutes - used)
            return TargetState(
                Target.RESOLUTION, conversation.created_at, ran_out, conversation.done_at, True
            )
        used += length
    paused = running_since is None and conversation.done_at is None
    due_at = None if paused else calendar.add(end, minutes - used)
    done = conversation.done_at
    return TargetState(Target.RESOLUTION, conversation.created_at, due_at, done, False)


def states(
    conversation: Conversation, minutes: Minutes, calendar: Calendar, now: datetime
) -> list[TargetState]:
    """Every target's state, in the order they started."""
    replies = [at for at, from_customer in conversation.messages if not from_customer]
    done, found = conversation.done_at, []
    if minutes.first_response is not None:
        found.append(
            _response(
                Target.FIRST_RESPONSE,
                conversation.created_at,
                minutes.first_response,
                replies,
                done,
                calendar,
                now,
            )
        )
    if minutes.next_response is not None and replies:
        last_was_reply = False
        for at, from_customer in conversation.messages:
            if from_customer and last_was_reply and (done is None or at < done):
                found.append(
                    _response(
                        Target.NEXT_RESPONSE,
                        at,
                        minutes.next_response,
                        replies,
                        done,
                        calendar,
                        now,
                    )
                )
            last_was_reply = not from_customer
    if minutes.resolution is not None:
        found.append(_resolution(conversation, minutes.resolution, calendar, now))
    return found


def next_due(found: list[TargetState]) -> TargetState | None:
    """The open target due first (not one paused)."""
    running = [state for state in found if state.open and state.due_at is not None]
    return min(running, key=lambda state: state.due_at or state.started_at, default=None)
