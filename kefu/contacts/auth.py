"""FastAPI dependency: the contact behind a widget bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kefu.contacts.service import principal_from_contact_token
from kefu.core.auth import ContactPrincipal
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession
from kefu.core.errors import Unauthorized
from kefu.tenants.auth import bearer_token

CACHE_KEY = "contacts.token_cache"
CACHE_SIZE = 50_000


async def current_contact(request: Request, session: DbSession) -> ContactPrincipal:
    """The contact behind the bearer token; tokens never change, so each process caches them."""
    token = bearer_token(request)
    if not token:
        raise Unauthorized()
    cache: dict[str, ContactPrincipal] = runtime_of(request).extras.setdefault(CACHE_KEY, {})
    principal = cache.get(token)
    if principal is None:
        principal = await principal_from_contact_token(session, token)
        if principal is None:
            raise Unauthorized("invalid_token")
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[token] = principal
    return principal


CurrentContact = Annotated[ContactPrincipal, Depends(current_contact)]
