"""The requester of a ticket known only by an email address (API, inbound email).

contacts.service has no public "identity by email" helper yet, so this adds the `email` identity
itself; it is the one place that does, and moves to contacts.service when that grows one."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact, ContactIdentity
from kefu.contacts.repository import find_by_identity

EMAIL = "email"


async def contact_by_email(
    session: AsyncSession, tenant_id: uuid.UUID, address: str, name: str = ""
) -> Contact:
    """The tenant's contact with this email identity, created on first sight."""
    address = address.strip().lower()
    contact = await find_by_identity(session, tenant_id, EMAIL, address)
    if contact is not None:
        return contact
    contact = Contact(tenant_id=tenant_id, name=name or address, email=address)
    session.add(contact)
    await session.flush()
    session.add(
        ContactIdentity(tenant_id=tenant_id, contact_id=contact.id, kind=EMAIL, value=address)
    )
    await session.flush()
    return contact
