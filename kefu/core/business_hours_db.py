"""Stored business hours and holidays of a tenant, and their conversion to a pure `Schedule`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    column,
    select,
    table,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.business_hours import Hours, Schedule
from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow

# core does not import domains: the tenant's time zone is read through a lightweight table
_TENANTS = table("tenants", column("id", Uuid()), column("timezone", String()))


class BusinessHoursConfig(Base):
    """Weekly hours (`{"0": [[540, 1080]], …}`, Monday = "0") and the off-hours message."""

    __tablename__ = "business_hours"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    makeup_weekday: Mapped[int] = mapped_column(Integer, default=0)
    off_hours_message: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Holiday(Base):
    """A closed day (`holiday`) or a make-up working day (`workday`, 调休) of a tenant."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("tenant_id", "day"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16), default="holiday")
    name: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[list[list[int]] | None] = mapped_column(JSONType, default=None)


def _hours(raw: Any) -> Hours:
    return tuple((int(a), int(b)) for a, b in raw or ())


def build_schedule(timezone: str, config: BusinessHoursConfig, holidays: list[Holiday]) -> Schedule:
    return Schedule(
        timezone=timezone,
        weekly={int(k): _hours(v) for k, v in (config.weekly or {}).items()},
        holidays=frozenset(h.day for h in holidays if h.kind == "holiday"),
        makeup_days={
            h.day: (_hours(h.hours) if h.hours else None) for h in holidays if h.kind == "workday"
        },
        makeup_weekday=config.makeup_weekday,
    )


async def load_config(
    session: AsyncSession, tenant_id: uuid.UUID
) -> tuple[BusinessHoursConfig | None, list[Holiday]]:
    config = await session.get(BusinessHoursConfig, tenant_id)
    stmt = select(Holiday).where(Holiday.tenant_id == tenant_id).order_by(Holiday.day)
    return config, list((await session.execute(stmt)).scalars())


async def load_schedule(session: AsyncSession, tenant_id: uuid.UUID) -> Schedule | None:
    """The tenant's schedule in its time zone, or None when business hours are off (always open)."""
    config, holidays = await load_config(session, tenant_id)
    if config is None or not config.enabled:
        return None
    stmt = select(_TENANTS.c.timezone).where(_TENANTS.c.id == tenant_id)
    timezone = (await session.execute(stmt)).scalar_one_or_none() or "UTC"
    return build_schedule(timezone, config, holidays)
