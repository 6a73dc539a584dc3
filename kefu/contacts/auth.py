"""FastAPI dependency: the contact behind a widget bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kefu.contacts.service import principal_from_contact_token
from kefu.core.auth import ContactPrincipal
from kefu.core.deps import DbSession
from kefu.core.errors import Unauthorized
from kefu.tenants.auth import bearer_token


async def current_contact(request: Request, session: DbSession) -> ContactPrincipal:
    token = bearer_token(request)
    if not token:
        raise Unauthorized()
    principal = await principal_from_contact_token(session, token)
    if principal is None:
        raise Unauthorized("invalid_token")
    return principal


CurrentContact = Annotated[ContactPrincipal, Depends(current_contact)]
