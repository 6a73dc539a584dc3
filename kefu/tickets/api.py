"""Agent-side ticket endpoints (thin: services do the work). Mounts the admin, widget and
requester-page routers too, so the application registers one router for tickets."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from kefu.contacts.models import Contact
from kefu.contacts.repository import get_contact_for
from kefu.conversations import repository as conversations
from kefu.conversations.attachments import file_path
from kefu.conversations.models import Attachment
from kefu.conversations.schemas import MessageOut
from kefu.conversations.views import message_out
from kefu.core.auth import Principal
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import Invalid, NotFound
from kefu.tenants.auth import AnyPrincipal
from kefu.tickets import actions, service
from kefu.tickets import repository as repo
from kefu.tickets.admin_api import router as admin_router
from kefu.tickets.portal import router as portal_router
from kefu.tickets.requesters import contact_by_email
from kefu.tickets.schemas import (
    BulkUpdateIn,
    ChangeOut,
    CommentIn,
    CommentOut,
    FilterQuery,
    FollowUpOut,
    FromConversationIn,
    MergeIn,
    PortalLinkOut,
    RequesterOut,
    SortKey,
    TicketCreateIn,
    TicketOut,
    TicketPage,
    TicketUpdateIn,
    ViewFilters,
)
from kefu.tickets.views import ticket_out

api = APIRouter(prefix="/api/v1", tags=["tickets"])


def actor_of(principal: Principal) -> service.Actor:
    return service.Actor("agent", principal.user_id) if principal.user_id else service.SYSTEM


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@api.get("/tickets", response_model=TicketPage)
async def list_tickets(
    principal: AnyPrincipal,
    session: DbSession,
    query: Annotated[FilterQuery, Query()],
    view_id: uuid.UUID | None = None,
    sort: SortKey | None = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> TicketPage:
    order: str = sort or "-updated_at"
    filters = ViewFilters.model_validate(query.model_dump(include=set(ViewFilters.model_fields)))
    if view_id is not None:
        view = await repo.get_view_for(session, principal, view_id)
        filters, order = ViewFilters.model_validate(view.filters), sort or view.sort
    rows = list(await repo.list_tickets(session, principal, filters, order, cursor, limit))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        key = repo.SORTS[order.lstrip("-")].key
        next_cursor = repo.encode_cursor(getattr(rows[-1], key), rows[-1].id)
    requesters = await repo.requesters_of(session, principal.tenant_id, rows)
    return TicketPage(
        items=[ticket_out(t) for t in rows],
        next_cursor=next_cursor,
        requesters=[RequesterOut.model_validate(c) for c in requesters],
    )


async def _requester(session: DbSession, principal: Principal, body: TicketCreateIn) -> Contact:
    if body.requester_id is not None:
        return await get_contact_for(session, principal, body.requester_id)
    if not body.requester_email:
        raise Invalid(detail="requester_id")
    return await contact_by_email(session, principal.tenant_id, str(body.requester_email))


@api.post("/tickets", response_model=TicketOut, status_code=201)
async def create_ticket(
    body: TicketCreateIn, request: Request, principal: AnyPrincipal, session: DbSession
) -> TicketOut:
    requester = await _requester(session, principal, body)
    new = service.NewTicket(
        subject=body.subject,
        requester=requester,
        description=body.description,
        type=body.type,
        priority=body.priority,
        assignee_id=body.assignee_id,
        team_id=body.team_id,
        tags=body.tags,
        custom_fields=body.custom_fields,
    )
    t = await service.create_ticket(session, runtime_of(request), new, actor_of(principal))
    await commit(session)
    return ticket_out(t)


@api.post("/tickets/bulk", response_model=list[TicketOut])
async def bulk_update(
    body: BulkUpdateIn, request: Request, principal: AnyPrincipal, session: DbSession
) -> list[TicketOut]:
    rt = runtime_of(request)
    done = await actions.bulk_update(session, rt, principal, body.ids, body.changes)
    await commit(session)
    return [ticket_out(t) for t in done]


@api.post("/conversations/{conversation_id}/ticket", response_model=TicketOut, status_code=201)
async def ticket_from_conversation(
    conversation_id: uuid.UUID,
    body: FromConversationIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> TicketOut:
    c = await conversations.get_conversation_for(session, principal, conversation_id)
    t = await actions.from_conversation(session, runtime_of(request), principal, c, body)
    await commit(session)
    return ticket_out(t)


@api.get("/tickets/{ticket_id}", response_model=TicketOut)
async def get_ticket(
    ticket_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> TicketOut:
    return ticket_out(await repo.get_ticket_for(session, principal, ticket_id))


@api.patch("/tickets/{ticket_id}", response_model=TicketOut)
async def update_ticket(
    ticket_id: uuid.UUID,
    body: TicketUpdateIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> TicketOut:
    t = await repo.get_ticket_for(session, principal, ticket_id, lock=True)
    await service.update_ticket(session, runtime_of(request), t, body, actor_of(principal))
    await commit(session)
    return ticket_out(t)


@api.get("/tickets/{ticket_id}/comments", response_model=list[CommentOut])
async def list_comments(
    ticket_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> list[CommentOut]:
    t = await repo.get_ticket_for(session, principal, ticket_id)
    return [CommentOut.model_validate(c) for c in await repo.comments_of(session, t)]


@api.post("/tickets/{ticket_id}/comments", response_model=CommentOut, status_code=201)
async def add_comment(
    ticket_id: uuid.UUID,
    body: CommentIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> CommentOut:
    """A public reply (to the requester, on their channel) or an internal note."""
    rt = runtime_of(request)
    t = await repo.get_ticket_for(session, principal, ticket_id, lock=True)
    actor = actor_of(principal)
    if body.status is not None and body.status != t.status:
        await service.change_status(session, rt, t, body.status, actor)
    draft = service.CommentDraft(body.body, body.public, "api")
    comment = await actions.reply(session, rt, t, actor, draft, base_url=base_url(request))
    await commit(session)
    return CommentOut.model_validate(comment)


@api.get("/tickets/{ticket_id}/history", response_model=list[ChangeOut])
async def history(
    ticket_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> list[ChangeOut]:
    t = await repo.get_ticket_for(session, principal, ticket_id)
    return [ChangeOut.model_validate(c) for c in await repo.changes_of(session, t)]


@api.get("/tickets/{ticket_id}/transcript", response_model=list[MessageOut])
async def transcript(
    ticket_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> list[MessageOut]:
    """The linked conversation's messages (empty when the ticket came from elsewhere)."""
    t = await repo.get_ticket_for(session, principal, ticket_id)
    if t.conversation_id is None:
        return []
    c = await conversations.get_conversation_for(session, principal, t.conversation_id)
    rows = await conversations.list_messages(session, c, 0, 1000, include_private=True)
    return [message_out(m) for m in rows]


@api.post("/tickets/{ticket_id}/merge", response_model=TicketOut)
async def merge(
    ticket_id: uuid.UUID,
    body: MergeIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> TicketOut:
    t = await repo.get_ticket_for(session, principal, ticket_id, lock=True)
    await actions.merge(session, runtime_of(request), principal, t, body.source_ids)
    await commit(session)
    return ticket_out(t)


@api.get("/tickets/{ticket_id}/portal-link", response_model=PortalLinkOut)
async def portal_link(
    ticket_id: uuid.UUID, request: Request, principal: AnyPrincipal, session: DbSession
) -> PortalLinkOut:
    t = await repo.get_ticket_for(session, principal, ticket_id)
    token = actions.portal_token(runtime_of(request).secret, t)
    return PortalLinkOut(url=f"{base_url(request)}/portal/tickets/{token}", token=token)


@api.get("/tickets/{ticket_id}/followups", response_model=list[FollowUpOut])
async def followups(
    ticket_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> list[FollowUpOut]:
    t = await repo.get_ticket_for(session, principal, ticket_id)
    return [FollowUpOut.model_validate(f) for f in await repo.followups_of(session, t)]


@api.get("/tickets/{ticket_id}/attachments/{attachment_id}")
async def download_attachment(
    ticket_id: uuid.UUID,
    attachment_id: uuid.UUID,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> FileResponse:
    """A file kept with one of the ticket's comments (e.g. an email attachment)."""
    t = await repo.get_ticket_for(session, principal, ticket_id)
    listed = {str(a.get("id")) for c in await repo.comments_of(session, t) for a in c.attachments}
    a = await session.get(Attachment, attachment_id)
    if a is None or a.tenant_id != t.tenant_id or str(attachment_id) not in listed:
        raise NotFound("attachment")
    return FileResponse(
        file_path(runtime_of(request), a),
        media_type=a.content_type,
        filename=a.filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"},
    )


# every ticket router, for kefu.app (which adds routes flat: see kefu/app.py)
ROUTERS = (api, admin_router, portal_router)
