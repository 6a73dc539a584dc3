"""Admin endpoints for inboxes (widget settings, allowed origins)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from kefu.channels import repository as repo
from kefu.channels import service
from kefu.channels.schemas import InboxIn, InboxOut, InboxUpdateIn
from kefu.core.deps import DbSession, commit
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal

router = APIRouter(prefix="/api/v1/inboxes", tags=["inboxes"])


@router.get("", response_model=list[InboxOut])
async def list_inboxes(principal: AnyPrincipal, session: DbSession) -> list[InboxOut]:
    return [InboxOut.model_validate(i) for i in await repo.list_inboxes(session, principal)]


@router.post("", response_model=InboxOut, status_code=201)
async def create_inbox(body: InboxIn, principal: AdminPrincipal, session: DbSession) -> InboxOut:
    inbox = await service.create_inbox(session, principal.tenant_id, body)
    await commit(session)
    return InboxOut.model_validate(inbox)


@router.get("/{inbox_id}", response_model=InboxOut)
async def get_inbox(inbox_id: uuid.UUID, principal: AnyPrincipal, session: DbSession) -> InboxOut:
    return InboxOut.model_validate(await repo.get_inbox_for(session, principal, inbox_id))


@router.patch("/{inbox_id}", response_model=InboxOut)
async def update_inbox(
    inbox_id: uuid.UUID, body: InboxUpdateIn, principal: AdminPrincipal, session: DbSession
) -> InboxOut:
    inbox = await repo.get_inbox_for(session, principal, inbox_id)
    await service.update_inbox(inbox, body)
    await commit(session)
    return InboxOut.model_validate(inbox)
