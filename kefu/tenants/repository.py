"""Tenant-scoped queries for users, teams, sessions and API keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.tenants.models import ApiKey, Team, TeamMember, Tenant, User


async def get_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("tenant")
    return tenant


async def get_user_for(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None or user.tenant_id != principal.tenant_id:
        raise NotFound("user")
    return user


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(User.email == email.strip().lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_users(session: AsyncSession, principal: Principal) -> Sequence[User]:
    stmt = select(User).where(User.tenant_id == principal.tenant_id).order_by(User.name)
    return (await session.execute(stmt)).scalars().all()


async def team_ids_by_user(
    session: AsyncSession, tenant_id: uuid.UUID
) -> dict[uuid.UUID, list[uuid.UUID]]:
    stmt = select(TeamMember).where(TeamMember.tenant_id == tenant_id)
    result: dict[uuid.UUID, list[uuid.UUID]] = {}
    for member in (await session.execute(stmt)).scalars():
        result.setdefault(member.user_id, []).append(member.team_id)
    return result


async def get_team_for(session: AsyncSession, principal: Principal, team_id: uuid.UUID) -> Team:
    team = await session.get(Team, team_id)
    if team is None or team.tenant_id != principal.tenant_id:
        raise NotFound("team")
    return team


async def list_teams(session: AsyncSession, principal: Principal) -> Sequence[Team]:
    stmt = select(Team).where(Team.tenant_id == principal.tenant_id).order_by(Team.name)
    return (await session.execute(stmt)).scalars().all()


async def get_api_key_for(session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    key = await session.get(ApiKey, key_id)
    if key is None or key.tenant_id != principal.tenant_id:
        raise NotFound("api_key")
    return key


async def list_api_keys(session: AsyncSession, principal: Principal) -> Sequence[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.tenant_id == principal.tenant_id).order_by(ApiKey.created_at)
    return (await session.execute(stmt)).scalars().all()
