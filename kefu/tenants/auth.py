"""FastAPI dependencies that turn a bearer credential into a Principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kefu.core.auth import Principal
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession
from kefu.core.errors import Forbidden, Unauthorized
from kefu.tenants import service
from kefu.tenants.service import API_KEY_PREFIX


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return request.headers.get("x-api-key")


async def current_principal(request: Request, session: DbSession) -> Principal:
    token = bearer_token(request)
    if not token:
        raise Unauthorized()
    if token.startswith(API_KEY_PREFIX):
        principal = await service.principal_from_api_key(session, token)
    else:
        principal = await service.principal_from_access(session, runtime_of(request), token)
    if principal is None:
        raise Unauthorized("invalid_token")
    return principal


async def current_user(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """A signed-in person (not an API key)."""
    if principal.user_id is None:
        raise Forbidden()
    return principal


async def current_admin(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    principal.require("admin")
    return principal


async def current_manager(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    principal.require("admin", "supervisor")
    return principal


AnyPrincipal = Annotated[Principal, Depends(current_principal)]
UserPrincipal = Annotated[Principal, Depends(current_user)]
AdminPrincipal = Annotated[Principal, Depends(current_admin)]
ManagerPrincipal = Annotated[Principal, Depends(current_manager)]
