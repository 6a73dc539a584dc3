"""Victim ids and request bodies of the ticket and email endpoints, for
tests/core/test_tenant_isolation.py (which walks every id-taking route)."""

from __future__ import annotations

from typing import Any

import httpx

from kefu.core.security import hmac_hex
from tests.factories import World

TICKET_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/tickets/{ticket_id}": {"subject": "x"},
    "/api/v1/tickets/{ticket_id}/comments": {"body": "x"},
    "/api/v1/tickets/{ticket_id}/merge": {"source_ids": ["00000000-0000-0000-0000-000000000000"]},
    "/api/v1/conversations/{conversation_id}/ticket": {"subject": "x"},
    "/api/v1/sla-policies/{policy_id}": {"name": "x"},
    "/api/v1/email/mailboxes/{mailbox_id}": {"display_name": "x"},
    "/api/v1/portal/tickets/{portal_token}/replies": {"body": "x"},
    "/api/v1/portal/tickets/{portal_token}/csat": {"score": 5},
}


async def ticket_ids(client: httpx.AsyncClient, victim: World, contact_id: str) -> dict[str, str]:
    h = victim.admin.headers
    body = {"subject": "secret", "requester_id": contact_id}
    ticket = (await client.post("/api/v1/tickets", json=body, headers=h)).json()
    follow = {"status": "solved", "follow_up_at": "2030-01-01T09:00:00+08:00"}
    await client.patch(f"/api/v1/tickets/{ticket['id']}", json=follow, headers=h)
    followups = await client.get(f"/api/v1/tickets/{ticket['id']}/followups", headers=h)
    field = await client.post(
        "/api/v1/ticket-fields", json={"key": "secret", "kind": "text"}, headers=h
    )
    policy = await client.post(
        "/api/v1/sla-policies", json={"name": "p", "resolution_minutes": 60}, headers=h
    )
    view = await client.post("/api/v1/ticket-views", json={"name": "mine"}, headers=h)
    address = f"support-{victim.tenant_id.hex[:8]}@victim.example.com"
    mailbox = await client.post("/api/v1/email/mailboxes", json={"address": address}, headers=h)
    return {
        "ticket_id": ticket["id"],
        "followup_id": followups.json()[0]["id"],
        "field_id": field.json()["id"],
        "policy_id": policy.json()["id"],
        "view_id": view.json()["id"],
        "mailbox_id": mailbox.json()["id"],
        # a link signed with another key names the victim's ticket but must open nothing
        "portal_token": f"{ticket['id'].replace('-', '')}.{hmac_hex('wrong', ticket['id'])}",
    }
