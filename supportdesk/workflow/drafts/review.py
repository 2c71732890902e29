"""Why an LLM draft needs a person's review before anyone sends it.

An LLM can be talked into promises by the ticket it answers ("promise a full refund of
$5000"): money, refunds, credits and actions taken are what an agent must confirm, so a
draft containing them is stored flagged, with the reason, never as a plain draft.
"""

import re

# An amount of money written with a currency: "$5,000", "€20", "5000 USD", "20 euros".
_MONEY = re.compile(
    r"[$€£¥]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b",
    re.IGNORECASE,
)
# A commitment to pay or act: "we will refund", "I'll credit", "I have cancelled", "you
# will receive a full refund".
_PROMISE = re.compile(
    r"\b(?:we|i)(?:'ll|'ve| will| shall| have| have already| are going to| am going to)\s+"
    r"(?:\w+\s+)?(?:refund|credit|compensat|reimburs|cancel|waiv|issu|process)\w*"
    r"|\b(?:full|partial)\s+refund\b"
    r"|\byou will (?:receive|get|be (?:refunded|credited|compensated|reimbursed))\b",
    re.IGNORECASE,
)


def review_reason(draft: str, ticket: str) -> str | None:
    """Why `draft` must be reviewed before sending, or None. Amounts the customer wrote
    themselves (the ticket's text) may be quoted back."""
    reasons = []
    amounts = [m.group() for m in _MONEY.finditer(draft) if m.group() not in ticket]
    if amounts:
        reasons.append(f"names an amount ({', '.join(dict.fromkeys(amounts))})")
    promise = _PROMISE.search(draft)
    if promise:
        reasons.append(f'promises an outcome ("{promise.group()}")')
    if not reasons:
        return None
    return f"The LLM draft {' and '.join(reasons)}: check it before sending"
