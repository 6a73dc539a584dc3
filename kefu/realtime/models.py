"""The durable event log and the per-tenant counter that numbers it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, utcnow


class TenantCounter(Base):
    """Allocates tenant-wide event ids inside the writing transaction (UPDATE … RETURNING)."""

    __tablename__ = "tenant_counters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    event_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class EventRecord(Base):
    __tablename__ = "events"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
