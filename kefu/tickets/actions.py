"""Composite ticket actions: from a conversation, public replies that reach the requester's
channel, merging duplicates, bulk updates, the requester's signed link."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.adapters import ReplyTarget, adapter_for
from kefu.contacts.models import Contact
from kefu.conversations import repository as conversations
from kefu.conversations.models import Conversation
from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.core.security import hmac_hex, hmac_matches
from kefu.tickets import repository as repo
from kefu.tickets import service
from kefu.tickets.events import TicketUpdated
from kefu.tickets.models import Ticket, TicketComment
from kefu.tickets.schemas import FromConversationIn, TicketUpdateIn
from kefu.tickets.states import TicketStatus
from kefu.tickets.views import ticket_out

TRANSCRIPT_LIMIT = 500


def portal_token(secret: str, ticket: Ticket) -> str:
    """A signed link credential: HMAC-SHA256(KEFU_SECRET_KEY, "ticket-portal:<id>")."""
    return f"{ticket.id.hex}.{hmac_hex(secret, f'ticket-portal:{ticket.id}')}"


def rating_url(base_url: str, secret: str, ticket: Ticket) -> str | None:
    """The requester's satisfaction link (same signed token), offered once the ticket is solved."""
    if ticket.status != TicketStatus.SOLVED:
        return None
    return f"{base_url}/portal/tickets/{portal_token(secret, ticket)}/rating"


async def ticket_by_portal_token(session: AsyncSession, keys: Sequence[str], token: str) -> Ticket:
    """The ticket of a link signed under one of `keys` (`Runtime.verifying_secrets`)."""
    ident, _, signature = token.partition(".")
    try:
        ticket_id = uuid.UUID(hex=ident)
    except ValueError as exc:
        raise NotFound("ticket") from exc
    if not hmac_matches(keys, f"ticket-portal:{ticket_id}", signature):
        raise NotFound("ticket")
    ticket = await repo.get_by_id_unscoped(session, ticket_id)
    if ticket is None:
        raise NotFound("ticket")
    return ticket


async def from_conversation(
    session: AsyncSession,
    rt: Runtime,
    principal: Principal,
    c: Conversation,
    data: FromConversationIn,
) -> Ticket:
    """One action: the ticket links the conversation, whose transcript becomes the description.
    Unless the caller chose a type, strongly negative contact messages make it a complaint."""
    contact = await session.get(Contact, c.contact_id)
    assert contact is not None
    rows = await conversations.list_messages(session, c, 0, TRANSCRIPT_LIMIT, include_private=False)
    transcript = "\n".join(f"[{m.sender_type}] {m.body}" for m in rows)
    subject = data.subject or (rows[0].body[:120] if rows else f"#{c.id.hex[:8]}")
    new = service.NewTicket(
        subject=subject or "(conversation)",
        requester=contact,
        description=transcript,
        channel=c.channel,
        type=data.type,
        priority=data.priority,
        assignee_id=principal.user_id,
        team_id=c.team_id,
        custom_fields=data.custom_fields,
        inbox_id=c.inbox_id,
        conversation_id=c.id,
        requester_texts=[]
        if "type" in data.model_fields_set
        else [m.body for m in rows if m.sender_type == "contact"],
    )
    return await service.create_ticket(session, rt, new, service.Actor("agent", principal.user_id))


async def reply(
    session: AsyncSession,
    rt: Runtime,
    t: Ticket,
    actor: service.Actor,
    draft: service.CommentDraft,
    *,
    base_url: str = "",
) -> TicketComment:
    """A public reply is also queued on the ticket's channel (email via the SMTP outbox)."""
    comment = await service.add_comment(session, rt, t, actor, draft)
    if not draft.public or actor.type == "contact":
        return comment
    contact = await session.get(Contact, t.requester_id)
    # the ticket's channel carries the reply; a channel that cannot (widget, API) falls back
    # to email when the requester left an address
    adapter = adapter_for(t.channel) or (
        adapter_for("email") if contact and contact.email else None
    )
    if adapter is not None:
        target = ReplyTarget(
            tenant_id=t.tenant_id,
            ticket_id=t.id,
            inbox_id=t.inbox_id,
            number=t.number,
            subject=t.email_subject or t.subject,
            requester_email=contact.email if contact else None,
            requester_name=contact.name if contact else "",
            portal_url=f"{base_url}/portal/tickets/{portal_token(rt.secret, t)}"
            if base_url
            else None,
            rating_url=rating_url(base_url, rt.secret, t) if base_url else None,
        )
        await adapter.queue_reply(session, rt, target, comment.id, draft.body)
    return comment


async def merge(
    session: AsyncSession,
    rt: Runtime,
    principal: Principal,
    target: Ticket,
    source_ids: list[uuid.UUID],
) -> Ticket:
    """Close each duplicate into `target`, with a note on both sides; all or nothing."""
    if target.status == TicketStatus.CLOSED or target.id in source_ids:
        raise Conflict("ticket_merge_invalid")
    sources = [await repo.get_ticket_for(session, principal, i) for i in dict.fromkeys(source_ids)]
    if any(s.status == TicketStatus.CLOSED for s in sources):
        raise Conflict("ticket_merge_invalid")
    actor = service.Actor("agent", principal.user_id) if principal.user_id else service.SYSTEM
    now = utcnow()
    for source in sources:
        note = service.CommentDraft(f"Merged into #{target.number}", public=False)
        await service.add_comment(session, rt, source, actor, note)
        service.record(session, source, actor, "merged_into", None, str(target.id), now)
        service.record(session, source, actor, "status", source.status, "closed", now)
        source.merged_into_id = target.id
        source.status, source.closed_at, source.updated_at = "closed", now, now
        source.resolution_due_at = source.resolution_warn_at = None
        source.first_response_due_at = source.first_response_warn_at = None
        source.resolution_running_since = None
        text = f"Merged #{source.number}: {source.subject}\n\n{source.description}"
        await service.add_comment(session, rt, target, actor, service.CommentDraft(text, False))
        await service.emit(
            session, rt, source, TicketUpdated(ticket=ticket_out(source), fields=["status"])
        )
    return target


async def bulk_update(
    session: AsyncSession,
    rt: Runtime,
    principal: Principal,
    ids: list[uuid.UUID],
    changes: TicketUpdateIn,
) -> list[Ticket]:
    """The same change on many tickets; any refusal (404, 409, 422) writes nothing."""
    if changes.follow_up_at is not None:
        raise Invalid("ticket_followup_invalid")
    actor = service.Actor("agent", principal.user_id) if principal.user_id else service.SYSTEM
    done = []
    for ticket_id in dict.fromkeys(ids):
        t = await repo.get_ticket_for(session, principal, ticket_id, lock=True)
        done.append(await service.update_ticket(session, rt, t, changes, actor))
    return done
