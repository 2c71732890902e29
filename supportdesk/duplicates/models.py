"""The ticket_embeddings table: one sentence embedding per ticket, with its LSH band codes.

A plain Table (not a mapped class): rows are written by one upsert and read as tuples,
and the band columns come from the LSH constants rather than 32 hand-written attributes.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table

from supportdesk.db import Base
from supportdesk.duplicates.lsh import BAND_COLUMNS
from supportdesk.types import UTCDateTime

ticket_embeddings = Table(
    "ticket_embeddings",
    Base.metadata,
    Column(
        "ticket_id",
        Integer,
        ForeignKey("tickets.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # float32 little-endian, L2-normalised: 1,536 bytes, small enough to stay inline
    # (PostgreSQL TOASTs from ~2 kB), so fetching candidates reads no side table.
    Column("vector", LargeBinary, nullable=False),
    # sha256 of the text that was embedded: a re-index of unchanged text is skipped and
    # an edited ticket is re-embedded.
    Column("text_hash", String(64), nullable=False),
    *(Column(name, Integer, nullable=False) for name in BAND_COLUMNS),
    Column("created_at", UTCDateTime, nullable=False),
    # (band, ticket_id): a band lookup is an index-only scan that yields candidate ids
    # without touching the rows (and their vectors) of tickets that do not match.
    *(Index(f"ix_ticket_embeddings_{name}", name, "ticket_id") for name in BAND_COLUMNS),
)
