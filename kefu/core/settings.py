"""Settings from `KEFU_*` environment variables (pydantic-settings)."""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Process-wide configuration; every field maps to `KEFU_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="KEFU_", extra="ignore")

    database_url: str = ""
    redis_url: str | None = None
    secret_key: str | None = None
    # keys in use before a rotation (JSON list, read here only): they open sealed credentials
    # and verify tokens and links signed before it, never seal or sign
    secret_key_previous: list[str] = Field(default_factory=list)
    var_dir: Path = Path("var")
    log_level: str = "info"
    allowed_origins: list[str] = Field(default_factory=list)
    access_token_ttl: int = 15 * 60
    refresh_token_ttl: int = 30 * 24 * 3600
    ws_ticket_ttl: int = 60
    ws_heartbeat_seconds: float = 25.0
    login_rate_limit: int = 10
    login_rate_window: int = 300
    max_message_chars: int = 10_000
    max_upload_bytes: int = 10 * 1024 * 1024
    resume_max_events: int = 5_000
    event_retention_days: int = 7
    bot_idle_timeout: int = 600
    reopen_window: int = 24 * 3600
    csat_window: int = 7 * 24 * 3600
    public_url: str = "http://127.0.0.1:8000"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 8.0
    demo_password: str = "kefu-demo"  # noqa: S105 - documented demo default
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    workers: int = 1
    webhook_allow_private: bool = False  # let webhooks reach private/loopback addresses

    @field_validator("secret_key_previous")
    @classmethod
    def _no_empty_key(cls, keys: list[str]) -> list[str]:
        if not all(keys):  # an empty key would accept tokens anyone can sign
            raise ValueError("KEFU_SECRET_KEY_PREVIOUS holds an empty key")
        return keys

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{self.var_dir / 'kefu.db'}"

    @property
    def scale_out(self) -> bool:
        return bool(self.redis_url)

    def resolved_secret_key(self) -> str:
        """The signing secret: from the environment, or generated once in embedded mode."""
        if self.secret_key:
            return self.secret_key
        if self.scale_out or self.workers > 1:
            raise RuntimeError("KEFU_SECRET_KEY must be set in scale-out mode")
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        logging.getLogger("kefu").warning(
            "KEFU_SECRET_KEY is not set; generated one into %s (embedded mode only)", path
        )
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
