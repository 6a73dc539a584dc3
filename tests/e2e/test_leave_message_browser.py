"""Outside business hours: a contact on /demo asks for a person, sees the off-hours notice and the
"Leave a message" action, leaves a message and gets the link to its status page; the team sees
the ticket. Business hours are switched off again afterwards (the demo server is shared)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

pytest.importorskip("playwright")

from playwright.async_api import expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import LONG, WIDGET, contact_says, contact_token, open_widget

pytestmark = pytest.mark.e2e

ALL_DAY = {str(d): [{"start": "00:00", "end": "24:00"}] for d in range(7)}
AWAY = "节日休息中。请留言，我们明天回复您。"  # the demo page is zh-CN
MESSAGE = "订单 B777 的包裹还没到。\n请今天 <b>发邮件</b> 给我。"


def _close_today(admin: httpx.Client) -> None:
    zone = admin.get("/business-hours").json()["timezone"]
    today = datetime.now(ZoneInfo(zone)).date().isoformat()
    body = {
        "enabled": True,
        "weekly": ALL_DAY,
        "holidays": [{"date": today, "name": "e2e holiday"}],
        "off_hours_message": {"en": "Closed for the holiday.", "zh-CN": AWAY},
    }
    admin.put("/business-hours", json=body).raise_for_status()


async def _leave_queue(demo: Demo, token: str) -> None:
    async with httpx.AsyncClient(base_url=f"{demo.base}/api/v1", timeout=30) as c:
        await c.post("/widget/leave", headers={"Authorization": f"Bearer {token}"})


async def test_closed_contact_leaves_a_message_and_gets_its_status_link(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    admin = demo.login("admin@demo.kefu.dev")
    _close_today(admin)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    token = None
    try:
        page = await ctx.new_page()
        await open_widget(page, demo)
        w = page.locator(WIDGET)
        await expect(w.locator(".panel__leave")).to_be_visible(timeout=LONG)
        await expect(w.locator(".panel__subtitle")).to_contain_text("客服暂时不在线 · ")
        token = await contact_token(page, demo)
        await contact_says(page, "转人工")
        await expect(w.locator(".msg--bot .msg__bubble").last).to_have_text(
            "我已把您的问题转给人工客服。", timeout=LONG
        )
        notice = w.locator(".msg--system .msg__bubble", has_text=AWAY)
        await expect(notice).to_have_count(1, timeout=LONG)
        offer = w.locator(".leave-offer button")
        await expect(offer).to_be_visible()
        await shots.take(page, "off-hours-notice-and-offer")

        await offer.click()
        form = w.locator(".leave")
        await expect(form).to_be_visible()
        await expect(w.locator(".composer")).to_be_hidden()
        await form.locator("[name=email]").fill("not an email")
        await form.locator(".leave__submit").click()
        await expect(form.locator(".leave__error").first).to_have_text("请填写留言内容。")
        await shots.take(page, "form-validation")
        await form.locator("[name=message]").fill(MESSAGE)
        await form.locator("[name=name]").fill("王<i>芳</i>")
        await form.locator("[name=email]").fill("wang.fang@example.com")
        await form.locator(".leave__submit").click()
        link = form.locator("a.leave__link")
        await expect(link).to_be_visible(timeout=LONG)
        await expect(form.locator(".leave__done")).to_contain_text("我们已收到（编号 #")
        href = await link.get_attribute("href")
        assert href and f"{demo.base}/portal/tickets/" in href
        assert await link.get_attribute("rel") == "noopener noreferrer"
        assert await w.locator("b, i").count() == 0
        await shots.take(page, "confirmation-with-link")

        tickets = admin.get("/tickets", params={"q": "B777"}).json()["items"]
        assert len(tickets) == 1, tickets
        ticket = tickets[0]
        assert ticket["subject"] == "订单 B777 的包裹还没到。"
        assert ticket["description"] == MESSAGE and ticket["channel"] == "widget"
        requester = admin.get(f"/contacts/{ticket['requester_id']}").json()
        assert requester["email"] == "wang.fang@example.com"

        status_page = await ctx.new_page()
        await status_page.goto(href)
        await expect(status_page.locator("h1")).to_contain_text("B777")
        await shots.take(status_page, "status-page")

        await form.locator(".leave__back").click()
        await expect(w.locator(".composer")).to_be_visible()
        await expect(notice).to_have_count(1)
    finally:
        if token:
            await _leave_queue(demo, token)
        await ctx.close()
        admin.put("/business-hours", json={"enabled": False, "weekly": {}}).raise_for_status()
