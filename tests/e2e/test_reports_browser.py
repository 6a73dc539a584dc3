"""Reports and live alerts in the browser: a supervisor sees the report charts render and exports
them; an alert rule that starts to hold raises a banner live, and the monitor lists it."""

from __future__ import annotations

import re
from typing import Any

import anyio
import httpx
import pytest

pytest.importorskip("playwright")
from playwright.async_api import Page, expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import LONG, console_login

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1400, "height": 900}
SUPERVISOR = "supervisor@demo.kefu.dev"
JOB = 60_000  # ms: the alert pass runs every 15 s on a busy machine


def _waiting_contact(demo: Demo) -> str:
    """A contact asks for a person while nobody is online: it waits in the queue (earlier
    browser tests may have left agents online, so every demo agent steps away first)."""
    for agent in ("agent1", "agent2", "agent3"):
        away = demo.login(f"{agent}@demo.kefu.dev").put("/presence", json={"status": "away"})
        away.raise_for_status()
    with httpx.Client(base_url=f"{demo.base}/api/v1", timeout=30) as c:
        body = {"widget_key": demo.widget_key, "locale": "en"}
        session = c.post("/widget/sessions", json=body)
        session.raise_for_status()
        c.headers["Authorization"] = f"Bearer {session.json()['contact_token']}"
        c.post("/widget/messages", json={"client_msg_id": "e2e-alert", "body": "Hello"})
        handoff = c.post("/widget/handoff")
        handoff.raise_for_status()
        return str(handoff.json()["conversation_id"])


async def _download(page: Page, selector: str) -> tuple[str, bytes]:
    async with page.expect_download() as info:
        await page.click(selector)
    download = await info.value
    return download.suggested_filename, await anyio.Path(str(await download.path())).read_bytes()


async def test_reports_render_and_export_and_an_alert_raises_the_banner(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    api = demo.login(SUPERVISOR)
    conversation_id = _waiting_contact(demo)
    rule = {"name": "E2E queue building", "metric": "waiting", "threshold": 0}
    rule_id = api.post("/analytics/alert-rules", json=rule).json()["id"]
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-US", accept_downloads=True)
    try:
        page = await ctx.new_page()
        await console_login(page, demo, SUPERVISOR)
        await page.click("[data-nav=reports]")
        conversations = page.locator("[data-test=kpis] [data-metric=conversations]")
        await expect(conversations).to_contain_text("Conversations", timeout=LONG)
        for chart in ("volume", "heatmap", "breakdown"):
            await expect(page.locator(f"[data-test={chart}] canvas").first).to_be_visible()
        await page.hover("[data-metric=service_level] [data-test=definition]")
        await expect(page.get_by_role("tooltip")).to_contain_text("within T seconds")
        await shots.take(page, "reports")

        name, body = await _download(page, "[data-export=summary-csv]")
        assert re.fullmatch(r"kefu-summary-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv", name)
        assert body.decode("utf-8-sig").startswith("metric,value,previous")
        name, body = await _download(page, "[data-export=volume-xlsx]")
        assert name.endswith(".xlsx") and body[:2] == b"PK"

        banner = page.locator("[data-test=alert-banner]")
        await expect(banner).to_contain_text("E2E queue building", timeout=JOB)
        await shots.take(page, "alert-banner")
        await page.click("[data-nav=monitor]")
        await expect(page.locator("[data-test=active-alerts]")).to_contain_text(
            "E2E queue building"
        )
        await expect(page.locator("[data-test=service-level]")).to_be_visible()
        await shots.take(page, "monitor-alerts")
    finally:
        api.delete(f"/analytics/alert-rules/{rule_id}")
        api.post(f"/conversations/{conversation_id}/resolve")
        await ctx.close()
