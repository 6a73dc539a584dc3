"""WFM tables: imported interval counts, tenant events, forecasts, shift templates, schedules.

Computed results (forecasts, schedules) are stored as JSON documents: they are written once,
read whole by the console and never queried by their content.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class WfmIntervalCount(Base):
    """Contacts of one queue starting at ``starts_at`` (one imported CSV row, summed per key)."""

    __tablename__ = "wfm_interval_counts"
    __table_args__ = (
        Index("ix_wfm_interval_counts_tenant_queue", "tenant_id", "queue", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    queue: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    contacts: Mapped[float] = mapped_column(Float)
    aht_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WfmEvent(Base):
    """A promotion or holiday (双11, 春节) that scales a day's volume, inclusive dates."""

    __tablename__ = "wfm_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    factor: Mapped[float | None] = mapped_column(Float, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WfmForecast(Base):
    __tablename__ = "wfm_forecasts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    queue: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(32), default=None)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(32))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    result: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WfmShiftTemplate(Base):
    """Shift options; times are minutes of the local day, lengths in minutes."""

    __tablename__ = "wfm_shift_templates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    length_minutes: Mapped[int] = mapped_column(Integer)
    earliest_start: Mapped[int] = mapped_column(Integer)
    latest_start: Mapped[int] = mapped_column(Integer)
    start_step_minutes: Mapped[int] = mapped_column(Integer)
    break_minutes: Mapped[int] = mapped_column(Integer, default=0)
    break_after_min: Mapped[int] = mapped_column(Integer, default=0)
    break_after_max: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WfmSchedule(Base):
    __tablename__ = "wfm_schedules"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    forecast_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("wfm_forecasts.id"))
    week_start: Mapped[date] = mapped_column(Date)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    optimal: Mapped[bool] = mapped_column(Boolean)
    cost: Mapped[float] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
