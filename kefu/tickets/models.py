"""Tickets, their comments and change history, custom fields, SLA policies, views, follow-ups."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_tenant_status", "tenant_id", "status", "updated_at"),
        Index("ix_tickets_tenant_number", "tenant_id", "number", unique=True),
        Index("ix_tickets_fr_warn", "first_response_warn_at"),
        Index("ix_tickets_fr_due", "first_response_due_at"),
        Index("ix_tickets_res_warn", "resolution_warn_at"),
        Index("ix_tickets_res_due", "resolution_due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    number: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    requester_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32), default="api")
    inbox_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inboxes.id"), default=None)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id"), default=None
    )
    type: Mapped[str] = mapped_column(String(32), default="question")
    priority: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="new")
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), default=None)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    email_subject: Mapped[str | None] = mapped_column(String(300), default=None)
    # SLA: the policy, the first-response clock and the pausable resolution clock
    sla_policy_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sla_policies.id"), default=None
    )
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    first_response_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    first_response_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    first_response_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution_consumed: Mapped[float] = mapped_column(Float, default=0.0)
    resolution_running_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class TicketComment(Base):
    """A public reply (the requester sees it) or an internal note (agents only)."""

    __tablename__ = "ticket_comments"
    __table_args__ = (Index("ix_ticket_comments_ticket", "ticket_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"))
    author_type: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text, default=None)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    channel: Mapped[str] = mapped_column(String(32), default="api")
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketChange(Base):
    """One changed field of a ticket: who, what (old → new), when."""

    __tablename__ = "ticket_changes"
    __table_args__ = (Index("ix_ticket_changes_ticket", "ticket_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"))
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    field: Mapped[str] = mapped_column(String(64))
    old: Mapped[Any] = mapped_column(JSONType, nullable=True, default=None)
    new: Mapped[Any] = mapped_column(JSONType, nullable=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketField(Base):
    """A tenant-defined custom field: text, number, select or date."""

    __tablename__ = "ticket_fields"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    kind: Mapped[str] = mapped_column(String(16))
    options: Mapped[list[str]] = mapped_column(JSONType, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaPolicy(Base):
    """Targets in business minutes for the tickets it matches (first match by position wins)."""

    __tablename__ = "sla_policies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    match: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    first_response_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    warn_percent: Mapped[int] = mapped_column(Integer, default=80)
    calendar: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    escalation: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedView(Base):
    """Named filters and sort order; personal (owner set) or shared with the tenant."""

    __tablename__ = "ticket_views"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    name: Mapped[str] = mapped_column(String(200))
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    sort: Mapped[str] = mapped_column(String(32), default="-updated_at")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUp(Base):
    """A 回访 task: contact the requester again at `due_at` after the ticket was solved."""

    __tablename__ = "ticket_followups"
    __table_args__ = (Index("ix_ticket_followups_due", "due_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tickets.id"), index=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), default=None)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketCounter(Base):
    """Per-tenant ticket numbers (#1, #2, ...), taken with UPDATE … RETURNING."""

    __tablename__ = "ticket_counters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
