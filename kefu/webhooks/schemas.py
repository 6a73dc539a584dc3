"""API shapes of webhook endpoints; the secret is only in the answer to a create or a rotation."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$")
MAX_GRACE_HOURS = 168  # a week, like the longest a payment provider's secret roll allows


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL")
    return value


def _event_type(value: str) -> str:
    if not EVENT_TYPE.match(value):
        raise ValueError("must be a dotted event type, optionally ending in .*")
    return value


Url = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_http_url)]
EventType = Annotated[str, Field(max_length=64), AfterValidator(_event_type)]
EventTypes = Annotated[list[EventType], Field(min_length=1, max_length=50)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookIn(Strict):
    url: Url
    event_types: EventTypes
    enabled: bool = True


class WebhookPatch(Strict):
    url: Url | None = None
    event_types: EventTypes | None = None
    enabled: bool | None = None


class WebhookOut(BaseModel):
    id: uuid.UUID
    url: str
    event_types: list[str]
    enabled: bool
    last_event_id: int
    last_attempt_at: datetime | None
    last_delivered_at: datetime | None
    last_error: str | None
    failures: int  # failed passes in a row
    retry_at: datetime | None  # the next try, while backing off
    # after a rotation with a grace period: until when deliveries also carry the old signature
    previous_secret_until: datetime | None
    created_at: datetime


class SecretRotation(BaseModel):
    """How long the old secret keeps signing beside the new one (0: it stops at once, as for a
    leaked secret); receivers switch to the new secret meanwhile."""

    model_config = ConfigDict(extra="forbid")

    grace_hours: int = Field(default=0, ge=0, le=MAX_GRACE_HOURS)


class WebhookCreated(WebhookOut):
    """Shown once: the receiver verifies `X-Kefu-Signature` with it."""

    secret: str


class WebhookDeliveryOut(BaseModel):
    """One POST of one event: `status_code` is null when no receiver answered (see `error`)."""

    id: uuid.UUID
    event_id: int
    event_type: str
    attempted_at: datetime
    duration_ms: int
    status_code: int | None
    ok: bool
    error: str | None
    redelivery: bool


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryOut]
    next_cursor: str | None  # pass as `before` for the next (older) page
