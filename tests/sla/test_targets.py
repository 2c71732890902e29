"""A ticket against its targets, from its conversation: responses met by replies, the next
response started by the customer's answer, resolution paused while waiting on them."""

from datetime import UTC, datetime, timedelta

from supportdesk.sla.clock import Calendar
from supportdesk.sla.targets import Conversation, Minutes, Target, next_due, states

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TARGETS = Minutes(first_response=60, next_response=120, resolution=8 * 60)


def minutes(n: float) -> datetime:
    return START + timedelta(minutes=n)


def test_a_new_ticket_is_first_due_its_first_response() -> None:
    found = states(Conversation(START, None, []), TARGETS, Calendar(), minutes(10))
    assert [(s.target, s.due_at, s.breached) for s in found] == [
        (Target.FIRST_RESPONSE, minutes(60), False),
        (Target.RESOLUTION, minutes(480), False),
    ]
    upcoming = next_due(found)
    assert upcoming is not None and upcoming.target is Target.FIRST_RESPONSE


def test_a_late_first_reply_breaches_and_waiting_pauses_resolution() -> None:
    replied = Conversation(START, None, [(minutes(90), False)])
    first, resolution = states(replied, TARGETS, Calendar(), minutes(300))
    assert (first.met_at, first.breached) == (minutes(90), True)
    # Waiting on the customer since the reply: resolution is paused, nothing is due.
    assert resolution.due_at is None and not resolution.breached
    assert next_due([first, resolution]) is None


def test_the_customer_s_answer_starts_the_next_response_and_resumes_resolution() -> None:
    talk = Conversation(START, None, [(minutes(30), False), (minutes(200), True)])
    first, following, resolution = states(talk, TARGETS, Calendar(), minutes(210))
    assert first.met_at == minutes(30) and not first.breached
    assert (following.target, following.started_at, following.due_at) == (
        Target.NEXT_RESPONSE,
        minutes(200),
        minutes(320),
    )
    # 30 minutes ran before the reply, then 170 waiting: 450 left from the answer on.
    assert resolution.due_at == minutes(200 + 450)
    upcoming = next_due([first, following, resolution])
    assert upcoming is following


def test_resolving_ends_every_target() -> None:
    done = Conversation(START, minutes(400), [(minutes(30), False), (minutes(100), True)])
    found = states(done, TARGETS, Calendar(), minutes(500))
    assert all(state.met_at is not None for state in found)
    assert [s.breached for s in found] == [False, True, False]  # next response met at 400
    assert next_due(found) is None


def test_resolution_runs_out_while_the_ticket_is_worked_on() -> None:
    found = states(Conversation(START, None, []), TARGETS, Calendar(), minutes(600))
    resolution = found[-1]
    assert resolution.breached and resolution.due_at == minutes(480)


def test_a_priority_without_targets_has_none() -> None:
    none = Minutes(None, None, None)
    assert states(Conversation(START, None, [(minutes(5), False)]), none, Calendar(), START) == []
