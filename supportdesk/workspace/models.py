"""The ticket page's changes: a row per ticket for every write to a table the page reads,
added by triggers (migration 0025) whoever writes (a route, a job, another process, a
hand-typed UPDATE). A page built once is served again while its tickets' rows stay the
same."""

from sqlalchemy import BigInteger, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base

# The rows of people's names and contacts' details (staff renamed, a contact's details
# changed): every page shows some, so every page's version includes them. No ticket has id 0.
EVERYONE = 0


class TicketPageChange(Base):
    __tablename__ = "ticket_page_changes"
    __table_args__ = (Index("ix_ticket_page_changes_ticket", "ticket_id", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    # No foreign key: 0 names no ticket, and a deleted ticket's rows do no harm.
    ticket_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # When, in microseconds since 1970.
    at: Mapped[int] = mapped_column(BigInteger, nullable=False)
