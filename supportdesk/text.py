"""Text hygiene shared by every input path."""

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

# Invisible, yet part of the text: the zero-width joiner builds emoji sequences (woman +
# laptop = technologist) and the zero-width non-joiner spells words in Persian and Indic
# scripts.
KEPT_INVISIBLE = "\n\t\u200c\u200d"
EDGES = re.compile(r"^[\s\u200c\u200d]+|[\s\u200c\u200d]+$")


def printable(value: str) -> str:
    """Drop control and other invisible characters (keeping newlines, tabs and joiners),
    then trim.

    PostgreSQL refuses NUL bytes, and stray control codes help no reader or model; bidi
    overrides could make a ticket read differently from what it says.
    """
    kept = "".join(
        ch for ch in value if ch in KEPT_INVISIBLE or not unicodedata.category(ch).startswith("C")
    )
    # Joiners join what stands beside them: at either end they join nothing.
    return EDGES.sub("", kept)


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


# A ticket's text. The model reads only its first lines; the limit keeps one request's
# text, its search index entry and any LLM prompt within reason.
MAX_TEXT_CHARS = 20_000

CleanText = Annotated[str, AfterValidator(printable)]
# What `_not_blank` asks for, told to clients in the schema: a character that is neither
# space nor control nor an invisible format mark. (Only documented, so that the check
# keeps one message; unassigned code points, which `printable` also drops, are beyond a
# portable regex.)
VISIBLE_CHARACTER = r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
RequiredText = Annotated[
    str,
    AfterValidator(printable),
    AfterValidator(_not_blank),
    Field(json_schema_extra={"minLength": 1, "pattern": VISIBLE_CHARACTER}),
]
# Lengths count the cleaned text (control characters do not count).
LongText = Annotated[RequiredText, Field(max_length=MAX_TEXT_CHARS)]
Title = Annotated[RequiredText, Field(max_length=200)]
