"""Rotating KEFU_SECRET_KEY signs nobody out: what the old key signed (console tokens, ticket
portal links) still verifies while the old key is in KEFU_SECRET_KEY_PREVIOUS, and is refused as
before once it is gone; only the new key signs. The session's `server` runs under the old key A;
the servers here run under B, on the same database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest_asyncio
import uvicorn

from kefu.app import create_app
from kefu.core.sealing import configure_sealing
from kefu.core.settings import Settings
from tests.conftest import free_port
from tests.factories import PASSWORD, Factory
from tests.tickets.helpers import contact, ticket


@dataclass
class Rotated:
    with_previous: httpx.AsyncClient  # key B, previous [A]
    new_key_only: httpx.AsyncClient  # key B, no previous key


@asynccontextmanager
async def _serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    srv = uvicorn.Server(uvicorn.Config(app, port=free_port(), log_level="warning"))
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{srv.config.port}") as c:
            yield c
    finally:
        srv.should_exit = True
        await task


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def rotated(settings: Settings) -> AsyncIterator[Rotated]:
    assert settings.secret_key is not None
    b = {"secret_key": "rotated-" + uuid.uuid4().hex}
    previous = settings.model_copy(update={**b, "secret_key_previous": [settings.secret_key]})
    new_key_only = settings.model_copy(update=b)
    async with _serving(previous) as c_previous, _serving(new_key_only) as c_new_only:
        yield Rotated(c_previous, c_new_only)
    configure_sealing(settings.secret_key)  # the session server's key seals again


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _refused(c: httpx.AsyncClient, headers: dict[str, str]) -> None:
    r = await c.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"


async def test_console_token_verifies_under_a_previous_key(
    factory: Factory, rotated: Rotated
) -> None:
    agent = (await factory.world()).agent  # signed under A
    me = await rotated.with_previous.get("/api/v1/me", headers=agent.headers)
    assert me.status_code == 200 and me.json()["email"] == agent.email
    await _refused(rotated.new_key_only, agent.headers)


async def test_new_tokens_are_signed_with_the_new_key_only(
    factory: Factory, client: httpx.AsyncClient, rotated: Rotated
) -> None:
    agent = (await factory.world()).agent
    body = {"email": agent.email, "password": PASSWORD}
    r = await rotated.with_previous.post("/api/v1/auth/login", json=body)
    assert r.status_code == 200, r.text
    signed_under_b = _bearer(r.json()["access_token"])
    assert (await rotated.new_key_only.get("/api/v1/me", headers=signed_under_b)).status_code == 200
    await _refused(client, signed_under_b)  # the session server knows A only


async def test_portal_link_verifies_under_a_previous_key(
    factory: Factory, client: httpx.AsyncClient, rotated: Rotated
) -> None:
    w = await factory.world()
    t = await ticket(client, w.agent, await contact(client, w))
    old = await client.get(f"/api/v1/tickets/{t['id']}/portal-link", headers=w.agent.headers)
    page = f"/api/v1/portal/tickets/{old.json()['token']}"
    opened = await rotated.with_previous.get(page)
    assert opened.status_code == 200 and opened.json()["subject"] == t["subject"]
    assert (await rotated.new_key_only.get(page)).status_code == 404  # as any forged link

    new = await rotated.with_previous.get(
        f"/api/v1/tickets/{t['id']}/portal-link", headers=w.agent.headers
    )
    new_page = f"/api/v1/portal/tickets/{new.json()['token']}"
    assert new_page != page
    assert (await rotated.new_key_only.get(new_page)).status_code == 200
    assert (await client.get(new_page)).status_code == 404


async def test_widget_token_is_not_signed_and_outlives_any_rotation(
    factory: Factory, rotated: Rotated
) -> None:
    """A contact's widget token is a random secret kept as a digest, not a signature."""
    visitor = await factory.visitor(await factory.world())
    for c in (rotated.with_previous, rotated.new_key_only):
        r = await c.post(
            "/api/v1/widget/messages",
            json={"client_msg_id": uuid.uuid4().hex, "body": "still here"},
            headers=visitor.headers,
        )
        assert r.status_code in (200, 201), r.text
