"""Tenant-scoped queries for contacts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact, ContactIdentity
from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.core.pagination import Cursor


async def get_contact_for(
    session: AsyncSession, principal: Principal, contact_id: uuid.UUID
) -> Contact:
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.tenant_id != principal.tenant_id:
        raise NotFound("contact")
    return contact


async def identities_of(session: AsyncSession, contact: Contact) -> Sequence[ContactIdentity]:
    stmt = select(ContactIdentity).where(
        ContactIdentity.tenant_id == contact.tenant_id, ContactIdentity.contact_id == contact.id
    )
    return (await session.execute(stmt)).scalars().all()


async def find_by_identity(
    session: AsyncSession, tenant_id: uuid.UUID, kind: str, value: str
) -> Contact | None:
    stmt = (
        select(Contact)
        .join(ContactIdentity, ContactIdentity.contact_id == Contact.id)
        .where(
            ContactIdentity.tenant_id == tenant_id,
            ContactIdentity.kind == kind,
            ContactIdentity.value == value,
        )
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_contacts(
    session: AsyncSession, principal: Principal, q: str | None, cursor: Cursor | None, limit: int
) -> Sequence[Contact]:
    stmt = select(Contact).where(Contact.tenant_id == principal.tenant_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(
            or_(Contact.name.ilike(like), Contact.email.ilike(like), Contact.phone.ilike(like))
        )
    if cursor is not None:
        stmt = stmt.where(
            or_(
                Contact.created_at < cursor.at,
                (Contact.created_at == cursor.at) & (Contact.id < cursor.id),
            )
        )
    stmt = stmt.order_by(Contact.created_at.desc(), Contact.id.desc()).limit(limit + 1)
    return (await session.execute(stmt)).scalars().all()
