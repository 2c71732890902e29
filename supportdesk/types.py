"""Column and id types shared by features."""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Always aware UTC in Python; timestamptz on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        # asyncpg reads timestamptz as aware UTC already: nothing to do for each value (a
        # page of the ticket list reads 120 of them).
        if dialect.driver == "asyncpg":
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Ids are 32-bit integer columns in PostgreSQL: a larger number names no row, and must be
# refused before it reaches SQL (asyncpg cannot even send it).
MAX_ID = 2_147_483_647


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# A row's id in a JSON body. Strict: "7" or true is a client bug, not an id; 7.0 is 7 in
# JSON (and an integer to JSON Schema). The bounds stand before the validator so that the
# schema states them as minimum/maximum (after it, pydantic writes unknown `ge`/`le`).
BodyId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID), BeforeValidator(_whole)]


def utcnow() -> datetime:
    return datetime.now(UTC)
