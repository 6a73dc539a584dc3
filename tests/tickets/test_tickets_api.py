"""Tickets through the API: create (API, conversation, widget), state machine, custom fields,
replies and notes, history, merge, bulk update, saved views and cursor pagination."""

from __future__ import annotations

import httpx

from tests.factories import Factory
from tests.tickets.helpers import contact, counts, events_of, ticket


async def test_create_update_and_history(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    rid = await contact(client, w)
    t = await ticket(client, w.agent, rid, priority="high", tags=["退款", "vip", "vip"])
    assert (t["status"], t["priority"], t["tags"], t["number"]) == (
        "new",
        "high",
        ["vip", "退款"],
        1,
    )
    h = w.agent.headers
    r = await client.patch(
        f"/api/v1/tickets/{t['id']}", json={"assignee_id": str(w.agent.user_id)}, headers=h
    )
    assert r.status_code == 200 and r.json()["status"] == "open"  # assigning opens a new ticket
    r = await client.patch(f"/api/v1/tickets/{t['id']}", json={"status": "pending"}, headers=h)
    assert r.json()["status"] == "pending"
    history = (await client.get(f"/api/v1/tickets/{t['id']}/history", headers=h)).json()
    fields = [(c["field"], c["old"], c["new"]) for c in history]
    assert fields[0][0] == "created"
    assert ("assignee_id", None, str(w.agent.user_id)) in fields
    assert ("status", "new", "open") in fields and ("status", "open", "pending") in fields
    assert all(c["actor_id"] == str(w.agent.user_id) for c in history)
    assert {e["ticket"]["id"] for e in await events_of(factory, w, "ticket.created")} == {t["id"]}
    assert len(await events_of(factory, w, "ticket.updated")) == 2


async def test_state_machine_refuses_illegal_moves(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    t = await ticket(client, w.agent, await contact(client, w))
    url, h = f"/api/v1/tickets/{t['id']}", w.agent.headers
    assert (await client.patch(url, json={"status": "closed"}, headers=h)).status_code == 409
    assert (await client.patch(url, json={"status": "solved"}, headers=h)).status_code == 200
    r = await client.patch(url, json={"status": "pending"}, headers={**h, "Accept-Language": "zh"})
    assert r.status_code == 409 and r.json()["code"] == "ticket_illegal_transition"
    assert "工单" in r.json()["message"]
    assert (await client.patch(url, json={"status": "closed"}, headers=h)).status_code == 200
    r = await client.patch(url, json={"status": "open"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "ticket_closed"
    r = await client.post(f"{url}/comments", json={"body": "hello?"}, headers=h)
    assert r.status_code == 409


async def test_custom_fields_are_validated_and_bad_values_write_nothing(
    factory: Factory, client: httpx.AsyncClient, server: object
) -> None:
    w = await factory.world()
    a = w.admin.headers
    for body in (
        {"key": "order_no", "kind": "text", "required": True},
        {"key": "amount", "kind": "number"},
        {"key": "channel", "kind": "select", "options": ["app", "web"]},
        {"key": "paid_on", "kind": "date"},
    ):
        assert (await client.post("/api/v1/ticket-fields", json=body, headers=a)).status_code == 201
    bad_select = {"key": "x", "kind": "select"}
    assert (
        await client.post("/api/v1/ticket-fields", json=bad_select, headers=a)
    ).status_code == 422
    dup = {"key": "amount", "kind": "number"}
    assert (await client.post("/api/v1/ticket-fields", json=dup, headers=a)).status_code == 409
    rid = await contact(client, w)
    rt = factory.rt
    before = await counts(rt, w.tenant_id)
    for values in (
        {"order_no": "A1", "amount": "three"},
        {"order_no": "A1", "channel": "fax"},
        {"order_no": "A1", "paid_on": "2026-02-30"},
        {"order_no": "A1", "nope": 1},
        {"order_no": 12},
    ):
        body = {"subject": "s", "requester_id": rid, "custom_fields": values}
        r = await client.post("/api/v1/tickets", json=body, headers=w.agent.headers)
        assert r.status_code == 422 and r.json()["code"] == "ticket_field_invalid", values
    assert await counts(rt, w.tenant_id) == before
    good = {"order_no": "A1", "amount": 12.5, "channel": "app", "paid_on": "2026-11-02"}
    t = await ticket(client, w.agent, rid, custom_fields=good)
    assert t["custom_fields"] == good
    url = f"/api/v1/tickets/{t['id']}"
    body2 = {"priority": "urgent", "custom_fields": {"amount": "x"}}
    r = await client.patch(url, json=body2, headers=w.agent.headers)
    assert r.status_code == 422
    after = (await client.get(url, headers=w.agent.headers)).json()
    assert after["priority"] == "normal" and after["custom_fields"]["amount"] == 12.5


async def test_required_fields_are_required_to_solve(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    """As in Zendesk: a ticket opens without its required fields (one click from a
    conversation) and cannot be solved or closed until they are filled."""
    w = await factory.world()
    field = {"key": "order_no", "kind": "text", "required": True}
    r = await client.post("/api/v1/ticket-fields", json=field, headers=w.admin.headers)
    assert r.status_code == 201
    t = await ticket(client, w.agent, await contact(client, w))
    assert t["custom_fields"] == {}
    url, h = f"/api/v1/tickets/{t['id']}", w.agent.headers
    r = await client.patch(url, json={"status": "solved", "priority": "high"}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "ticket_field_required"
    assert "order_no" in r.json()["message"]
    zh = {**h, "Accept-Language": "zh-CN"}
    r = await client.post(f"{url}/comments", json={"body": "done", "status": "solved"}, headers=zh)
    assert r.status_code == 422 and "解决工单前请填写" in r.json()["message"]
    unchanged = (await client.get(url, headers=h)).json()
    assert unchanged["status"] == t["status"] and unchanged["priority"] == "normal"
    comments = (await client.get(f"{url}/comments", headers=h)).json()
    assert all(c["body"] != "done" for c in comments)  # the refused reply wrote nothing
    body = {"status": "solved", "custom_fields": {"order_no": "A123"}}
    solved = await client.patch(url, json=body, headers=h)
    assert solved.status_code == 200 and solved.json()["status"] == "solved"


async def test_replies_notes_and_transcript_from_conversation(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    visitor = await factory.visitor(w)
    said = await factory.contact_says(visitor, "我的退款还没到账")
    await factory.contact_says(visitor, "订单号 A123")
    h = w.agent.headers
    r = await client.post(
        f"/api/v1/conversations/{said['conversation_id']}/ticket",
        json={"priority": "high"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["conversation_id"] == said["conversation_id"]
    assert t["requester_id"] == str(visitor.contact_id) and t["assignee_id"] == str(w.agent.user_id)
    assert "订单号 A123" in t["description"] and t["subject"] == "我的退款还没到账"
    transcript = (await client.get(f"/api/v1/tickets/{t['id']}/transcript", headers=h)).json()
    assert [m["body"] for m in transcript] == ["我的退款还没到账", "订单号 A123"]
    url = f"/api/v1/tickets/{t['id']}/comments"
    note = await client.post(url, json={"body": "check with finance", "public": False}, headers=h)
    assert note.status_code == 201 and note.json()["public"] is False
    after_note = (await client.get(f"/api/v1/tickets/{t['id']}", headers=h)).json()
    assert after_note["sla"]["first_response_due_at"] is None  # no policy configured
    r = await client.post(url, json={"body": "已提交财务", "status": "pending"}, headers=h)
    assert r.status_code == 201
    comments = (await client.get(url, headers=h)).json()
    assert [(c["body"], c["public"]) for c in comments] == [
        ("check with finance", False),
        ("已提交财务", True),
    ]
    assert (await client.get(f"/api/v1/tickets/{t['id']}", headers=h)).json()["status"] == "pending"


async def test_widget_leave_a_message(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    visitor = await factory.visitor(w)
    body = {"subject": "下班时间留言", "description": "请回电", "email": "Wang@Example.com"}
    r = await client.post("/api/v1/widget/tickets", json=body, headers=visitor.headers)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "new" and "/portal/tickets/" in r.json()["link"]
    mine = await client.get("/api/v1/widget/tickets", headers=visitor.headers)
    assert [t["subject"] for t in mine.json()] == ["下班时间留言"]
    other = await factory.visitor(w)
    assert (await client.get("/api/v1/widget/tickets", headers=other.headers)).json() == []
    agent_view = await client.get("/api/v1/tickets", headers=w.agent.headers)
    item = agent_view.json()["items"][0]
    assert item["channel"] == "widget" and item["requester_id"] == str(visitor.contact_id)
    contact_row = await client.get(
        f"/api/v1/contacts/{visitor.contact_id}", headers=w.admin.headers
    )
    assert contact_row.json()["email"] == "wang@example.com"
    assert (await client.post("/api/v1/widget/tickets", json=body)).status_code == 401


async def test_merge_duplicates(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    rid = await contact(client, w)
    keep = await ticket(client, w.agent, rid, subject="Refund")
    dup = await ticket(client, w.agent, rid, subject="Refund again", description="same thing")
    h = w.agent.headers
    r = await client.post(
        f"/api/v1/tickets/{keep['id']}/merge", json={"source_ids": [dup["id"]]}, headers=h
    )
    assert r.status_code == 200, r.text
    merged = (await client.get(f"/api/v1/tickets/{dup['id']}", headers=h)).json()
    assert merged["status"] == "closed" and merged["merged_into_id"] == keep["id"]
    notes = (await client.get(f"/api/v1/tickets/{keep['id']}/comments", headers=h)).json()
    assert "same thing" in notes[0]["body"] and notes[0]["public"] is False
    again = await client.post(
        f"/api/v1/tickets/{keep['id']}/merge", json={"source_ids": [dup["id"]]}, headers=h
    )
    assert again.status_code == 409
    self_merge = {"source_ids": [keep["id"]]}
    r = await client.post(f"/api/v1/tickets/{keep['id']}/merge", json=self_merge, headers=h)
    assert r.status_code == 409


async def test_bulk_update_is_all_or_nothing(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    rid = await contact(client, w)
    a, b = await ticket(client, w.agent, rid), await ticket(client, w.agent, rid)
    h = w.agent.headers
    await client.patch(f"/api/v1/tickets/{b['id']}", json={"status": "solved"}, headers=h)
    before = await counts(factory.rt, w.tenant_id)
    body = {"ids": [a["id"], b["id"]], "changes": {"status": "pending", "tags": ["x"]}}
    r = await client.post("/api/v1/tickets/bulk", json=body, headers=h)
    assert r.status_code == 409  # b is solved: solved → pending is illegal
    assert await counts(factory.rt, w.tenant_id) == before
    assert (await client.get(f"/api/v1/tickets/{a['id']}", headers=h)).json()["tags"] == []
    body = {"ids": [a["id"], b["id"]], "changes": {"priority": "urgent", "tags": ["x"]}}
    r = await client.post("/api/v1/tickets/bulk", json=body, headers=h)
    assert r.status_code == 200
    assert [(t["priority"], t["tags"]) for t in r.json()] == [("urgent", ["x"])] * 2


async def test_views_filters_sorting_and_cursor_pages(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    rid = await contact(client, w)
    h = w.agent.headers
    made = []
    for i, priority in enumerate(["low", "urgent", "normal", "high", "urgent"]):
        made.append(
            await ticket(
                client,
                w.agent,
                rid,
                subject=f"t{i}",
                priority=priority,
                tags=["vip"] if i % 2 else [],
            )
        )
    view = {
        "name": "Urgent first",
        "filters": {"status": ["new"], "tag": "vip"},
        "sort": "-priority",
    }
    r = await client.post("/api/v1/ticket-views", json=view, headers=h)
    assert r.status_code == 201, r.text
    view_id = r.json()["id"]
    page = await client.get("/api/v1/tickets", params={"view_id": view_id}, headers=h)
    assert page.status_code == 200, page.text
    assert [t["subject"] for t in page.json()["items"]] == ["t1", "t3"]
    seen, cursor = [], None
    while True:
        params = {"sort": "-priority", "limit": 2, **({"cursor": cursor} if cursor else {})}
        got = await client.get("/api/v1/tickets", params=params, headers=h)
        assert got.status_code == 200, got.text
        body = got.json()
        seen += [t["subject"] for t in body["items"]]
        assert len(body["items"]) <= 2
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # urgent ties are ordered by id; every ticket appears once across the pages
    assert sorted(seen[:2]) == ["t1", "t4"] and seen[2:] == ["t3", "t2", "t0"]
    filtered = await client.get(
        "/api/v1/tickets", params={"priority": ["urgent", "low"], "sort": "created_at"}, headers=h
    )
    assert [t["subject"] for t in filtered.json()["items"]] == ["t0", "t1", "t4"]
    # a personal view is invisible to another agent; shared views need a manager
    assert (await client.get("/api/v1/ticket-views", headers=w.agent2.headers)).json() == []
    shared = {**view, "shared": True}
    assert (await client.post("/api/v1/ticket-views", json=shared, headers=h)).status_code == 403
    r = await client.post("/api/v1/ticket-views", json=shared, headers=w.supervisor.headers)
    assert r.status_code == 201
    assert len((await client.get("/api/v1/ticket-views", headers=w.agent2.headers)).json()) == 1
    bad = await client.get("/api/v1/tickets", params={"cursor": "!!"}, headers=h)
    assert bad.status_code == 422


async def test_create_by_requester_email(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    h = w.admin.headers
    body = {"subject": "By API", "requester_email": "Zhang@Example.com"}
    first = await client.post("/api/v1/tickets", json=body, headers=h)
    second = await client.post("/api/v1/tickets", json=body, headers=h)
    assert first.status_code == second.status_code == 201
    assert first.json()["requester_id"] == second.json()["requester_id"]
    bad = await client.post("/api/v1/tickets", json={**body, "requester_email": "nope"}, headers=h)
    assert bad.status_code == 422
    none = await client.post("/api/v1/tickets", json={"subject": "x"}, headers=h)
    assert none.status_code == 422
