"""Tickets in the console: an agent turns a conversation into a ticket, replies publicly, and the
requester's signed page (a second browser page) shows the replies live, without a reload, keeping
what the requester is typing; the ticket list shows the SLA badge."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

pytest.importorskip("playwright")

from playwright.async_api import expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import (
    LONG,
    ask_for_person,
    console_login,
    contact_says,
    conversation_of,
    open_widget,
)

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1400, "height": 900}
AGENT = "agent3@demo.kefu.dev"
REPLY = "We have refunded order A123 <b>today</b>."
API_REPLY = "The bank needs 3 working days."
DRAFT = "Thank you, I will check my"


async def test_ticket_from_conversation_replies_reach_the_portal_page_live(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    admin = demo.login("admin@demo.kefu.dev")
    admin.post(
        "/sla-policies",
        json={"name": "e2e standard", "first_response_minutes": 60, "resolution_minutes": 480},
    ).raise_for_status()
    contact_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    agent_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        contact = await contact_ctx.new_page()
        await open_widget(contact, demo)
        await ask_for_person(contact)
        await contact_says(contact, "My refund for order A123 has not arrived")
        conv_id = await conversation_of(contact, demo)
        agent_api = demo.login(AGENT)
        me = agent_api.get("/me").json()
        agent_api.post(
            f"/conversations/{conv_id}/assign", json={"assignee_id": me["id"]}
        ).raise_for_status()

        agent = await agent_ctx.new_page()
        await console_login(agent, demo, AGENT)
        await agent.goto(f"{demo.base}/conversations/{conv_id}")
        await agent.click("[data-test=create-ticket]")
        link = agent.locator("[data-test=conversation-ticket]")
        await expect(link).to_contain_text("Ticket #", timeout=LONG)
        await shots.take(agent, "ticket-created-from-conversation")
        await link.click()
        await agent.wait_for_url(re.compile(r"/tickets/[0-9a-f-]{36}$"), timeout=LONG)
        ticket_id = agent.url.rsplit("/", 1)[1]
        await expect(agent.locator("[data-test=ticket-subject]")).to_have_text(
            "My refund for order A123 has not arrived", timeout=LONG
        )
        await expect(agent.locator("[data-test=ticket-conversation]")).to_be_visible()

        portal_url = agent_api.get(f"/tickets/{ticket_id}/portal-link").json()["url"]
        requester = await contact_ctx.new_page()
        await requester.goto(portal_url)
        await expect(requester.locator("h1")).to_contain_text("My refund for order A123")
        assert await requester.locator(".r").count() == 1  # only the description so far
        await requester.fill("textarea#b", DRAFT)  # the requester is typing while agents answer

        await agent.fill("textarea[data-test=reply-body], [data-test=reply-body] textarea", REPLY)
        await agent.click("[data-test=reply-send]")
        await expect(
            agent.locator("[data-test=ticket-timeline] [data-public=true]").last
        ).to_contain_text(REPLY, timeout=LONG)
        await shots.take(agent, "public-reply-in-timeline")

        # no reload: the page hears the reply (event stream) and re-renders it, as text
        await expect(requester.locator(".r").last).to_contain_text(REPLY, timeout=LONG)
        assert await requester.locator(".r b").count() == 0  # shown as text
        agent_api.post(
            f"/tickets/{ticket_id}/comments", json={"body": API_REPLY}
        ).raise_for_status()
        await expect(requester.locator(".r").last).to_contain_text(API_REPLY)
        await expect(requester.locator("textarea#b")).to_have_value(DRAFT)
        await shots.take(requester, "requester-page-shows-the-reply")

        await agent.click("text=Back to the list")
        row_link = agent.locator(f"[data-ticket-id='{ticket_id}']")
        await expect(row_link).to_be_visible(timeout=LONG)
        row = agent.locator(".el-table__row", has=row_link)
        badge = row.locator(".sla-badge")
        await expect(badge).to_have_attribute("data-sla", "ok", timeout=LONG)
        await expect(badge).to_contain_text(re.compile(r"\d+h( \d+m)? left"))
        await shots.take(agent, "ticket-list-with-sla-badge")
    finally:
        await contact_ctx.close()
        await agent_ctx.close()


async def test_admin_deletes_an_sla_policy(demo: Demo, browser: Any, shots: Shots) -> None:
    admin_api = demo.login("admin@demo.kefu.dev")
    created = admin_api.post(
        "/sla-policies", json={"name": "e2e temporary", "first_response_minutes": 30}
    )
    created.raise_for_status()
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        page = await ctx.new_page()
        await console_login(page, demo, "admin@demo.kefu.dev")
        await page.goto(f"{demo.base}/admin/sla")
        row = page.locator(".el-table__row", has_text="e2e temporary")
        await expect(row).to_be_visible(timeout=LONG)
        await row.locator("[data-test=delete-policy]").click()
        await expect(page.locator(".el-message-box")).to_contain_text("e2e temporary")
        await shots.take(page, "sla-policy-delete-confirm")
        await page.locator(".el-message-box__btns .el-button--primary").click()
        await expect(row).to_have_count(0, timeout=LONG)
        names = [p["name"] for p in admin_api.get("/sla-policies").json()]
        assert "e2e temporary" not in names
    finally:
        await ctx.close()


async def _first_delivery(api: Any, hook_id: str) -> dict[str, Any]:
    """Waits for the in-process delivery pass (every 5 s) to log a POST of the endpoint."""
    for _ in range(LONG // 200):
        items = api.get(f"/webhooks/{hook_id}/deliveries").json()["items"]
        if items:
            return dict(items[-1])
        await asyncio.sleep(0.2)
    raise AssertionError("no delivery was logged")


async def test_admin_manages_a_webhook(demo: Demo, browser: Any, shots: Shots) -> None:
    admin_api = demo.login("admin@demo.kefu.dev")
    # a loopback receiver: every POST is refused at once (`outbound_blocked`) and logged
    url = f"{demo.base}/kefu-e2e-hook"
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        page = await ctx.new_page()
        await console_login(page, demo, "admin@demo.kefu.dev")
        await page.goto(f"{demo.base}/admin/webhooks")
        await page.click("[data-test=add-webhook]")
        await page.fill("input[data-test=webhook-url], [data-test=webhook-url] input", url)
        types = "textarea[data-test=webhook-types], [data-test=webhook-types] textarea"
        await page.fill(types, "ticket.*, alert.raised")
        await page.click("[data-test=save-webhook]")
        shown = page.locator("[data-test=webhook-secret]")
        await expect(shown).to_contain_text("whsec_", timeout=LONG)
        await shots.take(page, "webhook-secret-shown-once")
        first_secret = (await shown.inner_text()).strip()
        await page.click("[data-test=secret-done]")
        row = page.locator(".el-table__row", has_text=url)
        # rotating asks how long the old secret keeps signing, then shows the new one once
        await row.locator("[data-test=rotate-webhook-secret]").click()
        await page.click("[data-test=rotate-grace]")
        await page.locator(".el-select-dropdown__item", has_text="24 hours").click()
        await page.click("[data-test=rotate-confirm]")
        await expect(shown).to_contain_text("whsec_", timeout=LONG)
        assert (await shown.inner_text()).strip() not in ("", first_secret)
        await page.click("[data-test=secret-done]")
        await expect(row).to_contain_text("alert.raised", timeout=LONG)
        await expect(row).to_contain_text("Nothing delivered yet")
        await expect(row.locator("[data-test=webhook-grace]")).to_contain_text("also signs until")
        (hook,) = [h for h in admin_api.get("/webhooks").json() if h["url"] == url]
        assert hook["event_types"] == ["ticket.*", "alert.raised"] and hook["enabled"]
        assert hook["previous_secret_until"] is not None
        assert "secret" not in hook  # the list never shows it

        # a ticket event is sent; the deliveries drawer lists the attempt, redeliver adds a row
        ticket = {"subject": "e2e webhook", "requester_email": "hook-e2e@example.com"}
        admin_api.post("/tickets", json=ticket).raise_for_status()
        logged = await _first_delivery(admin_api, hook["id"])
        assert logged["event_type"] == "ticket.created" and logged["error"] == "outbound_blocked"
        await row.locator("[data-test=webhook-deliveries-open]").click()
        deliveries = page.locator("[data-test=delivery-row]")
        await expect(deliveries.first).to_contain_text("ticket.created", timeout=LONG)
        await expect(deliveries.first).to_contain_text("outbound_blocked")
        count = await deliveries.count()
        await deliveries.last.locator("[data-test=redeliver]").click()
        await expect(deliveries).to_have_count(count + 1, timeout=LONG)
        await expect(deliveries.first.locator("[data-test=delivery-redelivery]")).to_be_visible()
        await shots.take(page, "webhook-deliveries")
        await page.locator(".el-drawer__close-btn").click()
        await expect(page.locator("[data-test=webhook-deliveries]")).to_have_count(0, timeout=LONG)

        await row.locator("[data-test=webhook-enabled]").click()
        switch = row.locator(".el-switch")
        await expect(switch).not_to_have_class(re.compile(r"is-checked"), timeout=LONG)
        assert admin_api.get(f"/webhooks/{hook['id']}").json()["enabled"] is False
        await row.locator("[data-test=delete-webhook]").click()
        await page.locator(".el-message-box__btns .el-button--primary").click()
        await expect(row).to_have_count(0, timeout=LONG)
        assert all(h["url"] != url for h in admin_api.get("/webhooks").json())
    finally:
        await ctx.close()
