"""One parser for every email, however it came in: the stdlib `email` package with the
modern policy (every charset Python knows, encoded headers), the reply told apart from
quoted history and signatures (`mail-parser-reply`, in the languages below), HTML-only
mail made into text, attachments and inline images collected, the headers that say a
machine sent it (RFC 3834 and friends) and the receiving servers' verdicts on the sender
(Authentication-Results, RFC 8601) read."""

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from mailparser_reply import EmailReplyParser

from supportdesk.inbox.html import html_to_text, sanitised
from supportdesk.text import printable

# Quote headers ("On … wrote:", "Von: … Gesendet:") in these languages are recognised.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "sv", "da", "pl", "cs", "ja", "zh", "ko"]
_REPLY_PARSER = EmailReplyParser(languages=REPLY_LANGUAGES)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|r|tr|rif|ref)\s*(\[\d+\])?\s*:\s*)+",
                            re.IGNORECASE)  # fmt: skip
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply")
REPLY_SCAN_CHARS = 8_000
MAX_ADDRESS = 254  # longer is no address (RFC 5321), and no contacts column takes it


@dataclass(frozen=True)
class File:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None
    inline: bool


@dataclass(frozen=True)
class Verdict:
    """One Authentication-Results header: the server that checked (its authserv-id) and
    each method's result, e.g. {"dmarc": "fail", "spf": "pass"}."""

    checked_by: str
    results: dict[str, str]


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    sender: str  # lower-cased address
    sender_name: str
    recipients: list[str]  # To and Cc, lower-cased
    subject: str
    text: str  # the whole text, quotes included
    reply: str  # what the sender wrote this time: no quoted history, no signature
    html: str | None  # sanitised
    files: list[File] = field(default_factory=list)
    automatic: str | None = None  # why a machine sent it (never answered), or None
    verdicts: list[Verdict] = field(default_factory=list)  # the newest (topmost) first

    @property
    def topic(self) -> str:
        """The subject without its Re:/Fwd: prefixes."""
        return SUBJECT_PREFIX.sub("", self.subject).strip()


def dedupe_key(message_id: str | None, sender: str, raw: bytes) -> str:
    """One per email: its sender and Message-ID (two mailers may reuse a simple one), or,
    without a Message-ID, its bytes."""
    key = f"{sender}\n{message_id}".encode() if message_id else raw
    return hashlib.sha256(key).hexdigest()


def _header(message: Message, name: str) -> str:
    """A header's text; a malformed one reads as what could be decoded of it."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, LookupError):
        value = message.get_all(name, failobj=[""])[0]
    return printable(" ".join(str(value).split())) if value is not None else ""


def _ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value)


def _address(message: Message, name: str) -> tuple[str, str]:
    display, address = parseaddr(_header(message, name))
    return display.strip().strip('"'), address.strip().lower()


def _content(part: Message) -> str:
    """A text part's content in its declared charset; an unknown or wrong one decodes
    as UTF-8, then Latin-1, rather than losing the message."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeDecodeError, AssertionError, KeyError):
        pass
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def automatic(message: Message, sender: str) -> str | None:
    """Why a machine sent this email (RFC 3834 Auto-Submitted, Precedence, X-Loop,
    delivery status reports, auto-responder headers), or None for a person's."""
    if message.get_content_type() == "multipart/report":
        return f"delivery report ({message.get_param('report-type') or 'unknown'})"
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(message, "Precedence").lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if message.get("X-Loop") is not None:
        return "X-Loop"
    for name in AUTO_HEADERS:
        if message.get(name) is not None:
            return name
    local = sender.partition("@")[0]
    if local in ("mailer-daemon", "postmaster") or not sender:
        return f"sent by {sender or 'no one'}"
    return None


COMMENT = re.compile(r"\([^()]*\)")
RESULT = re.compile(r"^\s*([a-z0-9-]+)\s*=\s*([a-z]+)")


def verdicts(message: Message) -> list[Verdict]:
    """Every Authentication-Results header, topmost (added last, by our side) first:
    `authserv-id [version]; method=result [properties]; ...`, comments dropped."""
    found = []
    for value in message.get_all("Authentication-Results") or []:
        checked_by, *parts = COMMENT.sub("", str(value)).lower().split(";")
        results: dict[str, str] = {}
        for part in parts:
            if (match := RESULT.match(part)) is not None:
                results.setdefault(match.group(1), match.group(2))
        found.append(Verdict(checked_by.strip().partition(" ")[0], results))
    return found


def _files(message: EmailMessage, bodies: list[Message]) -> list[File]:
    files = []
    for part in message.walk():
        if part.is_multipart() or any(part is body for body in bodies):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        content_id = _header(part, "Content-ID").strip("<>") or None
        disposition = part.get_content_disposition()
        name = part.get_filename() or (content_id or "attachment")
        files.append(
            File(
                filename=printable(name)[:255] or "attachment",
                content_type=part.get_content_type()[:255],
                content=payload,
                content_id=content_id[:255] if content_id else None,
                inline=disposition == "inline" or (disposition is None and content_id is not None),
            )
        )
    return files


class Unreadable(ValueError):
    """An email whose structure or headers the parser cannot make sense of."""


def parse(raw: bytes) -> ParsedEmail:
    """The email, read; Unreadable when its headers or parts are too broken to read."""
    try:
        return _parse(raw)
    except (LookupError, AttributeError, TypeError, ValueError, AssertionError) as error:
        raise Unreadable(f"{type(error).__name__}: {error}"[:300]) from None


def _parse(raw: bytes) -> ParsedEmail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    plain = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    html = _content(html_part) if html_part is not None else None
    text = _content(plain) if plain is not None else html_to_text(html or "")
    text = printable(text.replace("\r\n", "\n"))
    return _parsed(message, text, html, plain, html_part)


def _reply(text: str) -> str:
    """What the sender wrote this time. The reply parser's patterns slow down sharply on
    long text (a minute at 50 KB of crafted input): it reads the head only, which holds
    the reply and where the quoted history starts; without a cut there, the whole text."""
    head = text[:REPLY_SCAN_CHARS]
    replies = _REPLY_PARSER.read(head).replies
    found = printable(replies[0].body) if replies and replies[0].body.strip() else ""
    if not found or (len(text) > len(head) and len(found) >= len(head.strip()) - 1):
        return text
    return found


def _parsed(
    message: EmailMessage,
    text: str,
    html: str | None,
    plain: Message | None,
    html_part: Message | None,
) -> ParsedEmail:
    sender_name, sender = _address(message, "From")
    recipients = [
        address.lower()
        for _, address in getaddresses([_header(message, "To"), _header(message, "Cc")])
        if "@" in address and len(address) <= MAX_ADDRESS
    ]
    reply = _reply(text) if text else text
    message_ids = _ids(_header(message, "Message-ID"))
    return ParsedEmail(
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References")),
        sender=sender,
        sender_name=sender_name,
        recipients=recipients,
        subject=_header(message, "Subject"),
        text=text,
        reply=reply,
        html=sanitised(html) if html else None,
        files=_files(message, [part for part in (plain, html_part) if part is not None]),
        automatic=automatic(message, sender),
        verdicts=verdicts(message),
    )
