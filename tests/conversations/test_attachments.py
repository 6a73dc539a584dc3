"""Attachments: limits, types, download headers, who may read them."""

from __future__ import annotations

import httpx

from tests.factories import Factory


async def test_upload_send_and_download(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    up = await client.post(
        "/api/v1/widget/attachments",
        files={"file": ("../../etc/receipt.png", b"\x89PNG fake", "text/html")},
        headers=visitor.headers,
    )
    assert up.status_code == 201
    att = up.json()
    assert att["filename"] == "receipt.png" and att["content_type"] == "image/png"
    r = await client.post(
        "/api/v1/widget/messages",
        json={"client_msg_id": "m1", "body": "", "attachment_ids": [att["id"]]},
        headers=visitor.headers,
    )
    assert r.status_code == 201 and r.json()["attachments"][0]["id"] == att["id"]

    d = await client.get(att["url"], headers=world.agent.headers)
    assert d.status_code == 200 and d.content == b"\x89PNG fake"
    assert d.headers["content-disposition"].startswith("attachment")
    assert d.headers["content-type"] == "image/png"
    assert d.headers["x-content-type-options"] == "nosniff"
    w = await client.get(f"/api/v1/widget/attachments/{att['id']}?token={visitor.token}")
    assert w.status_code == 200

    stranger = await factory.visitor(world)
    assert (
        await client.get(f"/api/v1/widget/attachments/{att['id']}?token={stranger.token}")
    ).status_code == 404
    reuse = await client.post(
        "/api/v1/widget/messages",
        json={"client_msg_id": "m2", "body": "again", "attachment_ids": [att["id"]]},
        headers=visitor.headers,
    )
    assert reuse.status_code == 422, "an attachment belongs to one message"


async def test_limits_on_size_and_type(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.agent.headers
    big = await client.post(
        "/api/v1/attachments", files={"file": ("a.txt", b"x" * (64 * 1024 + 1))}, headers=h
    )
    assert big.status_code == 413 and big.json()["code"] == "file_too_large"
    exe = await client.post(
        "/api/v1/attachments", files={"file": ("evil.html", b"<script>")}, headers=h
    )
    assert exe.status_code == 422 and exe.json()["code"] == "file_type_not_allowed"
    none = await client.post("/api/v1/attachments", headers=h)
    assert none.status_code == 422
