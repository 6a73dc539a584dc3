"""Quality inspection in the browser: a supervisor opens an inspected conversation, sees the
forbidden phrase highlighted in the agent's reply and overrides the score with a comment; the
agent then sees its own result with the review."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

pytest.importorskip("playwright")
from playwright.async_api import expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import LONG, console_login

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1400, "height": 900}
SUPERVISOR = "supervisor@demo.kefu.dev"
AGENT = "agent1@demo.kefu.dev"
PHRASE = "no idea"
INSPECTION = 75  # s: the job runs every 20 s; allow a busy machine


def _served_conversation(demo: Demo) -> str:
    """A contact writes, agent1 takes the conversation, replies with the phrase and resolves."""
    agent = demo.login(AGENT)
    me = agent.get("/me").json()["id"]
    with httpx.Client(base_url=f"{demo.base}/api/v1", timeout=30) as c:
        session = c.post("/widget/sessions", json={"widget_key": demo.widget_key, "locale": "en"})
        session.raise_for_status()
        c.headers["Authorization"] = f"Bearer {session.json()['contact_token']}"
        sent = c.post("/widget/messages", json={"client_msg_id": "e2e-qa", "body": "Where is it?"})
        sent.raise_for_status()
        cid = str(sent.json()["conversation_id"])
    agent.post(f"/conversations/{cid}/assign", json={"assignee_id": me}).raise_for_status()
    reply = {"client_msg_id": f"qa-{uuid.uuid4()}", "body": f"Hello! Sorry, I have {PHRASE}."}
    agent.post(f"/conversations/{cid}/messages", json=reply).raise_for_status()
    agent.post(f"/conversations/{cid}/resolve").raise_for_status()
    return cid


def _inspected(api: httpx.Client, cid: str) -> dict[str, Any]:
    deadline = time.monotonic() + INSPECTION
    while time.monotonic() < deadline:
        r = api.get(f"/conversations/{cid}/quality")
        if r.status_code == 200:
            body: dict[str, Any] = r.json()
            return body
        time.sleep(1)
    raise AssertionError("the conversation was not inspected in time")


async def test_supervisor_overrides_a_highlighted_hit_and_the_agent_sees_it(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    api = demo.login(SUPERVISOR)
    rule = {
        "kind": "forbidden_phrase",
        "name": "E2E forbidden",
        "params": {"phrases": [PHRASE]},
        "weight": 25,
    }
    api.post("/quality/rules", json=rule).raise_for_status()
    cid = _served_conversation(demo)
    result = _inspected(api, cid)
    assert result["score"] <= 75 and any(h["name"] == "E2E forbidden" for h in result["hits"])

    ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        page = await ctx.new_page()
        await console_login(page, demo, SUPERVISOR)
        await page.click("[data-nav=quality]")
        await expect(page.locator("[data-test=qa-results] tbody tr").first).to_be_visible(
            timeout=LONG
        )
        await page.goto(f"{demo.base}/quality?result={result['id']}")
        detail = page.locator("[data-test=qa-detail]")
        mark = detail.locator("mark.qa-mark", has_text=PHRASE)
        await expect(mark).to_have_text(PHRASE, timeout=LONG)
        await expect(detail.locator("[data-test=qa-breakdown]")).to_contain_text("E2E forbidden")
        await expect(detail.locator("[data-test=qa-review-state]")).to_have_text("Not reviewed")
        await shots.take(page, "supervisor-highlight")

        await detail.locator("[data-test=qa-review-score] input").fill("90")
        await detail.locator("[data-test=qa-review-comment]").fill(
            "The contact asked something off-topic"
        )
        await detail.locator("[data-test=qa-review-submit]").click()
        await expect(detail.locator("[data-test=qa-review-state]")).to_have_text(
            "Reviewed", timeout=LONG
        )
        await expect(detail.locator("[data-test=qa-final-score]")).to_have_text("90")
        await shots.take(page, "supervisor-reviewed")
        stored = api.get(f"/conversations/{cid}/quality").json()
        assert stored["override_score"] == 90 and stored["reviewed"] is True

        agent_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
        try:
            agent_page = await agent_ctx.new_page()
            await console_login(agent_page, demo, AGENT)
            await agent_page.click("[data-nav=quality]")
            await expect(agent_page.locator("h2")).to_have_text("My quality results")
            await expect(agent_page.locator("[data-test=qa-filter-agent]")).to_have_count(0)
            row = agent_page.locator("[data-test=qa-results] tbody tr", has_text="90")
            await row.first.click(timeout=LONG)
            mine = agent_page.locator("[data-test=qa-detail]")
            await expect(mine).to_contain_text("The contact asked something off-topic")
            await expect(mine.locator("mark.qa-mark", has_text=PHRASE)).to_be_visible()
            await expect(mine.locator("[data-test=qa-review]")).to_have_count(0)
            await shots.take(agent_page, "agent-own-result")
        finally:
            await agent_ctx.close()
    finally:
        await ctx.close()
