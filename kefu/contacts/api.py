"""Contact endpoints: list/search, create (server-to-server), read, update."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from kefu.contacts import repository as repo
from kefu.contacts import service
from kefu.contacts.models import Contact
from kefu.contacts.schemas import ContactIn, ContactOut, ContactPage, ContactUpdateIn, IdentityOut
from kefu.core.deps import DbSession, commit
from kefu.core.pagination import Cursor
from kefu.tenants.auth import AnyPrincipal

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"])


async def _out(session: DbSession, contact: Contact) -> ContactOut:
    out = ContactOut.model_validate(contact)
    out.identities = [
        IdentityOut.model_validate(i) for i in await repo.identities_of(session, contact)
    ]
    return out


@router.get("", response_model=ContactPage)
async def list_contacts(
    principal: AnyPrincipal,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> ContactPage:
    rows = list(await repo.list_contacts(session, principal, q, Cursor.decode(cursor), limit))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = Cursor(rows[-1].created_at, rows[-1].id).encode()
    return ContactPage(items=[ContactOut.model_validate(c) for c in rows], next_cursor=next_cursor)


@router.post("", response_model=ContactOut, status_code=201)
async def create_contact(
    body: ContactIn, principal: AnyPrincipal, session: DbSession
) -> ContactOut:
    contact = await service.create_contact(session, principal, body)
    await commit(session)
    return await _out(session, contact)


@router.get("/{contact_id}", response_model=ContactOut)
async def get_contact(
    contact_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> ContactOut:
    return await _out(session, await repo.get_contact_for(session, principal, contact_id))


@router.patch("/{contact_id}", response_model=ContactOut)
async def update_contact(
    contact_id: uuid.UUID, body: ContactUpdateIn, principal: AnyPrincipal, session: DbSession
) -> ContactOut:
    contact = await repo.get_contact_for(session, principal, contact_id)
    await service.update_contact(contact, body)
    await commit(session)
    return await _out(session, contact)
