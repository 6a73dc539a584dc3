"""Auth, users, teams, API keys and tenant settings endpoints (thin: services do the work)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.tenants import repository as repo
from kefu.tenants import service
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal, ManagerPrincipal, UserPrincipal
from kefu.tenants.models import User
from kefu.tenants.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyOut,
    LoginIn,
    PasswordChangeIn,
    RefreshIn,
    TeamIn,
    TeamOut,
    TenantOut,
    TenantSecretOut,
    TokenOut,
    UserCreateIn,
    UserOut,
    UserUpdateIn,
)

router = APIRouter(prefix="/api/v1", tags=["tenants"])


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _user_out(user: User, team_ids: list[uuid.UUID]) -> UserOut:
    out = UserOut.model_validate(user)
    out.team_ids = team_ids
    return out


@router.post("/auth/login", response_model=TokenOut)
async def login(body: LoginIn, request: Request, session: DbSession) -> TokenOut:
    tokens = await service.login(
        session, runtime_of(request), body.email, body.password, _client_ip(request)
    )
    await commit(session)
    return tokens


@router.post("/auth/refresh", response_model=TokenOut)
async def refresh(body: RefreshIn, request: Request, session: DbSession) -> TokenOut:
    tokens = await service.refresh(session, runtime_of(request), body.refresh_token)
    await commit(session)
    return tokens


@router.post("/auth/logout", status_code=204)
async def logout(principal: UserPrincipal, session: DbSession) -> Response:
    await service.logout(session, principal)
    await commit(session)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
async def me(principal: UserPrincipal, session: DbSession) -> UserOut:
    assert principal.user_id is not None
    user = await repo.get_user_for(session, principal, principal.user_id)
    teams = await repo.team_ids_by_user(session, principal.tenant_id)
    return _user_out(user, teams.get(user.id, []))


@router.post("/me/password", status_code=204)
async def change_password(
    body: PasswordChangeIn, request: Request, principal: UserPrincipal, session: DbSession
) -> Response:
    assert principal.user_id is not None
    user = await repo.get_user_for(session, principal, principal.user_id)
    await service.change_password(
        session, runtime_of(request), user, body.current_password, body.new_password
    )
    await commit(session)
    return Response(status_code=204)


@router.get("/users", response_model=list[UserOut])
async def list_users(principal: AnyPrincipal, session: DbSession) -> list[UserOut]:
    teams = await repo.team_ids_by_user(session, principal.tenant_id)
    users = await repo.list_users(session, principal)
    return [_user_out(u, teams.get(u.id, [])) for u in users]


@router.post("/users", response_model=UserOut, status_code=201)
async def create_user(body: UserCreateIn, principal: AdminPrincipal, session: DbSession) -> UserOut:
    user = await service.create_user(session, principal.tenant_id, body)
    await commit(session)
    return _user_out(user, body.team_ids)


@router.get("/users/{user_id}", response_model=UserOut)
async def get_user(user_id: uuid.UUID, principal: AnyPrincipal, session: DbSession) -> UserOut:
    user = await repo.get_user_for(session, principal, user_id)
    teams = await repo.team_ids_by_user(session, principal.tenant_id)
    return _user_out(user, teams.get(user.id, []))


@router.patch("/users/{user_id}", response_model=UserOut)
async def update_user(
    user_id: uuid.UUID,
    body: UserUpdateIn,
    request: Request,
    principal: AdminPrincipal,
    session: DbSession,
) -> UserOut:
    user = await repo.get_user_for(session, principal, user_id)
    await service.update_user(session, runtime_of(request), user, body)
    await commit(session)
    teams = await repo.team_ids_by_user(session, principal.tenant_id)
    return _user_out(user, teams.get(user.id, []))


@router.get("/teams", response_model=list[TeamOut])
async def list_teams(principal: AnyPrincipal, session: DbSession) -> list[TeamOut]:
    by_user = await repo.team_ids_by_user(session, principal.tenant_id)
    members: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user_id, team_ids in by_user.items():
        for team_id in team_ids:
            members.setdefault(team_id, []).append(user_id)
    teams = await repo.list_teams(session, principal)
    return [
        TeamOut(id=t.id, name=t.name, skills=t.skills, member_ids=members.get(t.id, []))
        for t in teams
    ]


@router.post("/teams", response_model=TeamOut, status_code=201)
async def create_team(body: TeamIn, principal: AdminPrincipal, session: DbSession) -> TeamOut:
    team = await service.create_team(session, principal, body)
    await commit(session)
    return TeamOut(id=team.id, name=team.name, skills=team.skills)


@router.put("/teams/{team_id}", response_model=TeamOut)
async def update_team(
    team_id: uuid.UUID, body: TeamIn, principal: AdminPrincipal, session: DbSession
) -> TeamOut:
    team = await repo.get_team_for(session, principal, team_id)
    await service.update_team(team, body)
    await commit(session)
    return TeamOut(id=team.id, name=team.name, skills=team.skills)


@router.get("/api-keys", response_model=list[ApiKeyOut])
async def list_api_keys(principal: AdminPrincipal, session: DbSession) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(k) for k in await repo.list_api_keys(session, principal)]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
async def create_api_key(
    body: ApiKeyIn, principal: AdminPrincipal, session: DbSession
) -> ApiKeyCreated:
    key, secret = await service.create_api_key(session, principal, body.name)
    await commit(session)
    return ApiKeyCreated(**ApiKeyOut.model_validate(key).model_dump(), key=secret)


@router.delete("/api-keys/{key_id}", status_code=204)
async def revoke_api_key(
    key_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> Response:
    key = await repo.get_api_key_for(session, principal, key_id)
    await service.revoke_api_key(key)
    await commit(session)
    return Response(status_code=204)


@router.get("/tenant", response_model=TenantOut)
async def get_tenant(principal: AnyPrincipal, session: DbSession) -> TenantOut:
    return TenantOut.model_validate(await repo.get_tenant(session, principal.tenant_id))


@router.get("/tenant/identity-secret", response_model=TenantSecretOut)
async def identity_secret(principal: AdminPrincipal, session: DbSession) -> TenantSecretOut:
    tenant = await repo.get_tenant(session, principal.tenant_id)
    if tenant is None:
        raise NotFound("tenant")
    return TenantSecretOut(identity_secret=tenant.identity_secret)


__all__ = ["ManagerPrincipal", "router"]
