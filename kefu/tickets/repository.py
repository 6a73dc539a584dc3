"""Tenant-scoped reads of tickets and their satellites; keyset pagination over any sort key."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact
from kefu.core.auth import ContactPrincipal, Principal
from kefu.core.errors import Invalid, NotFound
from kefu.tickets.models import (
    FollowUp,
    SavedView,
    SlaPolicy,
    Ticket,
    TicketChange,
    TicketComment,
    TicketField,
)
from kefu.tickets.schemas import ViewFilters
from kefu.tickets.states import priority_rank

SORTS: dict[str, Any] = {
    "created_at": Ticket.created_at,
    "updated_at": Ticket.updated_at,
    "priority": Ticket.priority,
}


async def get_ticket_for(
    session: AsyncSession, principal: Principal, ticket_id: uuid.UUID, *, lock: bool = False
) -> Ticket:
    stmt = select(Ticket).where(Ticket.id == ticket_id, Ticket.tenant_id == principal.tenant_id)
    if lock:
        stmt = stmt.with_for_update()
    ticket = (await session.execute(stmt)).scalar_one_or_none()
    if ticket is None:
        raise NotFound("ticket")
    return ticket


async def get_ticket_of_contact(
    session: AsyncSession, principal: ContactPrincipal, ticket_id: uuid.UUID
) -> Ticket:
    ticket = await session.get(Ticket, ticket_id)
    if (
        ticket is None
        or ticket.tenant_id != principal.tenant_id
        or ticket.requester_id != principal.contact_id
    ):
        raise NotFound("ticket")
    return ticket


async def tickets_of_contact(
    session: AsyncSession, principal: ContactPrincipal
) -> Sequence[Ticket]:
    stmt = (
        select(Ticket)
        .where(Ticket.tenant_id == principal.tenant_id, Ticket.requester_id == principal.contact_id)
        .order_by(Ticket.created_at.desc())
        .limit(100)
    )
    return (await session.execute(stmt)).scalars().all()


async def get_by_id_unscoped(session: AsyncSession, ticket_id: uuid.UUID) -> Ticket | None:
    """For signed links and jobs, whose credential or row already names the tenant."""
    return await session.get(Ticket, ticket_id)


def _filters(principal: Principal, f: ViewFilters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = [Ticket.tenant_id == principal.tenant_id]
    if f.status:
        out.append(Ticket.status.in_(list(f.status)))
    if f.priority:
        out.append(Ticket.priority.in_([priority_rank(p) for p in f.priority]))
    if f.type:
        out.append(Ticket.type.in_(list(f.type)))
    if f.assignee_id == "me":
        out.append(Ticket.assignee_id == principal.user_id)
    elif f.assignee_id == "none":
        out.append(Ticket.assignee_id.is_(None))
    elif f.assignee_id is not None:
        out.append(Ticket.assignee_id == f.assignee_id)
    if f.team_id:
        out.append(Ticket.team_id == f.team_id)
    if f.requester_id:
        out.append(Ticket.requester_id == f.requester_id)
    if f.conversation_id:
        out.append(Ticket.conversation_id == f.conversation_id)
    if f.q:
        like = f"%{f.q}%"
        out.append(or_(Ticket.subject.ilike(like), Ticket.description.ilike(like)))
    if f.sla == "breached":
        out.append(
            or_(
                Ticket.first_response_breached_at.is_not(None),
                Ticket.resolution_breached_at.is_not(None),
            )
        )
    elif f.sla == "warned":
        out.append(
            or_(
                Ticket.first_response_warned_at.is_not(None),
                Ticket.resolution_warned_at.is_not(None),
            )
        )
    return out


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_tag(tag: str) -> ColumnElement[bool]:
    """Tags are a JSON list; its text form holds each tag JSON-quoted (escaped or not)."""
    text = cast(Ticket.tags, String)
    forms = {json.dumps(tag), json.dumps(tag, ensure_ascii=False)}
    return or_(*(text.like(f"%{_like(form)}%", escape="\\") for form in forms))


def encode_cursor(value: Any, ident: uuid.UUID) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    data = json.dumps([raw, str(ident)]).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _decode_cursor(value: str, key: str) -> tuple[Any, uuid.UUID]:
    try:
        padded = value + "=" * (-len(value) % 4)
        raw, ident = json.loads(base64.urlsafe_b64decode(padded))
        parsed = int(raw) if key == "priority" else datetime.fromisoformat(raw)
        return parsed, uuid.UUID(ident)
    except (ValueError, TypeError) as exc:
        raise Invalid(detail="cursor") from exc


async def list_tickets(
    session: AsyncSession,
    principal: Principal,
    f: ViewFilters,
    sort: str,
    cursor: str | None,
    limit: int,
) -> Sequence[Ticket]:
    """One page (limit + 1 rows, so the caller knows whether there is a next one)."""
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    column = SORTS[key]
    stmt: Select[Ticket] = select(Ticket).where(*_filters(principal, f))
    if f.tag:
        stmt = stmt.where(_has_tag(f.tag))
    if cursor:
        value, ident = _decode_cursor(cursor, key)
        if desc:
            stmt = stmt.where(or_(column < value, (column == value) & (Ticket.id < ident)))
        else:
            stmt = stmt.where(or_(column > value, (column == value) & (Ticket.id > ident)))
    order = (column.desc(), Ticket.id.desc()) if desc else (column.asc(), Ticket.id.asc())
    rows = (await session.execute(stmt.order_by(*order).limit(limit + 1))).scalars().all()
    return rows


async def requesters_of(
    session: AsyncSession, tenant_id: uuid.UUID, tickets: Sequence[Ticket]
) -> Sequence[Contact]:
    ids = {t.requester_id for t in tickets}
    if not ids:
        return []
    stmt = select(Contact).where(Contact.tenant_id == tenant_id, Contact.id.in_(ids))
    return (await session.execute(stmt)).scalars().all()


async def comments_of(
    session: AsyncSession, ticket: Ticket, *, public_only: bool = False
) -> Sequence[TicketComment]:
    stmt = select(TicketComment).where(
        TicketComment.tenant_id == ticket.tenant_id, TicketComment.ticket_id == ticket.id
    )
    if public_only:
        stmt = stmt.where(TicketComment.public.is_(True))
    return (await session.execute(stmt.order_by(TicketComment.created_at))).scalars().all()


async def changes_of(session: AsyncSession, ticket: Ticket) -> Sequence[TicketChange]:
    stmt = (
        select(TicketChange)
        .where(TicketChange.tenant_id == ticket.tenant_id, TicketChange.ticket_id == ticket.id)
        .order_by(TicketChange.created_at, TicketChange.id)
    )
    return (await session.execute(stmt)).scalars().all()


async def fields_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[TicketField]:
    stmt = select(TicketField).where(TicketField.tenant_id == tenant_id).order_by(TicketField.key)
    return (await session.execute(stmt)).scalars().all()


async def get_field_for(
    session: AsyncSession, principal: Principal, field_id: uuid.UUID
) -> TicketField:
    found = await session.get(TicketField, field_id)
    if found is None or found.tenant_id != principal.tenant_id:
        raise NotFound("ticket_field")
    return found


async def policies_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[SlaPolicy]:
    stmt = (
        select(SlaPolicy)
        .where(SlaPolicy.tenant_id == tenant_id)
        .order_by(SlaPolicy.position, SlaPolicy.created_at)
    )
    return (await session.execute(stmt)).scalars().all()


async def tickets_with_policy(
    session: AsyncSession, tenant_id: uuid.UUID, policy_id: uuid.UUID
) -> Sequence[Ticket]:
    stmt = select(Ticket).where(Ticket.tenant_id == tenant_id, Ticket.sla_policy_id == policy_id)
    return (await session.execute(stmt)).scalars().all()


async def get_policy_for(
    session: AsyncSession, principal: Principal, policy_id: uuid.UUID
) -> SlaPolicy:
    found = await session.get(SlaPolicy, policy_id)
    if found is None or found.tenant_id != principal.tenant_id:
        raise NotFound("sla_policy")
    return found


async def views_for(session: AsyncSession, principal: Principal) -> Sequence[SavedView]:
    stmt = select(SavedView).where(
        SavedView.tenant_id == principal.tenant_id,
        or_(SavedView.owner_id.is_(None), SavedView.owner_id == principal.user_id),
    )
    return (await session.execute(stmt.order_by(SavedView.name))).scalars().all()


async def get_view_for(
    session: AsyncSession, principal: Principal, view_id: uuid.UUID
) -> SavedView:
    found = await session.get(SavedView, view_id)
    if (
        found is None
        or found.tenant_id != principal.tenant_id
        or found.owner_id not in (None, principal.user_id)
    ):
        raise NotFound("ticket_view")
    return found


async def followups_of(session: AsyncSession, ticket: Ticket) -> Sequence[FollowUp]:
    stmt = select(FollowUp).where(
        FollowUp.tenant_id == ticket.tenant_id, FollowUp.ticket_id == ticket.id
    )
    return (await session.execute(stmt.order_by(FollowUp.due_at))).scalars().all()


async def get_followup_for(
    session: AsyncSession, principal: Principal, followup_id: uuid.UUID
) -> FollowUp:
    found = await session.get(FollowUp, followup_id)
    if found is None or found.tenant_id != principal.tenant_id:
        raise NotFound("followup")
    return found
