"""Login, refresh, logout, roles, rate limits and token revocation."""

from __future__ import annotations

import uuid

import httpx

from tests.factories import PASSWORD, Factory


async def test_login_refresh_logout(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    me = await client.get("/api/v1/me", headers=world.agent.headers)
    assert me.status_code == 200
    assert me.json()["role"] == "agent"

    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": world.agent.refresh_token})
    assert r.status_code == 200
    new = r.json()
    again = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": world.agent.refresh_token}
    )
    assert again.status_code == 401, "a refresh token is single use (rotated)"

    headers = {"Authorization": f"Bearer {new['access_token']}"}
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert r.status_code == 401


async def test_wrong_password_is_bilingual_401(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    body = {"email": world.agent.email, "password": "nope"}
    en = await client.post("/api/v1/auth/login", json=body, headers={"Accept-Language": "en"})
    zh = await client.post(
        "/api/v1/auth/login", json=body, headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    assert en.status_code == zh.status_code == 401
    assert en.json()["code"] == zh.json()["code"] == "invalid_credentials"
    assert en.json()["message"] == "Wrong email or password"
    assert zh.json()["message"] == "邮箱或密码错误"


async def test_login_is_rate_limited(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    body = {"email": world.agent2.email, "password": "wrong"}
    codes = [(await client.post("/api/v1/auth/login", json=body)).status_code for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    r = await client.post("/api/v1/auth/login", json={**body, "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert r.json()["code"] == "rate_limited"


async def test_password_change_revokes_tokens(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    other_session = await factory.login(world.agent.email)
    r = await client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new secret"},
        headers=world.agent.headers,
    )
    assert r.status_code == 204
    assert (await client.get("/api/v1/me", headers=world.agent.headers)).status_code == 401
    assert (await client.get("/api/v1/me", headers=other_session.headers)).status_code == 401
    fresh = await factory.login(world.agent.email, "a brand new secret")
    assert (await client.get("/api/v1/me", headers=fresh.headers)).status_code == 200


async def test_deactivated_user_is_locked_out(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    r = await client.patch(
        f"/api/v1/users/{world.agent.user_id}", json={"active": False}, headers=world.admin.headers
    )
    assert r.status_code == 200
    assert (await client.get("/api/v1/me", headers=world.agent.headers)).status_code == 401
    r = await client.post(
        "/api/v1/auth/login", json={"email": world.agent.email, "password": PASSWORD}
    )
    assert r.status_code == 401


async def test_agent_cannot_manage_users(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    body = {"email": f"x-{uuid.uuid4().hex[:6]}@example.com", "name": "X", "password": "longenough"}
    r = await client.post("/api/v1/users", json=body, headers=world.agent.headers)
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"
    r = await client.post("/api/v1/users", json=body, headers=world.supervisor.headers)
    assert r.status_code == 403
    r = await client.post("/api/v1/users", json=body, headers=world.admin.headers)
    assert r.status_code == 201
    dup = await client.post("/api/v1/users", json=body, headers=world.admin.headers)
    assert dup.status_code == 409
    assert dup.json()["code"] == "email_taken"


async def test_api_key_acts_for_its_tenant(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    r = await client.post("/api/v1/api-keys", json={"name": "crm"}, headers=world.admin.headers)
    assert r.status_code == 201
    key = r.json()["key"]
    assert key.startswith("kefu_sk_")
    listed = await client.get("/api/v1/users", headers={"Authorization": f"Bearer {key}"})
    assert listed.status_code == 200
    assert {u["email"] for u in listed.json()} == {
        world.admin.email,
        world.supervisor.email,
        world.agent.email,
        world.agent2.email,
    }
    assert (
        "key" not in (await client.get("/api/v1/api-keys", headers=world.admin.headers)).json()[0]
    )
    await client.delete(f"/api/v1/api-keys/{r.json()['id']}", headers=world.admin.headers)
    revoked = await client.get("/api/v1/users", headers={"X-Api-Key": key})
    assert revoked.status_code == 401
