"""Who is asking: plain values the services take (no FastAPI), built by `access.py`."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    VIEWER = "viewer"  # reads everything its teams see, changes nothing


class UserStatus(StrEnum):
    ACTIVE = "active"
    AWAY = "away"  # signs in and works, but auto-assignment skips them
    DEACTIVATED = "deactivated"  # cannot sign in; sessions and tokens stop working


# Who may do what, lowest first: a rule admits its role and every role above it.
RANK = {Role.VIEWER: 1, Role.AGENT: 2, Role.ADMIN: 3}


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in staff member (or the open mode's stand-in for one)."""

    user_id: int | None  # None only in open mode, where nobody signs in
    role: Role
    teams: frozenset[str]
    sees_all_teams: bool

    def at_least(self, role: Role) -> bool:
        return RANK[self.role] >= RANK[role]

    @property
    def team_scope(self) -> Sequence[str] | None:
        """The teams whose tickets this actor may see; None for all of them."""
        if self.sees_all_teams or self.role is Role.ADMIN:
            return None
        return sorted(self.teams)

    def sees_team(self, team: str | None) -> bool:
        # A ticket not yet routed (no team) is everyone's to pick up.
        scope = self.team_scope
        return scope is None or team is None or team in scope


OPEN_ACCESS = Actor(user_id=None, role=Role.ADMIN, teams=frozenset(), sees_all_teams=True)


@dataclass(frozen=True, slots=True)
class CustomerAccess:
    """A customer (never a staff member): holding a private link, one ticket as one
    contact; signed in (`ticket_id` None), the contact's tickets, and their organisation's
    when an admin lets it share them."""

    credential_id: int  # the link's, or the customer session's
    ticket_id: int | None
    contact_id: int
    needs_touch: bool = False  # its last use is old enough to be written again

    @property
    def signed_in(self) -> bool:
        return self.ticket_id is None
