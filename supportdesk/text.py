"""Text hygiene shared by every input path."""

import re
from typing import Annotated

from pydantic import AfterValidator, Field

# Invisible, yet part of the text: the zero-width joiner builds emoji sequences (woman +
# laptop = technologist) and the zero-width non-joiner spells words in Persian and Indic
# scripts.
KEPT_INVISIBLE = "\n\t\u200c\u200d"
EDGES = re.compile(r"^[\s\u200c\u200d]+|[\s\u200c\u200d]+$")


# What `printable` drops wherever it stands: control codes (but newline and tab), the soft
# hyphen, zero-width and bidi marks (but the joiners), the byte order mark, and lone
# surrogates (which no encoding stores). Everything else is text, including private-use
# and unassigned code points (a newer Unicode's emoji, say).
DROPPED = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    r"\ufeff\ud800-\udfff]"
)


def printable(value: str) -> str:
    """Drop control and other invisible characters (keeping newlines, tabs and joiners),
    then trim.

    PostgreSQL refuses NUL bytes, and stray control codes help no reader or model; bidi
    overrides could make a ticket read differently from what it says.
    """
    # Joiners join what stands beside them: at either end they join nothing.
    return EDGES.sub("", DROPPED.sub("", value))


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


# A ticket's text. The model reads only its first lines; the limit keeps one request's
# text, its search index entry and any LLM prompt within reason.
MAX_TEXT_CHARS = 20_000

# Lengths count the text as sent, before anything is dropped: the schema's maxLength.
Clean = AfterValidator(printable)
CleanText = Annotated[str, Clean]
# What `_not_blank` asks for, told to clients in the schema: a character that is neither
# space nor one `printable` drops (nor a joiner). Only documented, so that the check keeps
# one message; the two agree because `DROPPED` is this class's complement (less `\s`, the
# joiners and the surrogates). The class names no surrogate: Rust's regex engine (which
# jsonschema-rs, and so schemathesis, validates with) refuses to compile one, and a tool
# then drops the whole pattern; nor need it, since a lone surrogate is no Unicode text
# and pydantic refuses it as a string before any of this runs. The engines that read the
# class (Python's, ECMA-262's, Rust's) disagree on `\s` only in \x1c-\x1f, \x85 and
# \ufeff, which it leaves out anyway.
VISIBLE_CHARACTER = r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
_VISIBLE = Field(json_schema_extra={"minLength": 1, "pattern": VISIBLE_CHARACTER})
LongText = Annotated[
    str, Field(max_length=MAX_TEXT_CHARS), _VISIBLE, Clean, AfterValidator(_not_blank)
]
Title = Annotated[str, Field(max_length=200), _VISIBLE, Clean, AfterValidator(_not_blank)]
PersonName = Annotated[str, Field(max_length=100), _VISIBLE, Clean, AfterValidator(_not_blank)]
OrganisationName = Annotated[
    str, Field(max_length=200), _VISIBLE, Clean, AfterValidator(_not_blank)
]
# Deliberately loose (one @, no spaces): mail servers, not regexes, decide what delivers.
# No control characters (PostgreSQL refuses a NUL); the length is checked on the
# lower-cased address that is stored ("İ" lower-cases to two characters).
# Python's \s also matches U+0085 and JSON Schema's (ECMA's) also U+FEFF: both named, so
# the documented pattern and the check agree on every character.
_NOT_IN_ADDRESS = r"@\s\x00-\x1f\x7f\x85\ufeff"
EmailAddress = Annotated[
    str,
    Field(pattern=rf"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}]+$"),
    AfterValidator(str.lower),
    Field(max_length=254),
]


# Words that say nothing about what a text is about: greetings, courtesies, pronouns.
STOPWORDS = frozenset(
    """the and for with that this from have has had not but are was were been can cannot
    you your our we they them their its it's i'm i've don't doesn't didn't can't won't
    what when where which who how why any all some there here about into out over just
    also still very really please thanks thank hello dear hey regards cheers best kind
    help team sorry bother appreciated again today yesterday since after before would
    could should will get got one two more most other than then too only now""".split()
)


def content_words(text: str) -> set[str]:
    """The words of a text that say what it is about, lower-cased."""
    return {w for w in re.findall(r"[a-z][a-z0-9'-]{2,}", text.lower()) if w not in STOPWORDS}
