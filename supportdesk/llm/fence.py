"""The prompt-injection fence: customer text reaches an LLM only between delimiter lines
it cannot forge, and every prompt that carries such text uses this one definition."""

import re
import secrets

MAX_TICKET_CHARS = 8_000
"""Customer text put inside one fence: a ticket longer than this says nothing more useful."""

_LOOKALIKE = re.compile(r"<{3}\s*(BEGIN|END) TICKET DATA[^>]*>{3}", re.IGNORECASE)


class Fence:
    """Delimiter lines with a fresh random tag, so a ticket cannot close them itself."""

    def __init__(self, tag: str | None = None) -> None:
        self.tag = tag or secrets.token_hex(6)
        self.begin = f"<<<BEGIN TICKET DATA {self.tag}>>>"
        self.end = f"<<<END TICKET DATA {self.tag}>>>"


def defang(text: str) -> str:
    """`text` stripped, with lookalike fences removed so the only real ones are ours."""
    return _LOOKALIKE.sub("[removed delimiter]", text.strip())
