"""Every id-taking endpoint refuses another tenant's ids with 404 (walked from the route table)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from kefu.bot.flows.demo import ORDER_STATUS
from kefu.quality.tasks import inspect_resolved
from tests.conftest import LiveServer
from tests.factories import Factory, World
from tests.tickets.isolation import TICKET_BODIES, ticket_ids
from tests.webhooks.helpers import logged
from tests.wfm.isolation import WFM_BODIES, wfm_ids

BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/conversations/{conversation_id}/messages": {"client_msg_id": "x", "body": "hi"},
    "/api/v1/conversations/{conversation_id}/assign": {"assignee_id": None},
    "/api/v1/conversations/{conversation_id}/tags": {"tags": ["a"]},
    "/api/v1/users/{user_id}": {"name": "x"},
    "/api/v1/teams/{team_id}": {"name": "x"},
    "/api/v1/contacts/{contact_id}": {"name": "x"},
    "/api/v1/inboxes/{inbox_id}": {"name": "x"},
    "/api/v1/kb/faqs/{faq_id}": {"question_en": "x", "answer_en": "y"},
    "/api/v1/quick-replies/{reply_id}": {"shortcut": "x", "title": "t", "body": "b"},
    "/api/v1/bot/flows/{flow_id}": ORDER_STATUS.model_dump(mode="json"),
    "/api/v1/widget/messages/{message_id}/feedback": {"helpful": True},
    "/api/v1/quality/rules/{qa_rule_id}": {"kind": "sensitive_data", "name": "x"},
    "/api/v1/quality/results/{qa_result_id}/override": {"score": 1, "comment": "x"},
    "/api/v1/conversations/{conversation_id}/transfer": {"agent_id": None, "note": "x"},
    "/api/v1/routing/rules/{rule_id}": {"name": "x"},
    "/api/v1/routing/teams/{team_id}": {"strategy": "round_robin"},
    "/api/v1/analytics/alert-rules/{alert_rule_id}": {"enabled": False},
    "/api/v1/webhooks/{webhook_id}": {"enabled": False},
    **TICKET_BODIES,
    **WFM_BODIES,
}


async def _quality_ids(
    factory: Factory, client: httpx.AsyncClient, victim: World
) -> tuple[str, str]:
    h = victim.admin.headers
    rule = await client.post(
        "/api/v1/quality/rules", json={"kind": "sensitive_data", "name": "pii"}, headers=h
    )
    served = await factory.contact_says(await factory.visitor(victim), "hi")
    await client.post(f"/api/v1/conversations/{served['conversation_id']}/resolve", headers=h)
    await inspect_resolved(factory.rt)
    results = await client.get("/api/v1/quality/results", headers=h)
    return rule.json()["id"], results.json()[0]["id"]


async def _victim_ids(factory: Factory, client: httpx.AsyncClient, victim: World) -> dict[str, str]:
    visitor = await factory.visitor(victim)
    said = await factory.contact_says(visitor, "private data")
    h = victim.admin.headers
    team = await client.post("/api/v1/teams", json={"name": "Victims"}, headers=h)
    key = await client.post("/api/v1/api-keys", json={"name": "k"}, headers=h)
    att = await client.post("/api/v1/attachments", files={"file": ("a.txt", b"secret")}, headers=h)
    category = await client.post("/api/v1/kb/categories", json={"name": "Secret"}, headers=h)
    faq = await client.post(
        "/api/v1/kb/faqs", json={"question_en": "q?", "answer_en": "a"}, headers=h
    )
    version = await client.post("/api/v1/kb/publish", json={}, headers=h)
    flow = ORDER_STATUS.model_dump(mode="json")
    flow_row = await client.post("/api/v1/bot/flows", json=flow, headers=h)
    quick = await client.post(
        "/api/v1/quick-replies", json={"shortcut": "hi", "title": "t", "body": "b"}, headers=h
    )
    qa_rule, qa_result = await _quality_ids(factory, client, victim)
    rule = await client.post("/api/v1/routing/rules", json={"name": "VIP"}, headers=h)
    alert = {"name": "queue", "metric": "waiting", "threshold": 5}
    alert_rule = await client.post("/api/v1/analytics/alert-rules", json=alert, headers=h)
    hook = {"url": "https://example.com/hook", "event_types": ["alert.*"]}
    webhook = await client.post("/api/v1/webhooks", json=hook, headers=h)
    return {
        "conversation_id": said["conversation_id"],
        "contact_id": str(visitor.contact_id),
        "user_id": str(victim.agent.user_id),
        "team_id": team.json()["id"],
        "key_id": key.json()["id"],
        "inbox_id": str(victim.inbox_id),
        "attachment_id": att.json()["id"],
        "category_id": category.json()["id"],
        "faq_id": faq.json()["id"],
        "version_id": version.json()["id"],
        "reply_id": quick.json()["id"],
        "flow_id": flow_row.json()["id"],
        "message_id": said["id"],
        "qa_rule_id": qa_rule,
        "qa_result_id": qa_result,
        "rule_id": rule.json()["id"],
        "alert_rule_id": alert_rule.json()["id"],
        "webhook_id": webhook.json()["id"],
        "delivery_id": (await logged(factory.rt, webhook.json()["id"]))[0],
        **await ticket_ids(client, victim, str(visitor.contact_id)),
        **await wfm_ids(client, victim),
    }


async def test_every_id_endpoint_refuses_other_tenants(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    victim, attacker = await factory.world("Victim"), await factory.world("Attacker")
    ids = await _victim_ids(factory, client, victim)
    intruder = await factory.visitor(attacker)
    paths = (await client.get("/openapi.json")).json()["paths"]
    routes = {path: methods for path, methods in paths.items() if "{" in path}
    assert len(routes) >= 12
    checked = 0
    for path, methods in routes.items():
        params = re.findall(r"{(\w+)}", path)
        assert all(p in ids for p in params), f"add {params} of {path} to this test"
        url = path.format(**{p: ids[p] for p in params})
        body = dict(BODIES.get(path, {}))
        if "assignee_id" in body:
            body["assignee_id"] = str(attacker.agent.user_id)
        if "agent_id" in body:
            body["agent_id"] = str(attacker.agent.user_id)
        headers = attacker.admin.headers
        if path.startswith("/api/v1/widget/"):
            url, headers = f"{url}?token={intruder.token}", intruder.headers
        for method in methods:
            r = await client.request(method.upper(), url, json=body or None, headers=headers)
            assert r.status_code == 404, (method, path, r.status_code, r.text)
            assert r.json()["code"] == "not_found"
            checked += 1
    assert checked >= 18
    # and the victim's data is untouched
    c = await client.get(
        f"/api/v1/conversations/{ids['conversation_id']}", headers=victim.admin.headers
    )
    assert c.json()["status"] == "queued" and c.json()["tags"] == []
    keys = await client.get("/api/v1/api-keys", headers=victim.admin.headers)
    assert keys.json()[0]["revoked_at"] is None


async def test_widget_token_of_one_tenant_cannot_read_another(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    a, b = await factory.world(), await factory.world()
    va = await factory.visitor(a)
    await factory.contact_says(va, "mine")
    vb = await factory.visitor(b)
    r = await client.get("/api/v1/widget/messages", headers=vb.headers)
    assert r.json()["items"] == []
