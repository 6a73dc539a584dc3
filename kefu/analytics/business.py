"""Metrics beyond conversations: tickets created / solved / breached, and contacts per 10,000
orders (万求率) from the order counts the tenant posts per local day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics.models import OrderCount
from kefu.tickets.models import Ticket

if TYPE_CHECKING:
    from kefu.analytics.service import Scope


def _in(s: Scope, column: Any) -> Any:
    return and_(column >= s.start, column < s.end)


def _ticket_scope(s: Scope) -> list[Any]:
    conds: list[Any] = [Ticket.tenant_id == s.tenant_id]
    if s.channel:
        conds.append(Ticket.channel == s.channel)
    if s.team_id:
        conds.append(Ticket.team_id == s.team_id)
    if s.agent_id:
        conds.append(Ticket.assignee_id == s.agent_id)
    return conds


async def ticket_metrics(session: AsyncSession, s: Scope) -> dict[str, float | None]:
    async def count(*conds: Any) -> float:
        stmt = select(func.count()).select_from(Ticket).where(*_ticket_scope(s), *conds)
        return float((await session.execute(stmt)).scalar_one())

    return {
        "tickets_created": await count(_in(s, Ticket.created_at), Ticket.merged_into_id.is_(None)),
        "tickets_solved": await count(_in(s, Ticket.solved_at)),
        "tickets_breached": await count(
            or_(_in(s, Ticket.first_response_breached_at), _in(s, Ticket.resolution_breached_at))
        ),
    }


def days_starting_in(start: datetime, end: datetime, tz: str) -> tuple[date, date]:
    """The local days whose midnight falls in [start, end): (first, last), first > last if none."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    first = local.date() if local.time() == datetime.min.time() else local.date() + timedelta(1)
    last_local = end.astimezone(zone)
    last = last_local.date() - timedelta(days=1)
    if last_local.time() != datetime.min.time():
        last = last_local.date()
    return first, last


async def orders_in(session: AsyncSession, s: Scope) -> int | None:
    first, last = days_starting_in(s.start, s.end, s.tz)
    stmt = select(func.sum(OrderCount.orders)).where(
        OrderCount.tenant_id == s.tenant_id, OrderCount.day >= first, OrderCount.day <= last
    )
    total = (await session.execute(stmt)).scalar()
    return None if total is None else int(total)


async def contacts_per_orders(
    session: AsyncSession, s: Scope, conversations: float | None
) -> dict[str, float | None]:
    orders = await orders_in(session, s)
    rate = None if not orders or conversations is None else conversations / orders * 10_000
    return {"contacts_per_10k_orders": rate}
