"""API shapes of inboxes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _check_origins(origins: list[str]) -> list[str]:
    for origin in origins:
        if not origin.startswith(("http://", "https://")) or origin.endswith("/"):
            raise ValueError("origins look like https://shop.example.com")
    return origins


class InboxIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    allowed_origins: list[str] = Field(default_factory=list, max_length=50)
    settings: dict[str, Any] = Field(default_factory=dict)

    _origins = field_validator("allowed_origins")(_check_origins)


class InboxUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    allowed_origins: list[str] | None = Field(default=None, max_length=50)
    settings: dict[str, Any] | None = None

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_origins(value)


class InboxOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    channel_type: str
    widget_key: str
    allowed_origins: list[str]
    settings: dict[str, Any]
    created_at: datetime
