"""Rules and writes for contacts and widget sessions (identity verification)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.models import Inbox
from kefu.contacts import repository as repo
from kefu.contacts.models import Contact, ContactIdentity, ContactSession
from kefu.contacts.schemas import ContactIn, ContactUpdateIn, IdentityIn
from kefu.core.auth import ContactPrincipal, Principal
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, Unauthorized
from kefu.core.security import constant_equal, hmac_hex, random_token, token_digest
from kefu.tenants.models import Tenant

EXTERNAL_ID = "external_id"


async def create_contact(session: AsyncSession, principal: Principal, data: ContactIn) -> Contact:
    contact = Contact(
        tenant_id=principal.tenant_id,
        name=data.name,
        email=data.email,
        phone=data.phone,
        tags=sorted(set(data.tags)),
        attributes=data.attributes,
    )
    session.add(contact)
    await session.flush()
    if data.external_id:
        await _add_identity(session, contact, EXTERNAL_ID, data.external_id, verified=True)
    return contact


async def _add_identity(
    session: AsyncSession, contact: Contact, kind: str, value: str, *, verified: bool
) -> None:
    identity = ContactIdentity(
        tenant_id=contact.tenant_id,
        contact_id=contact.id,
        kind=kind,
        value=value,
        verified=verified,
    )
    try:
        async with session.begin_nested():
            session.add(identity)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("conflict") from exc


async def update_contact(contact: Contact, data: ContactUpdateIn) -> Contact:
    fields = data.model_dump(exclude_unset=True)
    if "tags" in fields and fields["tags"] is not None:
        fields["tags"] = sorted(set(fields["tags"]))
    for key, value in fields.items():
        if value is not None:
            setattr(contact, key, value)
    contact.updated_at = utcnow()
    return contact


def verify_identity(tenant: Tenant, identity: IdentityIn) -> None:
    """user_hash must be HMAC-SHA256(tenant identity secret, external_id)."""
    expected = hmac_hex(tenant.identity_secret, identity.external_id)
    if not constant_equal(expected, identity.user_hash.lower()):
        raise Unauthorized("identity_invalid")


async def _identified_contact(
    session: AsyncSession, tenant: Tenant, identity: IdentityIn
) -> Contact:
    verify_identity(tenant, identity)
    contact = await repo.find_by_identity(session, tenant.id, EXTERNAL_ID, identity.external_id)
    if contact is None:
        contact = Contact(tenant_id=tenant.id, name=identity.name or "", email=identity.email)
        session.add(contact)
        await session.flush()
        await _add_identity(session, contact, EXTERNAL_ID, identity.external_id, verified=True)
        return contact
    if identity.name:
        contact.name = identity.name
    if identity.email:
        contact.email = identity.email
    return contact


async def resume_widget_session(
    session: AsyncSession, inbox: Inbox, token: str
) -> ContactSession | None:
    stmt = select(ContactSession).where(ContactSession.token_digest == token_digest(token))
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None or found.inbox_id != inbox.id:
        return None
    return found


async def start_widget_session(
    session: AsyncSession, tenant: Tenant, inbox: Inbox, locale: str, identity: IdentityIn | None
) -> tuple[Contact, str]:
    """A visitor session: a verified identity finds its contact; an anonymous one gets a new one."""
    if identity is not None:
        contact = await _identified_contact(session, tenant, identity)
    else:
        contact = Contact(tenant_id=tenant.id, name="")
        session.add(contact)
        await session.flush()
    token = random_token(32)
    session.add(
        ContactSession(
            tenant_id=tenant.id,
            contact_id=contact.id,
            inbox_id=inbox.id,
            token_digest=token_digest(token),
            locale=locale[:16],
        )
    )
    await session.flush()
    return contact, token


async def principal_from_contact_token(
    session: AsyncSession, token: str
) -> ContactPrincipal | None:
    stmt = select(ContactSession).where(ContactSession.token_digest == token_digest(token))
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        return None
    return ContactPrincipal(
        tenant_id=found.tenant_id, contact_id=found.contact_id, inbox_id=found.inbox_id
    )


def contact_id_of(principal: ContactPrincipal) -> uuid.UUID:
    return principal.contact_id
