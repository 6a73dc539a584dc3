"""Routing settings and presence endpoints: defaults, validation, permissions, bilingual errors."""

from __future__ import annotations

import httpx

from tests.factories import Factory


async def test_settings_defaults_validation_and_permissions(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world, other = await factory.world(), await factory.world()
    h = world.admin.headers
    defaults = (
        await client.get("/api/v1/routing/settings", headers=world.supervisor.headers)
    ).json()
    assert defaults["strategy"] == "least_busy" and defaults["presence_grace_seconds"] == 60
    assert (
        await client.get("/api/v1/routing/settings", headers=world.agent.headers)
    ).status_code == 403
    bad = await client.put(
        "/api/v1/routing/settings",
        json={"strategy": "random"},
        headers={**h, "Accept-Language": "zh-CN"},
    )
    assert bad.status_code == 422 and bad.json()["message"].startswith("输入无效")
    foreign = (
        await client.post("/api/v1/teams", json={"name": "Theirs"}, headers=other.admin.headers)
    ).json()
    r = await client.put(
        "/api/v1/routing/settings",
        json={"overflow_team_id": foreign["id"], "overflow_after_seconds": 60},
        headers=h,
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = await client.put(
        "/api/v1/routing/settings", json={"strategy": "round_robin", "vip_tags": ["vip"]}, headers=h
    )
    assert r.status_code == 200 and r.json()["strategy"] == "round_robin"
    again = (await client.get("/api/v1/routing/settings", headers=h)).json()
    assert again["vip_tags"] == ["vip"]
    assert (await client.get("/api/v1/routing/settings", headers=other.admin.headers)).json()[
        "vip_tags"
    ] == []
    r = await client.put("/api/v1/routing/settings", json={}, headers=world.supervisor.headers)
    assert r.status_code == 403


async def test_presence_validation_and_visibility(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    r = await client.put(
        "/api/v1/presence", json={"status": "sleeping"}, headers=world.agent.headers
    )
    assert r.status_code == 422
    key = (
        await client.post("/api/v1/api-keys", json={"name": "k"}, headers=world.admin.headers)
    ).json()
    r = await client.put(
        "/api/v1/presence", json={"status": "online"}, headers={"X-Api-Key": key["key"]}
    )
    assert r.status_code == 403, "an API key is not a person"
    r = await client.put("/api/v1/presence", json={"status": "busy"}, headers=world.agent.headers)
    assert r.json()["status"] == "busy" and r.json()["auto"] is False
    mine = (await client.get("/api/v1/presence", headers=world.agent2.headers)).json()
    assert [p["user_id"] for p in mine] == [str(world.agent2.user_id)]
    assert mine[0]["status"] == "offline" and mine[0]["since"] is None
    everyone = (await client.get("/api/v1/presence", headers=world.supervisor.headers)).json()
    assert len(everyone) == 4
    assert next(p for p in everyone if p["user_id"] == str(world.agent.user_id))["status"] == "busy"
