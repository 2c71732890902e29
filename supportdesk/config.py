"""All settings, from the environment (and an optional .env). Nothing else reads os.environ."""

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

import phonenumbers
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from supportdesk.logs import LogFormat, LogLevel
from supportdesk.taxonomy import Tone

ROOT = Path(__file__).resolve().parent.parent


class WorkflowSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WORKFLOW_", env_file=".env", extra="ignore")

    # Teams, rules and SLA targets; read once at start-up and refused if malformed.
    routing_file: Path = ROOT / "config" / "routing.toml"
    # Tone of drafts written without one being asked for.
    default_tone: Tone = Tone.FRIENDLY
    # Region for phone numbers written without a country code (ISO 3166 code, or empty).
    phone_region: str | None = "US"
    # Read 03/04/2024 as 3 April (day first) rather than March 4.
    day_first_dates: bool = False
    draft_signature: str = "The Support Team"

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if not value:
            return None
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {value!r} (use e.g. US, GB, DE)")
        return region


class LLMSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LLM_", env_file=".env", extra="ignore")

    provider: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    base_url: str | None = None
    timeout_seconds: float = 10.0
    max_retries: int = 2
    # A streamed reply draft may take longer than one answer; this bounds all of it.
    draft_max_seconds: float = 60.0
    # After this many failed classifications in a row, skip the provider for the cool-down.
    circuit_failures: int = 5
    circuit_cooldown_seconds: float = 30.0


class TriageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", env_file=".env", extra="ignore")

    model_dir: Path = ROOT / "models" / "minilm"
    heads_dir: Path = ROOT / "models" / "heads"
    # Below this confidence a suggestion is flagged "needs review".
    review_threshold: float = 0.55
    # With an LLM configured, the local model answers alone at or above this confidence.
    escalation_threshold: float = 0.75
    # Retrain in the background once this many corrections arrived since the active version.
    retrain_after: int = 50
    # Staff user ids whose corrections retraining leaves out (an agent who mislabels), as
    # JSON: TRIAGE_IGNORE_CORRECTIONS_FROM=[3,7].
    ignore_corrections_from: list[int] = []
    reload_seconds: float = 30.0
    # The record of each LLM call (provider, latency, tokens, outcome) is kept this long.
    keep_provider_calls_days: float = Field(default=90, gt=0)


class JobSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JOBS_", env_file=".env", extra="ignore")

    # Tasks run at once by one process (in-process runner or procrastinate worker).
    concurrency: int = 2
    # Run jobs inside the API process: on SQLite the only runner; on PostgreSQL one worker
    # beside any `supportdesk worker` processes.
    in_process: bool = True
    # A job whose worker has sent no heartbeat for this long is retried elsewhere.
    stalled_seconds: float = 30.0
    poll_seconds: float = 0.2
    # CPU priority of background work (0-19, higher yields more): of `supportdesk worker`
    # processes, and of the jobs' model thread in an API process that runs jobs. On a
    # machine shared with the API, jobs take the CPU the requests leave.
    worker_nice: int = Field(default=10, ge=0, le=19)
    # Finished jobs are deleted after this many days; failed ones are kept longer, to be
    # looked into.
    keep_succeeded_days: float = Field(default=7, gt=0)
    keep_failed_days: float = Field(default=30, gt=0)


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", env_file=".env", extra="ignore")

    # Serve the agent API to anyone who reaches it, signed in or not: only for a trusted
    # single-user install behind a firewall. Off by default; start-up warns when on.
    open_access: bool = False
    # Agents see every team's tickets, not only their own teams' (small teams want this).
    agents_see_all_teams: bool = False
    # A session ends after this long without a request, and in any case after `session_days`.
    session_idle_hours: float = Field(default=72, gt=0)
    session_days: float = Field(default=30, gt=0)
    # Setup, invitation and password-reset links stop working after this long.
    link_hours: float = Field(default=72, gt=0)
    # Failed sign-ins within the window before further tries are refused (429).
    failures_per_account: int = Field(default=5, ge=1)
    failures_per_address: int = Field(default=20, ge=1)
    failure_window_minutes: float = Field(default=15, gt=0)
    # Who a token or session belongs to is remembered this long per process, so a request
    # costs no credential query (measured: ~0.5 ms of server CPU a request). A revocation,
    # sign-out or role change made in this process applies at once; made in another
    # process, within this many seconds. 0 asks the database every time.
    credential_cache_seconds: float = Field(default=5, ge=0)
    # The address links to this server are written with (setup, invitation and customer
    # links); when empty, the address the request came to.
    public_url: str = ""

    def base_url(self, fallback: str) -> str:
        return (self.public_url or fallback).rstrip("/")


class ConversationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONVERSATIONS_", env_file=".env", extra="ignore")

    # A customer's private link stops working after this long without being opened (an
    # agent can also revoke a ticket's links at once).
    link_idle_days: float = Field(default=30, gt=0)
    # A customer's message to a resolved or closed ticket reopens it within this many days
    # of its resolution; later, it opens a new ticket linked to the old one.
    reopen_days: float = Field(default=14, ge=0)
    # Tickets the public form accepts from one client address in an hour (then 429).
    public_tickets_per_hour: int = Field(default=20, ge=1)
    # A signed-in customer (by a one-time sign-in link) stays signed in this long unused.
    session_idle_days: float = Field(default=7, gt=0)


class EmailSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EMAIL_", env_file=".env", extra="ignore")

    # The SMTP server public replies are sent through; empty: no email is sent (the
    # customer reads replies by their link). Nothing is queued while it is empty.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    # starttls: upgrade a plain connection (port 587); tls: TLS from the start (465).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    # Replies come from the team's address, under this name.
    from_address: str = "support@example.com"
    from_name: str = "Support team"
    timeout_seconds: float = Field(default=30, gt=0)

    # Email in. The built-in SMTP listener, e.g. 127.0.0.1:2525 (empty: none); point an MX
    # or a forwarding rule at it.
    listen: str = Field(default="", pattern=r"^(|[^:\s]+:\d{1,5})$")
    # Larger emails are refused (the sender's server says why), never half-kept.
    max_message_bytes: int = Field(default=25_000_000, ge=10_000)
    # Emails one sender may open or add to tickets in an hour; the rest are kept, unread.
    per_sender_per_hour: int = Field(default=30, ge=1)
    # Signs the inbound webhook (`X-Supportdesk-Signature: sha256=<HMAC of the body>`);
    # empty: the webhook is off.
    inbound_secret: SecretStr = SecretStr("")
    # Other addresses that reach this helpdesk (comma-separated), besides from_address:
    # never copied on a ticket, and mail from them is a loop.
    aliases: str = ""
    # Answer a ticket opened by email with an acknowledgement carrying its private link.
    acknowledge: bool = False
    # A mailbox to poll (imap-tools), e.g. imap.gmail.com; empty: none.
    imap_host: str = ""
    imap_port: int = Field(default=993, ge=1, le=65535)
    imap_security: Literal["tls", "starttls", "none"] = "tls"
    imap_username: str = ""
    imap_password: SecretStr = SecretStr("")
    imap_folder: str = "INBOX"
    # OAuth2 (Microsoft 365, Google): with a token URL, the password is not used; an
    # access token is asked for with the refresh token at each poll (XOAUTH2).
    imap_oauth2_token_url: str = ""
    imap_oauth2_client_id: str = ""
    imap_oauth2_client_secret: SecretStr = SecretStr("")
    imap_oauth2_refresh_token: SecretStr = SecretStr("")
    # The receiving mail servers (their authserv-id, e.g. mx.google.com; comma-separated)
    # whose Authentication-Results header is believed: an email one of them found failing
    # DMARC (or SPF, with no DKIM pass) is kept but never filed, so a forged From cannot
    # write into a customer's conversation. Empty: no such check (the server must do it).
    trusted_authserv_ids: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def own_addresses(self) -> frozenset[str]:
        return frozenset({self.from_address.lower(), *_listed(self.aliases)})

    @property
    def trusted_verifiers(self) -> frozenset[str]:
        return frozenset(_listed(self.trusted_authserv_ids))


def _listed(setting: str) -> list[str]:
    """A comma-separated setting's items, lower-cased."""
    return [item.strip().lower() for item in setting.split(",") if item.strip()]


class SlaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SLA_", env_file=".env", extra="ignore")

    # Warn (a ticket event, live and in its history) this long before a target is due.
    warning_minutes: float = Field(default=30, ge=0)

    @property
    def warning(self) -> timedelta:
        return timedelta(minutes=self.warning_minutes)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite+aiosqlite:///{ROOT / 'data' / 'supportdesk.db'}"
    host: str = "127.0.0.1"
    port: int = 8000
    web_concurrency: int = 1
    access_log: bool = False
    log_level: LogLevel = "INFO"
    log_format: LogFormat = "plain"  # json: one JSON object a line
    max_body_bytes: int = 1_000_000
    # Ticket pages kept built, per process (0: build each one every time it is opened).
    ticket_page_cache_mb: int = Field(default=64, ge=0)
    # List pages and stats kept, per process, until a ticket changes (PostgreSQL; 0: none).
    ticket_answer_cache_mb: int = Field(default=32, ge=0)
    static_dir: Path = ROOT / "frontend" / "dist"
    llm: LLMSettings = Field(default_factory=LLMSettings)
    triage: TriageSettings = Field(default_factory=TriageSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    workflow: WorkflowSettings = Field(default_factory=WorkflowSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    conversations: ConversationSettings = Field(default_factory=ConversationSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)

    @property
    def base_url(self) -> str:
        """Of links in what jobs write (emails): there is no request to take it from."""
        return self.auth.base_url(f"http://{self.host}:{self.port}")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
