"""API shapes of contacts and widget sessions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class IdentityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    user_hash: str = Field(min_length=1, max_length=128)


class WidgetSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    widget_key: str = Field(min_length=1, max_length=64)
    locale: str = Field(default="en", max_length=16)
    identity: IdentityIn | None = None
    contact_token: str | None = Field(default=None, max_length=128)


class WidgetSessionOut(BaseModel):
    contact_token: str
    contact_id: uuid.UUID
    conversation_id: uuid.UUID | None
    inbox: WidgetConfig


class WidgetStatus(BaseModel):
    """Whether the tenant's team is in now (business hours), and when it opens next if not."""

    open_now: bool = True
    next_open: datetime | None = None


class CsatWording(BaseModel):
    """The tenant's survey question / thank-you text per language (missing: built-in text)."""

    question: dict[str, str] = Field(default_factory=dict)
    thanks: dict[str, str] = Field(default_factory=dict)


class WidgetConfig(WidgetStatus):
    name: str
    greeting: dict[str, str]
    color: str
    languages: list[str]
    csat: CsatWording = Field(default_factory=CsatWording)


class IdentityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    value: str
    verified: bool


class ContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    tags: list[str]
    attributes: dict[str, Any]
    created_at: datetime
    identities: list[IdentityOut] = Field(default_factory=list)


class ContactPage(BaseModel):
    items: list[ContactOut]
    next_cursor: str | None


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)
    tags: list[str] = Field(default_factory=list, max_length=50)
    attributes: dict[str, Any] = Field(default_factory=dict)
    external_id: str | None = Field(default=None, max_length=200)


class ContactUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)
    tags: list[str] | None = Field(default=None, max_length=50)
    attributes: dict[str, Any] | None = None


WidgetSessionOut.model_rebuild()
