"""Build tenants, users, inboxes and visitors through the service layer and the HTTP API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from kefu.channels.schemas import InboxIn
from kefu.channels.service import create_inbox
from kefu.core.context import Runtime
from kefu.core.security import hmac_hex
from kefu.realtime.models import EventRecord
from kefu.tenants.schemas import UserCreateIn
from kefu.tenants.service import create_tenant, create_user

PASSWORD = "correct horse battery"


@dataclass
class Login:
    user_id: uuid.UUID
    email: str
    token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Visitor:
    token: str
    contact_id: uuid.UUID

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """One tenant with an admin, a supervisor, two agents and a widget inbox."""

    tenant_id: uuid.UUID
    identity_secret: str
    widget_key: str
    inbox_id: uuid.UUID
    admin: Login
    supervisor: Login
    agent: Login
    agent2: Login
    extra: dict[str, Any] = field(default_factory=dict)


class Factory:
    def __init__(self, rt: Runtime, client: httpx.AsyncClient) -> None:
        self.rt = rt
        self.client = client

    async def login(self, email: str, password: str = PASSWORD) -> Login:
        r = await self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        me = await self.client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
        )
        return Login(uuid.UUID(me.json()["id"]), email, body["access_token"], body["refresh_token"])

    async def world(self, name: str = "Shop") -> World:
        tag = uuid.uuid4().hex[:8]
        async with self.rt.db.sessions() as session:
            tenant = await create_tenant(session, f"{name} {tag}")
            emails = {}
            for role in ("admin", "supervisor", "agent", "agent2"):
                email = f"{role}-{tag}@example.com"
                real_role = "agent" if role == "agent2" else role
                await create_user(
                    session,
                    tenant.id,
                    UserCreateIn(
                        email=email, name=f"{role} {tag}", password=PASSWORD, role=real_role
                    ),  # type: ignore[arg-type]
                )
                emails[role] = email
            inbox = await create_inbox(
                session,
                tenant.id,
                InboxIn(name="Site", allowed_origins=["https://shop.example.com"]),
            )
            await session.commit()
            secret, key, inbox_id, tenant_id = (
                tenant.identity_secret,
                inbox.widget_key,
                inbox.id,
                tenant.id,
            )
        logins = {role: await self.login(email) for role, email in emails.items()}
        return World(tenant_id, secret, key, inbox_id, **logins)

    async def visitor(self, world: World, identity: dict[str, str] | None = None) -> Visitor:
        body: dict[str, Any] = {"widget_key": world.widget_key, "locale": "zh-CN"}
        if identity is not None:
            body["identity"] = identity
        r = await self.client.post("/api/v1/widget/sessions", json=body)
        assert r.status_code == 201, r.text
        return Visitor(r.json()["contact_token"], uuid.UUID(r.json()["contact_id"]))

    def identity(self, world: World, external_id: str) -> dict[str, str]:
        return {
            "external_id": external_id,
            "user_hash": hmac_hex(world.identity_secret, external_id),
        }

    async def contact_says(
        self, visitor: Visitor, body: str, client_msg_id: str | None = None
    ) -> dict[str, Any]:
        r = await self.client.post(
            "/api/v1/widget/messages",
            json={"client_msg_id": client_msg_id or uuid.uuid4().hex, "body": body},
            headers=visitor.headers,
        )
        assert r.status_code in (200, 201), r.text
        result: dict[str, Any] = r.json()
        return result

    async def events(self, tenant_id: uuid.UUID, after: int = 0) -> list[EventRecord]:
        """capture_events(): what the durable log holds for a tenant."""
        async with self.rt.db.sessions() as session:
            stmt = (
                select(EventRecord)
                .where(EventRecord.tenant_id == tenant_id, EventRecord.id > after)
                .order_by(EventRecord.id)
            )
            return list((await session.execute(stmt)).scalars())
