"""Emails, phone numbers and links written in tickets, each checked before it is trusted.

Phones are validated with libphonenumber (`phonenumbers`) and given in E.164; a number
without a country code is read in the configured region and says so. Links lose any
credentials written into them: a password has no business in stored facts.
"""

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from supportdesk.workflow.extraction.facts import Fact, Found

EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)*")
TLD = re.compile(r"^(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{2,59})$", re.IGNORECASE)

# A whole address, as the API documents it: a name of letters, digits and the RFC 5322
# marks (dots only between them, at most 64 characters), then domain labels (no hyphen at
# either end) and an ending as `TLD` allows. Whatever matches passes `email_problem`.
_NAME = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"\w(?:[\w-]*\w)?"
EMAIL_ADDRESS = re.compile(
    rf"^(?=[^@]{{1,64}}@){_NAME}(?:\.{_NAME})*@(?:{_LABEL}\.)+"
    r"(?:[^\W\d_]{2,63}|[xX][nN]--[a-zA-Z0-9-]{2,59})$"
)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
TRAILING = ".,;:!?'\""

PHONE = re.compile(r"(?<![\w+$€£/.,:-])\+?\(?\d[\d \t().-]{1,22}\d\)?(?![\w/-]|[.,]\d)")
PHONE_CUE = re.compile(
    r"\b(phone|call(?:ed)?|tel|telephone|mobile|cell(?:phone)?|whatsapp|sms|text me|"
    r"reach me|contact me|ring|fax|number)\b[^\n\d+]{0,20}$",
    re.IGNORECASE,
)
# 415-555-0132, (415) 555 0132, 020 7946 0958, 06 12 34 56 78: groups of 2-4 digits.
FORMATTED = re.compile(r"^\+?\(?\d{2,4}\)?(?:[ .-]\(?\d{2,4}\)?){2,4}$")
POSSIBLE_REASONS = {
    ValidationResult.INVALID_COUNTRY_CODE: "the country code does not exist",
    ValidationResult.TOO_SHORT: "too short to be a phone number",
    ValidationResult.TOO_LONG: "too long to be a phone number",
    ValidationResult.INVALID_LENGTH: "the number of digits fits no number in that country",
}


def email_problem(address: str) -> str | None:
    """Why `address` cannot be an email address, or None when it can."""
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return "there is no name before the @"
    if len(address) > 254 or len(local) > 64:
        return "too long to be an email address"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "the part before the @ has a misplaced dot"
    labels = domain.split(".")
    if len(labels) < 2:
        return "the domain has no ending such as .com"
    if any(not label or label.startswith("-") or label.endswith("-") for label in labels):
        return "the domain is malformed"
    if not TLD.match(labels[-1]):
        return f"'.{labels[-1]}' is not a domain ending"
    return None


def find_emails(text: str) -> Iterator[Found]:
    for match in EMAIL.finditer(text):
        raw = match.group(0)
        local, _, domain = raw.rpartition("@")
        problem = email_problem(raw)
        if problem is not None:
            yield Found(
                Fact("email", raw, 0.8, valid=False, reason=problem, raw=raw), *match.span()
            )
        else:
            yield Found(Fact("email", f"{local}@{domain.lower()}", 1.0, raw=raw), *match.span())


def _trim_url(raw: str) -> str:
    while raw and (raw[-1] in TRAILING or (raw[-1] == ")" and raw.count("(") < raw.count(")"))):
        raw = raw[:-1]
    return raw


def find_urls(text: str) -> Iterator[Found]:
    for match in URL.finditer(text):
        raw = _trim_url(match.group(0))
        start = match.start()
        span = (start, start + len(raw))
        parts = urlsplit(raw if "://" in raw else f"http://{raw}")
        host = parts.hostname or ""
        try:
            port = parts.port
        except ValueError:
            yield Found(
                Fact("url", raw, 0.8, valid=False, reason="the port is not valid", raw=raw), *span
            )
            continue
        if not host or ("." not in host and host != "localhost") or host.endswith("."):
            yield Found(
                Fact("url", raw, 0.8, valid=False, reason="there is no host name", raw=raw), *span
            )
            continue
        netloc = host + (f":{port}" if port is not None else "")
        note = "credentials written in the link were left out" if "@" in parts.netloc else None
        if "://" in raw:
            value = urlunsplit(
                (parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment)
            )
        else:
            value = urlunsplit(("", netloc, parts.path, parts.query, parts.fragment)).lstrip("/")
        yield Found(Fact("url", value, 0.95, reason=note, raw=raw), *span)


def _phone_fact(raw: str, region: str | None, cued: bool) -> Fact:
    international = raw.startswith("+")
    try:
        number = phonenumbers.parse(raw, None if international else region)
    except NumberParseException as exc:
        if exc.error_type != NumberParseException.INVALID_COUNTRY_CODE:
            reason = "not a phone number"
        elif international:
            reason = POSSIBLE_REASONS[ValidationResult.INVALID_COUNTRY_CODE]
        else:
            reason = "no country code, and no default region is set"
        return Fact("phone", raw, 0.6, valid=False, reason=reason, raw=raw)
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in POSSIBLE_REASONS:
        return Fact("phone", raw, 0.7, valid=False, reason=POSSIBLE_REASONS[possible], raw=raw)
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        reason = f"not an assigned number range in {where}"
        return Fact("phone", raw, 0.7, valid=False, reason=reason, raw=raw)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if international:
        return Fact("phone", e164, 0.95, raw=raw)
    note = f"no country code; read as a {region} number"
    return Fact("phone", e164, 0.85 if cued else 0.75, reason=note, raw=raw)


def find_phones(
    text: str, region: str | None, taken: Callable[[int, int], bool] | None = None
) -> Iterator[Found]:
    """`taken(start, end)` says a span is already read as something else (a date, an
    amount): such candidates are skipped before the comparatively slow phone parsing."""
    for match in PHONE.finditer(text):
        if taken is not None and taken(*match.span()):
            continue
        raw = match.group(0).strip()
        if raw.endswith(")") and raw.count("(") < raw.count(")"):
            raw = raw[:-1].rstrip()
        digits = sum(ch.isdigit() for ch in raw)
        cued = PHONE_CUE.search(text, max(0, match.start() - 40), match.start()) is not None
        looks_formatted = FORMATTED.match(raw) is not None
        # A plus sign or a cue word says "phone" even when the number is broken; without
        # them only phone-shaped digit groups count, so counts and ids stay out.
        if raw.startswith("+"):
            wanted = digits >= 3
        elif cued:
            wanted = digits >= 5
        else:
            wanted = looks_formatted and 7 <= digits <= 15
        if not wanted or digits > 17:
            continue
        start = match.start() + match.group(0).index(raw[0])
        yield Found(_phone_fact(raw, region, cued), start, start + len(raw))
