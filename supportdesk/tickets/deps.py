"""The ticket id of a path, once the asker may see that ticket."""

from typing import Annotated

from fastapi import Depends

from supportdesk.auth.access import SignedIn
from supportdesk.deps import ReadSessionDep, TicketId
from supportdesk.tickets import service


async def _visible_ticket(ticket_id: TicketId, actor: SignedIn, session: ReadSessionDep) -> int:
    # Not an access rule of its own: the route's rule decides who may ask at all.
    teams = actor.team_scope
    if teams is not None:
        await service.ensure_visible(session, ticket_id, teams)
    return ticket_id


# A ticket another team owns answers 404, as an unknown id does.
VisibleTicketId = Annotated[int, Depends(_visible_ticket)]
