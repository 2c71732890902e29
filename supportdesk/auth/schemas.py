"""API shapes for sign-in, users, API tokens and one-time links."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from supportdesk.auth.actor import Role, UserStatus
from supportdesk.text import EmailAddress, PersonName

# Long enough to resist guessing; the ceiling keeps argon2's input reasonable.
Password = Annotated[str, Field(min_length=10, max_length=200)]
TeamName = Annotated[str, Field(min_length=1, max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailAddress
    # No length rule here: a sign-in with a short password fails like any wrong one.
    password: Annotated[str, Field(min_length=1, max_length=200)]


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    status: UserStatus
    teams: list[str]
    created_at: datetime
    notify_assigned: bool = Field(description="email when someone else gives them a ticket")
    notify_customer_replied: bool = Field(
        description="email when a customer answers on a ticket they hold"
    )


class Me(BaseModel):
    user: UserOut | None = Field(description="None in open access mode, where nobody signs in.")
    role: Role
    open_access: bool
    team_scope: list[str] | None = Field(
        default=None,
        description="the teams whose tickets you may see (and tickets not routed yet); "
        "null: every team",
    )
    csrf_token: str | None = Field(
        default=None,
        description="Sign-in answers only: send it as X-CSRF-Token with every cookie-signed "
        "write (it is also in the `sd_csrf` cookie).",
    )


class MyChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PersonName | None = None
    # Agents set themselves away (auto-assignment skips them) and back.
    status: Literal[UserStatus.ACTIVE, UserStatus.AWAY] | None = None
    notify_assigned: StrictBool | None = None
    notify_customer_replied: StrictBool | None = None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailAddress
    name: PersonName
    role: Role = Role.AGENT
    teams: Annotated[list[TeamName], Field(max_length=50)] = []


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PersonName | None = None
    role: Role | None = None
    status: UserStatus | None = None
    teams: Annotated[list[TeamName], Field(max_length=50)] | None = None


class LinkOut(BaseModel):
    """A one-time link to hand to its person (until email sends it)."""

    url: str
    expires_in_hours: float


class InvitedUser(BaseModel):
    user: UserOut
    invitation: LinkOut


class LinkInfo(BaseModel):
    purpose: Literal["setup", "invite", "reset"]
    email: str
    name: str


class LinkUse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password
    # The setup link only: the first admin's own email and name.
    email: EmailAddress | None = None
    name: PersonName | None = None


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PersonName


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewToken(TokenOut):
    token: str = Field(description="Shown once: only its hash is kept.")
