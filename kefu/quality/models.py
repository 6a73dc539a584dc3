"""Quality-inspection rules per tenant and the inspection result of each conversation."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class QaRule(Base):
    __tablename__ = "qa_rules"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    weight: Mapped[float] = mapped_column(Float, default=10.0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class QaResult(Base):
    """Score 0–100 and the evidence (message, span) of every rule hit; supervisors may override."""

    __tablename__ = "qa_results"
    __table_args__ = (UniqueConstraint("conversation_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    score: Mapped[float] = mapped_column(Float)
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # ",<rule id>,<rule id>," of the rules with a hit: the list filters on it with LIKE on
    # SQLite and PostgreSQL alike (the JSON `hits` has no portable containment test)
    hit_rule_ids: Mapped[str] = mapped_column(Text, default="")
    inspected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stale: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    override_score: Mapped[float | None] = mapped_column(Float, default=None)
    override_comment: Mapped[str] = mapped_column(Text, default="")
    overridden_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    overridden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
