"""How the ticket list is ordered and read page after page.

Each ordering is a list of sort keys; the same keys give the ORDER BY and, for keyset
paging, the condition "after this row": a cursor (`cursor=`) carries the last row's key
values, so the page after it costs what the first page costs, where an OFFSET reads and
skips every row before the page (page 5,000 of 20 skips 99,980 rows).

A cursor is a position, not a permission: every page applies the asker's filters and
team scope again. It names the ordering and filters it was made for, and a checksum
catches one that was cut or edited: either is refused (422) rather than read as another
position."""

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, false, literal, or_, tuple_
from sqlalchemy.sql.elements import ColumnElement

from supportdesk.errors import ValidationFailed
from supportdesk.taxonomy import Priority
from supportdesk.tickets.models import Ticket
from supportdesk.types import MAX_ID, UTCDateTime

PRIORITY_RANK = case({p.value: p.rank for p in Priority}, value=Ticket.priority)
CURSOR_VERSION = 1


# What a cursor's values must be, read back from JSON: anything else is not ours.
def _number(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_ID:
        raise ValueError("not a number")
    return value


def _truth(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError("not a truth value")
    return value


def _moment(value: Any) -> datetime | None:
    moment = None if value is None else datetime.fromisoformat(value)
    if moment is not None and moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


@dataclass(frozen=True)
class SortKey:
    expression: ColumnElement[Any]
    of_row: Callable[[Any], Any]  # the key's value for a row of the list
    descending: bool = False
    nulls_last: bool = False  # only for a column that may be empty
    from_json: Callable[[Any], Any] = _number

    def order(self) -> ColumnElement[Any]:
        clause = self.expression.desc() if self.descending else self.expression.asc()
        return clause.nulls_last() if self.nulls_last else clause

    def after(self, value: Any) -> ColumnElement[bool]:
        """Rows strictly after `value` in this key's order."""
        if value is None:
            return false()  # empty values come last: nothing comes after them
        value = literal(value)  # a truth value too: SQLAlchemy compares True only by IS
        beyond = self.expression < value if self.descending else self.expression > value
        return or_(beyond, self.expression.is_(None)) if self.nulls_last else beyond

    def equal(self, value: Any) -> ColumnElement[bool]:
        return self.expression.is_(None) if value is None else self.expression == literal(value)


def _key(column: Any, descending: bool = False, nulls_last: bool = False) -> SortKey:
    name = column.key
    moment = isinstance(column.type, UTCDateTime)
    return SortKey(
        column,
        lambda row: getattr(row, name),
        descending,
        nulls_last,
        _moment if moment else _number,
    )


def _rank(descending: bool) -> SortKey:
    return SortKey(PRIORITY_RANK, lambda row: Priority(row.priority).rank, descending)


def _done() -> SortKey:  # what is still to do first: a resolved ticket's due time is history
    return SortKey(
        Ticket.resolved_at.is_not(None), lambda row: row.resolved_at is not None, from_json=_truth
    )


ORDERINGS: dict[str, tuple[SortKey, ...]] = {
    "-created_at": (_key(Ticket.created_at, True), _key(Ticket.id, True)),
    "created_at": (_key(Ticket.created_at), _key(Ticket.id)),
    "-updated_at": (_key(Ticket.updated_at, True), _key(Ticket.id, True)),
    "updated_at": (_key(Ticket.updated_at), _key(Ticket.id)),
    "-priority": (_rank(True), _key(Ticket.created_at, True), _key(Ticket.id, True)),
    "priority": (_rank(False), _key(Ticket.created_at, True), _key(Ticket.id, True)),
    "due_at": (_done(), _key(Ticket.due_at, nulls_last=True), _key(Ticket.id)),
    "-due_at": (_key(Ticket.due_at, True, nulls_last=True), _key(Ticket.id, True)),
    "-id": (_key(Ticket.id, True),),
    "id": (_key(Ticket.id),),
}


def number_first(number: int) -> SortKey:
    """The ticket a search names by its number leads its text matches."""
    return SortKey(
        Ticket.id == number, lambda row: row.id == number, descending=True, from_json=_truth
    )


def after_row(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows after the one with these key values. Keys all one way and never empty: one row
    comparison, which an index on those keys answers by seeking to the row."""
    same_way = len({key.descending for key in keys}) == 1
    if same_way and not any(key.nulls_last for key in keys):
        row = tuple_(*(key.expression for key in keys))
        return row < tuple_(*values) if keys[0].descending else row > tuple_(*values)
    return or_(
        *(
            and_(*(k.equal(v) for k, v in zip(keys[:n], values, strict=False)), key.after(value))
            for n, (key, value) in enumerate(zip(keys, values, strict=True))
        )
    )


# --- cursors ---------------------------------------------------------------------------------


def _checksum(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=12, person=b"sd-cursor").hexdigest()


def make_cursor(keys: Sequence[SortKey], row: Any, list_key: str) -> str:
    """The cursor of the page after `row`, for the list `list_key` names."""
    values = [key.of_row(row) for key in keys]
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    body = json.dumps([CURSOR_VERSION, list_key, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(body).decode().rstrip("=") + "." + _checksum(body)


def read_cursor(cursor: str, keys: Sequence[SortKey], list_key: str) -> list[Any]:
    """The key values a cursor carries; a 422 naming `cursor` for one this list did not
    make (damaged, edited, or made for other filters or another ordering)."""
    encoded, _, checksum = cursor.partition(".")
    try:
        body = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if _checksum(body) != checksum:
            raise ValueError("checksum")
        version, made_for, plain = json.loads(body)
        if version != CURSOR_VERSION or len(plain) != len(keys):
            raise ValueError("shape")
        values = [key.from_json(value) for key, value in zip(keys, plain, strict=True)]
    except (ValueError, TypeError):
        raise ValidationFailed(
            errors={"cursor": ["not a cursor this list gave: use the `next` link as given"]}
        ) from None
    if made_for != list_key:
        raise ValidationFailed(
            errors={"cursor": ["this cursor belongs to other filters or another ordering"]}
        )
    return values
