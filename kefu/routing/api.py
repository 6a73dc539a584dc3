"""Presence, routing settings, rules and queue endpoints (thin: the services do the work)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kefu.core.context import runtime_of
from kefu.core.db import utcnow
from kefu.core.deps import DbSession, commit
from kefu.routing import repository as repo
from kefu.routing import sentiment
from kefu.routing.engine import Kicker
from kefu.routing.hooks import set_presence
from kefu.routing.models import RoutingRule, RoutingSettings, TeamRouting
from kefu.routing.schemas import (
    PresenceIn,
    PresenceOut,
    QueueOut,
    RoutingSettingsIn,
    RoutingSettingsOut,
    RuleIn,
    RuleOut,
    TeamRoutingIn,
    TeamRoutingOut,
)
from kefu.routing.service import settings_for
from kefu.tenants.auth import AdminPrincipal, ManagerPrincipal, UserPrincipal
from kefu.tenants.models import User
from kefu.tenants.repository import get_team_for, get_user_for

router = APIRouter(prefix="/api/v1", tags=["routing"])


def _stamp(since: float | None) -> datetime | None:
    return datetime.fromtimestamp(since, UTC) if since else None


@router.put("/presence", response_model=PresenceOut)
async def set_my_presence(
    body: PresenceIn, request: Request, principal: UserPrincipal, session: DbSession
) -> PresenceOut:
    assert principal.user_id is not None
    rt = runtime_of(request)
    user = await get_user_for(session, principal, principal.user_id)
    await set_presence(rt, principal.tenant_id, user.id, body.status, auto=False)
    return (await repo.presence_rows(rt, session, principal.tenant_id, [user]))[0]


@router.get("/presence", response_model=list[PresenceOut])
async def list_presence(
    request: Request, principal: UserPrincipal, session: DbSession
) -> list[PresenceOut]:
    """Managers: every active user of the tenant; an agent: itself."""
    rt = runtime_of(request)
    stmt = select(User).where(User.tenant_id == principal.tenant_id, User.active.is_(True))
    if not principal.is_manager:
        stmt = stmt.where(User.id == principal.user_id)
    users = list((await session.execute(stmt.order_by(User.name))).scalars())
    return await repo.presence_rows(rt, session, principal.tenant_id, users)


@router.get("/routing/settings", response_model=RoutingSettingsOut)
async def get_settings(principal: ManagerPrincipal, session: DbSession) -> RoutingSettingsOut:
    return RoutingSettingsOut.model_validate(await settings_for(session, principal.tenant_id))


@router.put("/routing/settings", response_model=RoutingSettingsOut)
async def put_settings(
    body: RoutingSettingsIn, request: Request, principal: AdminPrincipal, session: DbSession
) -> RoutingSettingsOut:
    if body.overflow_team_id is not None:
        await get_team_for(session, principal, body.overflow_team_id)
    values = {**body.model_dump(), "updated_at": utcnow()}
    # one statement, so two admins saving the first settings at once cannot collide
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(RoutingSettings).values(tenant_id=principal.tenant_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["tenant_id"], set_=values))
    await commit(session)
    row = await settings_for(session, principal.tenant_id)
    sentiment.forget(runtime_of(request), principal.tenant_id)
    Kicker.of(runtime_of(request)).kick(principal.tenant_id)
    return RoutingSettingsOut.model_validate(row)


@router.get("/routing/teams/{team_id}", response_model=TeamRoutingOut)
async def get_team_routing(
    team_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> TeamRoutingOut:
    team = await get_team_for(session, principal, team_id)
    row = await session.get(TeamRouting, team.id)
    return TeamRoutingOut.model_validate(row or TeamRouting(team_id=team.id))


@router.put("/routing/teams/{team_id}", response_model=TeamRoutingOut)
async def put_team_routing(
    team_id: uuid.UUID, body: TeamRoutingIn, principal: AdminPrincipal, session: DbSession
) -> TeamRoutingOut:
    team = await get_team_for(session, principal, team_id)
    if body.overflow_team_id is not None:
        await get_team_for(session, principal, body.overflow_team_id)
    row = await session.get(TeamRouting, team.id)
    if row is None:
        row = TeamRouting(team_id=team.id, tenant_id=principal.tenant_id)
        session.add(row)
    for key, value in body.model_dump().items():
        setattr(row, key, value)
    await commit(session)
    return TeamRoutingOut.model_validate(row)


def _rule_out(rule: RoutingRule) -> RuleOut:
    return RuleOut.model_validate(rule)


@router.get("/routing/rules", response_model=list[RuleOut])
async def list_rules(principal: ManagerPrincipal, session: DbSession) -> list[RuleOut]:
    return [_rule_out(r) for r in await repo.list_rules(session, principal)]


async def _write_rule(
    session: DbSession, principal: AdminPrincipal, rule: RoutingRule, body: RuleIn
) -> None:
    if body.team_id is not None:
        await get_team_for(session, principal, body.team_id)
    for key, value in body.model_dump().items():
        setattr(rule, key, [str(v) for v in value] if key == "inbox_ids" else value)


@router.post("/routing/rules", response_model=RuleOut, status_code=201)
async def create_rule(body: RuleIn, principal: AdminPrincipal, session: DbSession) -> RuleOut:
    rule = RoutingRule(tenant_id=principal.tenant_id, created_at=utcnow())
    await _write_rule(session, principal, rule, body)
    session.add(rule)
    await commit(session)
    return _rule_out(rule)


@router.put("/routing/rules/{rule_id}", response_model=RuleOut)
async def update_rule(
    rule_id: uuid.UUID, body: RuleIn, principal: AdminPrincipal, session: DbSession
) -> RuleOut:
    rule = await repo.get_rule_for(session, principal, rule_id)
    await _write_rule(session, principal, rule, body)
    await commit(session)
    return _rule_out(rule)


@router.delete("/routing/rules/{rule_id}", status_code=204)
async def delete_rule(
    rule_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> Response:
    rule = await repo.get_rule_for(session, principal, rule_id)
    await session.delete(rule)
    await commit(session)
    return Response(status_code=204)


@router.get("/routing/queues", response_model=list[QueueOut])
async def list_queues(
    request: Request, principal: ManagerPrincipal, session: DbSession
) -> list[QueueOut]:
    """Live queue monitor: waiting conversations and the longest wait per team."""
    return await repo.queue_rows(runtime_of(request), session, principal.tenant_id)


def all_routers() -> tuple[APIRouter, ...]:
    """Every router of routing, for `kefu.app.ROUTERS`."""
    from kefu.routing.conversations_api import router as conversations_router
    from kefu.routing.hours_api import router as hours_router

    return (router, conversations_router, hours_router)
