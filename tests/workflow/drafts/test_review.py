"""Which LLM drafts a person must check before sending: promises of money or actions."""

import pytest

from supportdesk.workflow.drafts.review import review_reason

TICKET = "I was charged $49.99 twice for order 123456, please refund one."


@pytest.mark.parametrize(
    ("draft", "said"),
    [
        ("We are issuing a $5,000 refund today.", "$5,000"),
        ("You are owed 200 euros.", "200 euros"),
        ("Good news: we will refund the second charge.", "we will refund"),
        ("I'll credit your account this week.", "I'll credit"),
        ("I have cancelled your subscription.", "I have cancelled"),
        ("You will receive a full refund.", "You will receive"),
    ],
)
def test_promises_of_money_or_actions_are_flagged(draft: str, said: str) -> None:
    reason = review_reason(draft, TICKET)
    assert reason is not None and said in reason


@pytest.mark.parametrize(
    "draft",
    [
        "Hello,\n\nThe billing team looks into the charge of $49.99 on order 123456.\n\nBest",
        "Could you confirm which of the two charges you would like us to look at?",
        "Your refund request has been passed to the billing team, who will reply soon.",
    ],
)
def test_a_draft_that_promises_nothing_new_is_not_flagged(draft: str) -> None:
    assert review_reason(draft, TICKET) is None
