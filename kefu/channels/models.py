"""Inboxes: one entry point each (a website widget, a mailbox, an API channel)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class Inbox(Base):
    __tablename__ = "inboxes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    channel_type: Mapped[str] = mapped_column(String(32), default="widget")
    widget_key: Mapped[str] = mapped_column(String(64), unique=True)
    allowed_origins: Mapped[list[str]] = mapped_column(JSONType, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
