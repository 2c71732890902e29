"""Text hygiene shared by every input path."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator


def printable(value: str) -> str:
    """Drop control and other invisible characters (keeping newlines and tabs), then trim.

    PostgreSQL refuses NUL bytes, and stray control codes help no reader or model.
    """
    return "".join(
        ch for ch in value if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    ).strip()


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


CleanText = Annotated[str, AfterValidator(printable)]
RequiredText = Annotated[str, AfterValidator(printable), AfterValidator(_not_blank)]
