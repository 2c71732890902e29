"""Workflow settings (WORKFLOW_*), meant to sit in `Settings` as its `workflow` group.

This module must not import supportdesk.config: that module imports this one.
"""

from pathlib import Path

import phonenumbers
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from supportdesk.workflow.drafts import Tone

ROOT = Path(__file__).resolve().parents[2]


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
