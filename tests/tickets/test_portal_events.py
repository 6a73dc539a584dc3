"""The requester's page hears its own ticket's public replies and status changes (SSE), and
nothing else: no internal notes, no other ticket, no other tenant. Events arrive in log order,
so "the first event is the later status change" proves the earlier writes sent nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from kefu.tickets.portal_live import MAX_STREAMS_PER_TICKET
from tests.factories import Factory, World
from tests.tickets.helpers import contact, ticket

BOUND = 10.0  # only bounds a hang; a right answer comes at once
QUIET = 0.5  # how long "nothing" is waited for


@contextlib.asynccontextmanager
async def listening(client: httpx.AsyncClient, token: str) -> AsyncIterator[asyncio.Queue[str]]:
    """Open the page's event stream; yields the queue of received event types."""
    async with client.stream("GET", f"/api/v1/portal/tickets/{token}/events") as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        got: asyncio.Queue[str] = asyncio.Queue()

        async def read() -> None:
            async for line in r.aiter_lines():
                if line.startswith("data: "):
                    got.put_nowait(json.loads(line.removeprefix("data: "))["type"])

        task = asyncio.create_task(read())
        try:
            yield got
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _ticket_with_link(client: httpx.AsyncClient, w: World) -> tuple[str, str]:
    t = await ticket(client, w.agent, await contact(client, w))
    link = await client.get(f"/api/v1/tickets/{t['id']}/portal-link", headers=w.agent.headers)
    return f"/api/v1/tickets/{t['id']}", str(link.json()["token"])


async def _comment(client: httpx.AsyncClient, w: World, base: str, **body: Any) -> None:
    r = await client.post(f"{base}/comments", json=body, headers=w.agent.headers)
    assert r.status_code == 201, r.text


async def test_public_reply_and_status_reach_the_page_notes_and_other_tickets_do_not(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    base, token = await _ticket_with_link(client, w)
    other_base, _ = await _ticket_with_link(client, w)
    async with listening(client, token) as got:
        await _comment(client, w, base, body="We are on it")
        assert await asyncio.wait_for(got.get(), BOUND) == "reply"
        await _comment(client, w, base, body="VIP, refund at once", public=False)
        await _comment(client, w, other_base, body="another requester's answer")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(got.get(), QUIET)
        r = await client.patch(base, json={"status": "pending"}, headers=w.agent.headers)
        assert r.status_code == 200, r.text
        assert await asyncio.wait_for(got.get(), BOUND) == "status"
        # the page re-fetches: the JSON shows the reply and the status, never the note
        page = (await client.get(f"/api/v1/portal/tickets/{token}")).json()
        assert page["status"] == "pending"
        assert [r["body"] for r in page["replies"]] == ["We are on it"]


async def test_a_bad_link_is_the_same_404(client: httpx.AsyncClient, factory: Factory) -> None:
    w = await factory.world()
    _, token = await _ticket_with_link(client, w)
    forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    for bad in (forged, "not-a-token"):
        r = await client.get(f"/api/v1/portal/tickets/{bad}/events")
        same = await client.get(f"/api/v1/portal/tickets/{bad}")
        assert r.status_code == same.status_code == 404
        assert r.json() == same.json()


async def test_another_tenants_link_hears_nothing_of_this_ticket(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    victim, other = await factory.world("Victim"), await factory.world("Other")
    victim_base, _ = await _ticket_with_link(client, victim)
    other_base, other_token = await _ticket_with_link(client, other)
    async with listening(client, other_token) as got:
        await _comment(client, victim, victim_base, body="for the victim's requester only")
        r = await client.patch(victim_base, json={"status": "solved"}, headers=victim.agent.headers)
        assert r.status_code == 200, r.text
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(got.get(), QUIET)
        await client.patch(other_base, json={"status": "pending"}, headers=other.agent.headers)
        assert await asyncio.wait_for(got.get(), BOUND) == "status"  # its own, first


async def test_a_ticket_open_in_too_many_pages_gets_429_until_one_closes(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    _, token = await _ticket_with_link(client, w)
    _, other = await _ticket_with_link(client, w)
    url = f"/api/v1/portal/tickets/{token}/events"
    async with contextlib.AsyncExitStack() as pages:
        for _ in range(MAX_STREAMS_PER_TICKET - 1):
            await pages.enter_async_context(listening(client, token))
        async with listening(client, token):
            refused = await client.get(url, headers={"Accept-Language": "zh-CN"})
            assert refused.status_code == 429 and "Retry-After" in refused.headers
            assert refused.json()["code"] == "portal_streams_limit"
            assert "工单" in refused.json()["message"]
            async with listening(client, other):  # another ticket's page is not counted
                pass
        async with asyncio.timeout(BOUND):  # the closed page's slot frees once the server notices
            while True:
                try:
                    async with listening(client, token):
                        break
                except AssertionError:
                    await asyncio.sleep(0.05)
