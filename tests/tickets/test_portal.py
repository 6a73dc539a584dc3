"""The requester's page behind a signed link: JSON and HTML, escaped, no internal notes."""

from __future__ import annotations

import httpx

from tests.factories import Factory
from tests.tickets.helpers import contact, events_of, ticket

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_requester_page_json_html_and_reply(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    t = await ticket(
        client, w.agent, await contact(client, w), subject=f"Broken {EVIL}", description=EVIL
    )
    h = w.agent.headers
    base = f"/api/v1/tickets/{t['id']}"
    await client.post(f"{base}/comments", json={"body": f"We are on it {EVIL}"}, headers=h)
    await client.post(
        f"{base}/comments", json={"body": "VIP, refund at once", "public": False}, headers=h
    )
    link = (await client.get(f"{base}/portal-link", headers=h)).json()
    assert link["url"].endswith(f"/portal/tickets/{link['token']}")
    page = (await client.get(f"/api/v1/portal/tickets/{link['token']}")).json()
    assert page["status"] == "new" and page["subject"] == f"Broken {EVIL}"
    assert [r["body"] for r in page["replies"]] == [f"We are on it {EVIL}"]
    html = await client.get(f"/portal/tickets/{link['token']}", headers={"Accept-Language": "zh"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in html.text and "onerror=alert(1)>" not in html.text
    assert html.text.count("<script>") == 1  # the page's own (live updates), allowed by its hash
    assert "&lt;script&gt;" in html.text and "VIP" not in html.text
    assert "已受理" in html.text and "<form" in html.text
    csp = html.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    # the requester answers from the page (a plain HTML form)
    r = await client.post(f"/portal/tickets/{link['token']}", data={"body": "收据已上传"})
    assert r.status_code == 303
    comments = (await client.get(f"{base}/comments", headers=h)).json()
    assert comments[-1]["author_type"] == "contact" and comments[-1]["body"] == "收据已上传"
    assert any(
        e["comment"]["body"] == "收据已上传"
        for e in await events_of(factory, w, "ticket.comment_created")
    )
    # a forged or altered link opens nothing
    forged = link["token"][:-4] + "0000"
    assert (await client.get(f"/api/v1/portal/tickets/{forged}")).status_code == 404
    assert (await client.get(f"/portal/tickets/{forged}")).status_code == 404
    assert (await client.get("/api/v1/portal/tickets/not-a-token")).status_code == 404
    empty = await client.post(f"/api/v1/portal/tickets/{link['token']}/replies", json={"body": ""})
    assert empty.status_code == 422
    # once closed, the page shows the status but takes no reply
    await client.patch(base, json={"status": "solved"}, headers=h)
    await client.patch(base, json={"status": "closed"}, headers=h)
    closed = await client.get(f"/portal/tickets/{link['token']}")
    assert "<form" not in closed.text and "Closed" in closed.text
    late = await client.post(
        f"/api/v1/portal/tickets/{link['token']}/replies", json={"body": "one more thing"}
    )
    assert late.status_code == 409
