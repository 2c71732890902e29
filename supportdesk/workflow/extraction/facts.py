"""What extraction finds: one fact per value, how sure we are, and whether it is valid."""

from dataclasses import dataclass
from typing import Any

# How a kind of fact is named in a sentence ("the phone number "+1 555" ...").
NOUNS = {
    "order_id": "order number",
    "invoice_id": "invoice number",
    "error_code": "error code",
    "email": "email address",
    "phone": "phone number",
    "url": "link",
}


def spoken(name: str) -> str:
    """A kind of fact as a person names it: "order_id" -> "order number"."""
    return NOUNS.get(name, name.replace("_", " "))


@dataclass(frozen=True)
class Fact:
    """One value found in a ticket.

    `value` is normalised (E.164 phones, ISO dates, "12.50 USD" amounts); an invalid value
    is kept as written, with `valid=False` and the `reason`, never corrected by guessing.
    `reason` also explains a valid value we are less sure of (an assumed year or region).
    """

    name: str
    value: str
    confidence: float
    valid: bool = True
    reason: str | None = None
    raw: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "confidence": self.confidence,
            "valid": self.valid,
            "reason": self.reason,
            "raw": self.raw,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Fact":
        return cls(
            name=str(data["name"]),
            value=str(data["value"]),
            confidence=float(data["confidence"]),
            valid=bool(data.get("valid", True)),
            reason=data.get("reason"),
            raw=str(data.get("raw") or data["value"]),
        )


@dataclass(frozen=True)
class Found:
    """A fact and where it is written. `fact=None` claims the span without reporting it
    (an IP address, a version string), so that no other extractor misreads it."""

    fact: Fact | None
    start: int
    end: int

    def overlaps(self, other: "Found") -> bool:
        return self.start < other.end and other.start < self.end
