"""Routing settings (tenant, team), ordered routing rules, queue entries and agent cursors."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class RoutingSettings(Base):
    """A tenant's routing: strategy, matching, VIP, sticky, overflow and the absence timers."""

    __tablename__ = "routing_settings"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    auto_assign: Mapped[bool] = mapped_column(Boolean, default=True)
    strategy: Mapped[str] = mapped_column(String(16), default="least_busy")
    match_skills: Mapped[bool] = mapped_column(Boolean, default=True)
    match_language: Mapped[bool] = mapped_column(Boolean, default=True)
    vip_tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    vip_priority: Mapped[int] = mapped_column(Integer, default=10)
    prioritise_negative: Mapped[bool] = mapped_column(Boolean, default=False)
    negative_priority: Mapped[int] = mapped_column(Integer, default=20)
    sticky: Mapped[bool] = mapped_column(Boolean, default=True)
    overflow_after_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    overflow_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), default=None)
    presence_grace_seconds: Mapped[int] = mapped_column(Integer, default=60)
    contact_grace_seconds: Mapped[int] = mapped_column(Integer, default=60)
    first_response_seconds: Mapped[int] = mapped_column(Integer, default=300)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TeamRouting(Base):
    """A team's (queue's) own strategy and overflow; unset fields follow the tenant."""

    __tablename__ = "team_routing"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    strategy: Mapped[str | None] = mapped_column(String(16), default=None)
    overflow_after_seconds: Mapped[int | None] = mapped_column(Integer, default=None)
    overflow_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), default=None)


class RoutingRule(Base):
    """If a queued conversation matches (inbox, language, tags, bot intent / handoff reason),
    send it to a team with required skills and a priority bonus. First match wins."""

    __tablename__ = "routing_rules"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    inbox_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    intents: Mapped[list[str]] = mapped_column(JSONType, default=list)
    handoff_reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), default=None)
    required_skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QueueEntry(Base):
    """Routing's view of one conversation's current stay in the queue."""

    __tablename__ = "queue_entries"
    __table_args__ = (Index("ix_queue_entries_tenant_team", "tenant_id", "team_id"),)

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id"), primary_key=True
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), default=None)
    required_skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    rule_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    team_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    overflowed: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded: Mapped[list[str]] = mapped_column(JSONType, default=list)
    negative: Mapped[bool] = mapped_column(Boolean, default=False)  # its priority has the boost
    off_hours_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class SentimentFlag(Base):
    """The first strongly negative message of a conversation's contact, recorded while the
    tenant prioritises angry contacts (`RoutingSettings.prioritise_negative`)."""

    __tablename__ = "sentiment_flags"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id"), primary_key=True
    )
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgentCursor(Base):
    """Per-agent routing row: its lock serialises assignments to the agent (capacity) and
    `last_assigned_at` orders round-robin."""

    __tablename__ = "agent_cursors"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    last_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
