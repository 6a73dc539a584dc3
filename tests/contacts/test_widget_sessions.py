"""Widget sessions: anonymous tokens, verified identities, origins; contacts API."""

from __future__ import annotations

import httpx

from tests.factories import Factory


async def test_anonymous_visitors_get_distinct_strong_tokens(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    a, b = await factory.visitor(world), await factory.visitor(world)
    assert a.contact_id != b.contact_id
    assert len(a.token) >= 43  # 32 random bytes, url-safe base64


async def test_verified_identity_finds_the_same_contact(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    identity = factory.identity(world, "user-42")
    first = await factory.visitor(
        world, {**identity, "name": "Zhang San", "email": "z@example.com"}
    )
    second = await factory.visitor(world, identity)
    assert first.contact_id == second.contact_id
    r = await client.get(f"/api/v1/contacts/{first.contact_id}", headers=world.agent.headers)
    assert r.json()["name"] == "Zhang San"
    assert r.json()["identities"] == [{"kind": "external_id", "value": "user-42", "verified": True}]


async def test_wrong_or_missing_hash_is_refused_and_never_merged(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    real = await factory.visitor(world, factory.identity(world, "user-7"))
    forged = {"external_id": "user-7", "user_hash": "0" * 64}
    r = await client.post(
        "/api/v1/widget/sessions", json={"widget_key": world.widget_key, "identity": forged}
    )
    assert r.status_code == 401 and r.json()["code"] == "identity_invalid"
    missing = {"external_id": "user-7"}
    r = await client.post(
        "/api/v1/widget/sessions", json={"widget_key": world.widget_key, "identity": missing}
    )
    assert r.status_code == 422
    other = await factory.world()
    foreign_hash = factory.identity(other, "user-7")
    r = await client.post(
        "/api/v1/widget/sessions", json={"widget_key": world.widget_key, "identity": foreign_hash}
    )
    assert r.status_code == 401, "a hash made with another tenant's secret is refused"
    contacts = await client.get("/api/v1/contacts", headers=world.admin.headers)
    assert [c["id"] for c in contacts.json()["items"]] == [str(real.contact_id)]


async def test_widget_key_and_origin_are_checked(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    r = await client.post("/api/v1/widget/sessions", json={"widget_key": "nope"})
    assert r.status_code == 401 and r.json()["code"] == "widget_key_invalid"
    ok = await client.post(
        "/api/v1/widget/sessions",
        json={"widget_key": world.widget_key},
        headers={"Origin": "https://shop.example.com"},
    )
    assert ok.status_code == 201
    bad = await client.post(
        "/api/v1/widget/sessions",
        json={"widget_key": world.widget_key},
        headers={"Origin": "https://evil.example.net"},
    )
    assert bad.status_code == 403 and bad.json()["code"] == "origin_not_allowed"


async def test_returning_visitor_resumes_its_contact(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    said = await factory.contact_says(visitor, "hello")
    r = await client.post(
        "/api/v1/widget/sessions",
        json={"widget_key": world.widget_key, "contact_token": visitor.token},
    )
    assert r.json()["contact_id"] == str(visitor.contact_id)
    assert r.json()["conversation_id"] == said["conversation_id"]
    assert r.json()["contact_token"] == visitor.token


async def test_contacts_crud_and_search(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.agent.headers
    r = await client.post(
        "/api/v1/contacts",
        json={
            "name": "李雷",
            "email": "lilei@example.com",
            "tags": ["vip"],
            "external_id": "crm-1",
        },
        headers=h,
    )
    assert r.status_code == 201
    cid = r.json()["id"]
    r = await client.patch(
        f"/api/v1/contacts/{cid}",
        json={"attributes": {"plan": "gold"}, "tags": ["vip", "b2b"]},
        headers=h,
    )
    assert r.json()["attributes"] == {"plan": "gold"} and r.json()["tags"] == ["b2b", "vip"]
    found = await client.get("/api/v1/contacts?q=lilei", headers=h)
    assert [c["id"] for c in found.json()["items"]] == [cid]
    dup = await client.post(
        "/api/v1/contacts", json={"name": "x", "external_id": "crm-1"}, headers=h
    )
    assert dup.status_code == 409
    bad = await client.patch(f"/api/v1/contacts/{cid}", json={"tags": "vip"}, headers=h)
    assert bad.status_code == 422
