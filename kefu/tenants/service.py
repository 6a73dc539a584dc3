"""Rules and writes for tenants, users, teams, login sessions and API keys."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal, Role
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import after_commit
from kefu.core.errors import Conflict, Invalid, RateLimited, Unauthorized
from kefu.core.security import (
    decode_jwt,
    encode_jwt,
    hash_password,
    random_token,
    token_digest,
    verify_password,
)
from kefu.realtime.models import TenantCounter
from kefu.tenants import repository as repo
from kefu.tenants.models import ApiKey, AuthSession, Team, TeamMember, Tenant, User
from kefu.tenants.schemas import TeamIn, TokenOut, UserCreateIn, UserUpdateIn

API_KEY_PREFIX = "kefu_sk_"
REVOKE = "revoke"


async def create_tenant(
    session: AsyncSession, name: str, timezone: str = "Asia/Shanghai"
) -> Tenant:
    tenant = Tenant(name=name, timezone=timezone, identity_secret=random_token(32))
    session.add(tenant)
    await session.flush()
    session.add(TenantCounter(tenant_id=tenant.id, event_seq=0))
    await session.flush()
    return tenant


async def create_user(session: AsyncSession, tenant_id: uuid.UUID, data: UserCreateIn) -> User:
    user = User(
        tenant_id=tenant_id,
        email=str(data.email).strip().lower(),
        name=data.name,
        password_hash=hash_password(data.password),
        role=data.role,
        languages=data.languages,
        skills=data.skills,
        max_concurrent=data.max_concurrent,
    )
    try:
        async with session.begin_nested():
            session.add(user)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("email_taken") from exc
    await _set_teams(session, user, data.team_ids)
    return user


async def _set_teams(session: AsyncSession, user: User, team_ids: list[uuid.UUID]) -> None:
    principal = Principal(tenant_id=user.tenant_id, role="admin")
    teams = [await repo.get_team_for(session, principal, tid) for tid in team_ids]
    await session.execute(delete(TeamMember).where(TeamMember.user_id == user.id))
    for team in teams:
        session.add(TeamMember(team_id=team.id, user_id=user.id, tenant_id=user.tenant_id))
    await session.flush()


async def update_user(session: AsyncSession, rt: Runtime, user: User, data: UserUpdateIn) -> User:
    fields = data.model_dump(exclude_unset=True, exclude={"team_ids", "password"})
    revoke = bool(data.password) or fields.get("active") is False or "role" in fields
    for key, value in fields.items():
        setattr(user, key, value)
    if data.password:
        user.password_hash = hash_password(data.password)
    if data.team_ids is not None:
        await _set_teams(session, user, data.team_ids)
    if revoke:
        await revoke_user_tokens(session, rt, user)
    await session.flush()
    return user


async def change_password(
    session: AsyncSession, rt: Runtime, user: User, current: str, new: str
) -> None:
    if not verify_password(user.password_hash, current):
        raise Invalid("wrong_password")
    if len(new) < 8:
        raise Invalid("weak_password")
    user.password_hash = hash_password(new)
    await revoke_user_tokens(session, rt, user)


async def revoke_user_tokens(session: AsyncSession, rt: Runtime, user: User) -> None:
    """Every token of the user dies; its open sockets are closed after commit."""
    user.token_version += 1
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    message: dict[str, Any] = {"kind": REVOKE, "user_id": str(user.id)}

    async def _notify() -> None:
        await rt.bus.publish(message)

    after_commit(session, f"revoke:{user.id}", _notify)


def _login_key(email: str, client_ip: str) -> str:
    return f"login:{client_ip}:{email}"


async def _check_login_rate(rt: Runtime, email: str, client_ip: str) -> None:
    """Too many failed logins for this address and e-mail: 429 until the window ends."""
    count, retry = await rt.kv.peek(_login_key(email, client_ip))
    if count >= rt.settings.login_rate_limit:
        raise RateLimited(retry)


def _issue_access(rt: Runtime, user: User, auth: AuthSession) -> str:
    claims = {
        "sub": str(user.id),
        "tid": str(user.tenant_id),
        "sid": str(auth.id),
        "ver": user.token_version,
        "typ": "access",
    }
    return encode_jwt(rt.secret, claims, rt.settings.access_token_ttl)


async def login(
    session: AsyncSession, rt: Runtime, email: str, password: str, client_ip: str
) -> TokenOut:
    email = email.strip().lower()
    await _check_login_rate(rt, email, client_ip)
    user = await repo.get_user_by_email(session, email)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        await rt.kv.hit(_login_key(email, client_ip), rt.settings.login_rate_window)
        raise Unauthorized("invalid_credentials")
    refresh = random_token(32)
    auth = AuthSession(
        tenant_id=user.tenant_id,
        user_id=user.id,
        refresh_digest=token_digest(refresh),
        expires_at=utcnow() + timedelta(seconds=rt.settings.refresh_token_ttl),
    )
    session.add(auth)
    await session.flush()
    access = _issue_access(rt, user, auth)
    return TokenOut(
        access_token=access, refresh_token=refresh, expires_in=rt.settings.access_token_ttl
    )


async def refresh(session: AsyncSession, rt: Runtime, refresh_token: str) -> TokenOut:
    """Rotate the refresh token: the old one stops working."""
    stmt = select(AuthSession).where(AuthSession.refresh_digest == token_digest(refresh_token))
    auth = (await session.execute(stmt)).scalar_one_or_none()
    if auth is None or auth.revoked_at is not None or auth.expires_at < utcnow():
        raise Unauthorized("invalid_token")
    user = await session.get(User, auth.user_id)
    if user is None or not user.active:
        raise Unauthorized("invalid_token")
    new_refresh = random_token(32)
    auth.refresh_digest = token_digest(new_refresh)
    await session.flush()
    access = _issue_access(rt, user, auth)
    return TokenOut(
        access_token=access, refresh_token=new_refresh, expires_in=rt.settings.access_token_ttl
    )


async def logout(session: AsyncSession, principal: Principal) -> None:
    if principal.session_id is None:
        return
    auth = await session.get(AuthSession, principal.session_id)
    if auth is not None and auth.revoked_at is None:
        auth.revoked_at = utcnow()


async def principal_from_access(session: AsyncSession, rt: Runtime, token: str) -> Principal | None:
    claims = decode_jwt(rt.verifying_secrets, token)
    if claims is None or claims.get("typ") != "access":
        return None
    try:
        user_id, session_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"])
    except (KeyError, ValueError):
        return None
    user = await session.get(User, user_id)
    auth = await session.get(AuthSession, session_id)
    if user is None or auth is None or not user.active or auth.revoked_at is not None:
        return None
    if auth.user_id != user.id or claims.get("ver") != user.token_version:
        return None
    role: Role = user.role  # type: ignore[assignment]
    return Principal(tenant_id=user.tenant_id, role=role, user_id=user.id, session_id=auth.id)


async def principal_from_api_key(session: AsyncSession, key: str) -> Principal | None:
    stmt = select(ApiKey).where(ApiKey.digest == token_digest(key))
    api_key = (await session.execute(stmt)).scalar_one_or_none()
    if api_key is None or api_key.revoked_at is not None:
        return None
    return Principal(tenant_id=api_key.tenant_id, role="admin", api_key_id=api_key.id)


async def create_api_key(
    session: AsyncSession, principal: Principal, name: str
) -> tuple[ApiKey, str]:
    secret = API_KEY_PREFIX + random_token(32)
    key = ApiKey(
        tenant_id=principal.tenant_id, name=name, prefix=secret[:12], digest=token_digest(secret)
    )
    session.add(key)
    await session.flush()
    return key, secret


async def revoke_api_key(key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = utcnow()


async def create_team(session: AsyncSession, principal: Principal, data: TeamIn) -> Team:
    team = Team(tenant_id=principal.tenant_id, name=data.name, skills=data.skills)
    try:
        async with session.begin_nested():
            session.add(team)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("conflict") from exc
    return team


async def update_team(team: Team, data: TeamIn) -> Team:
    team.name = data.name
    team.skills = data.skills
    return team


async def session_is_valid(session: AsyncSession, principal: Principal) -> bool:
    """Is the login behind a long-lived socket still good (not logged out or revoked)?"""
    if principal.session_id is None or principal.user_id is None:
        return False
    auth = await session.get(AuthSession, principal.session_id)
    user = await session.get(User, principal.user_id)
    return bool(auth and user and user.active and auth.revoked_at is None)
