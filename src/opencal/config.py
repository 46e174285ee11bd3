"""Settings read from `OPENCAL_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./opencal.db"
# Regions Daily hosts rooms in.
DailyRegion = Literal[
    "af-south-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "eu-central-1",
    "eu-west-2",
    "sa-east-1",
    "us-east-1",
    "us-west-2",
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENCAL_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    api_key_prefix: str = "cal_"
    # Signs tokens and keys the encryption of stored secrets. When unset, one is generated on
    # first start and kept in the database so every process of a deployment shares it.
    secret_key: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Run the webhook dispatcher inside `opencal serve` (set false when running `opencal worker`).
    run_dispatcher: bool = True
    # Webhook delivery: attempts per delivery, retried after base * 2^(attempt-1) seconds; a claimed
    # delivery whose dispatcher died is retried once its lease (longer than the timeout) lapses.
    webhook_max_attempts: int = Field(default=5, ge=1)
    webhook_retry_base_seconds: float = Field(default=60.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_lease_seconds: float = Field(default=60.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)

    # Rate limits per credential and window (BEHAVIOR.md §1.6), counted in memory, or in Redis
    # (shared by every process) when `redis_url` is set, under keys starting with the prefix.
    rate_limit_enabled: bool = True
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    rate_limit_api_key: int = Field(default=120, ge=1)
    rate_limit_oauth_client: int = Field(default=500, ge=1)
    rate_limit_access_token: int = Field(default=500, ge=1)
    rate_limit_anonymous: int = Field(default=120, ge=1)
    rate_limit_key_prefix: str = "opencal"

    # Cal Video, run on Daily (https://www.daily.co). With an API key, an accepted booking at a Cal
    # Video location gets a Daily room, and its recordings, transcripts and meeting sessions are read
    # from Daily. `daily_scale_plan` turns on cloud recording for organizers who belong to a team, as
    # Cal.com's `scale_plan` key does; `daily_region` pins where rooms are hosted (Daily picks otherwise).
    daily_api_key: str | None = None
    daily_api_url: str = "https://api.daily.co/v1"
    daily_scale_plan: bool = False
    daily_region: DailyRegion | None = None
    daily_timeout_seconds: float = Field(default=10.0, gt=0)

    # Retell AI, the telephony provider behind the `create-phone-call` operations. Without a key
    # those operations answer 400 and store nothing.
    retell_api_key: str | None = None
    retell_api_url: str = "https://api.retellai.com"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def normalize_database_url(url: str) -> str:
    """Accept the plain URLs people paste and pick the async driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url
