"""The ticket page's version: per ticket, moved by triggers (migration 0024) on every write
to a table the page reads, whoever writes it (a route, a job, another process, a
hand-typed UPDATE). A page built once is served again while the versions it was built at
stay the same."""

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

from supportdesk.db import Base

# The row of people's names and contacts (staff renamed, a contact's details changed):
# every page shows some, so every page's version includes it. No ticket has id 0.
EVERYONE = 0


class TicketVersion(Base):
    __tablename__ = "ticket_versions"

    # No foreign key: row 0 names no ticket, and a deleted ticket's row does no harm.
    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # When the page last changed, in microseconds since 1970, and always more than before.
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
