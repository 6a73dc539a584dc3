"""SLA policy choice and the ticket's clocks: start, pause, resume, stop, re-target."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact
from kefu.core.business_hours_db import load_schedule
from kefu.tenants.repository import get_tenant
from kefu.tickets import repository as repo
from kefu.tickets.models import SlaPolicy, Ticket
from kefu.tickets.sla import Calendar, Clock, add_business, schedule_from_json
from kefu.tickets.states import (
    ACTIVE,
    COMPLAINT_TYPES,
    FINISHED,
    PAUSED,
    TicketStatus,
    priority_name,
)


def choose_policy(
    policies: Sequence[SlaPolicy], ticket: Ticket, contact_tags: Sequence[str]
) -> SlaPolicy | None:
    """Complaints get the first complaint policy; others the first policy whose match fits."""
    complaint = ticket.type in COMPLAINT_TYPES
    for policy in policies:
        if policy.complaint != complaint:
            continue
        m = policy.match or {}
        if m.get("priorities") and priority_name(ticket.priority) not in m["priorities"]:
            continue
        if m.get("types") and ticket.type not in m["types"]:
            continue
        if m.get("contact_tags") and not set(m["contact_tags"]) & set(contact_tags):
            continue
        return policy
    return None


async def calendar_for(session: AsyncSession, tenant_id: uuid.UUID, policy: SlaPolicy) -> Calendar:
    """The policy's own calendar, else the tenant's business hours (None: always open)."""
    if policy.calendar:
        tz = (await get_tenant(session, tenant_id)).timezone
        return schedule_from_json(policy.calendar, tz)
    return await load_schedule(session, tenant_id)


def _resolution_clock(ticket: Ticket, policy: SlaPolicy) -> Clock | None:
    if policy.resolution_minutes is None:
        return None
    return Clock(
        target=policy.resolution_minutes * 60.0,
        warn_percent=policy.warn_percent,
        consumed=ticket.resolution_consumed,
        running_since=ticket.resolution_running_since,
    )


def _store_resolution(ticket: Ticket, clock: Clock, cal: Calendar) -> None:
    ticket.resolution_consumed = clock.consumed
    ticket.resolution_running_since = clock.running_since
    ticket.resolution_due_at = clock.due(cal)
    ticket.resolution_warn_at = clock.warn(cal)


def _first_response(ticket: Ticket, policy: SlaPolicy, cal: Calendar) -> None:
    if policy.first_response_minutes is None or ticket.first_responded_at is not None:
        ticket.first_response_due_at = ticket.first_response_warn_at = None
        return
    target = policy.first_response_minutes * 60.0
    ticket.first_response_due_at = add_business(cal, ticket.created_at, target)
    warn = target * policy.warn_percent / 100
    ticket.first_response_warn_at = add_business(cal, ticket.created_at, warn)


async def apply_policy(
    session: AsyncSession, ticket: Ticket, now: datetime, *, contact: Contact | None = None
) -> None:
    """(Re)choose the policy and recompute both clocks; consumed resolution time is kept."""
    policies = await repo.policies_of(session, ticket.tenant_id)
    if contact is None:
        contact = await session.get(Contact, ticket.requester_id)
    policy = choose_policy(policies, ticket, contact.tags if contact else [])
    ticket.sla_policy_id = policy.id if policy else None
    if policy is None:
        ticket.first_response_due_at = ticket.first_response_warn_at = None
        ticket.resolution_due_at = ticket.resolution_warn_at = None
        return
    cal = await calendar_for(session, ticket.tenant_id, policy)
    _first_response(ticket, policy, cal)
    clock = _resolution_clock(ticket, policy)
    if clock is None:
        ticket.resolution_due_at = ticket.resolution_warn_at = None
        return
    running = TicketStatus(ticket.status) not in PAUSED | FINISHED
    if running and clock.running_since is None:
        clock = clock.resume(now)
    _store_resolution(ticket, clock, cal)


async def on_status(
    session: AsyncSession, ticket: Ticket, old: str, new: str, now: datetime
) -> None:
    """Pause while pending on the customer, stop when solved, resume when work goes on."""
    if ticket.sla_policy_id is None:
        return
    policy = await session.get(SlaPolicy, ticket.sla_policy_id)
    if policy is None:
        return
    clock = _resolution_clock(ticket, policy)
    if clock is None:
        return
    cal = await calendar_for(session, ticket.tenant_id, policy)
    clock = clock.pause(cal, now) if TicketStatus(new) in PAUSED | FINISHED else clock.resume(now)
    _store_resolution(ticket, clock, cal)


async def drop_policy(session: AsyncSession, policy: SlaPolicy, now: datetime) -> list[Ticket]:
    """Delete `policy`. Tickets still being worked on get the policy that matches them now (or
    none); finished ones keep the times they recorded (responded, breached) for reports.
    Returns the tickets still being worked on, which it timed again."""
    timed = await repo.tickets_with_policy(session, policy.tenant_id, policy.id)
    for ticket in timed:
        ticket.sla_policy_id = None
    await session.flush()
    await session.delete(policy)
    await session.flush()
    active = [ticket for ticket in timed if TicketStatus(ticket.status) in ACTIVE]
    for ticket in active:
        await apply_policy(session, ticket, now)
    return active
