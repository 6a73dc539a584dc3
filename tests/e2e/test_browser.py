"""A contact on /demo and an agent in the console, in two real browser contexts.

Ordered so the bot's index (built in the background from the fixture's warm-up message) is ready
by the time the bot scenario runs; the first two scenarios hand off to a person at once.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytest.importorskip("playwright")

from playwright.async_api import expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import (
    LONG,
    WIDGET,
    ask_for_person,
    console_login,
    contact_says,
    conversation_of,
    open_widget,
    pwned,
    widget_bubbles,
)

pytestmark = pytest.mark.e2e

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


async def test_html_payloads_render_as_text(demo: Demo, browser: Any, shots: Shots) -> None:
    contact_ctx = await browser.new_context(viewport=DESKTOP, locale="zh-CN")
    agent_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        contact = await contact_ctx.new_page()
        await open_widget(contact, demo)
        await ask_for_person(contact)
        await contact_says(contact, PAYLOAD)
        await expect(widget_bubbles(contact).last).to_have_text(PAYLOAD, timeout=LONG)

        conv_id = await conversation_of(contact, demo)
        agent_api = demo.login("agent1@demo.kefu.dev")
        me = agent_api.get("/me").json()
        agent_api.post(
            f"/conversations/{conv_id}/assign", json={"assignee_id": me["id"]}
        ).raise_for_status()
        conv = agent_api.get(f"/conversations/{conv_id}").json()
        agent_api.patch(
            f"/contacts/{conv['contact']['id']}",
            json={"name": PAYLOAD, "tags": [PAYLOAD], "attributes": {"note": PAYLOAD}},
        ).raise_for_status()
        agent_api.put(f"/conversations/{conv_id}/tags", json={"tags": [PAYLOAD]}).raise_for_status()
        for client_id, private in (("note-1", True), ("reply-1", False)):
            agent_api.post(
                f"/conversations/{conv_id}/messages",
                json={"client_msg_id": client_id, "body": PAYLOAD + "<b>x</b>", "private": private},
            ).raise_for_status()

        agent = await agent_ctx.new_page()
        await console_login(agent, demo, "agent1@demo.kefu.dev")
        await expect(
            agent.locator(f".row[data-conversation-id='{conv_id}'] .row__name")
        ).to_have_text(PAYLOAD, timeout=LONG)
        await agent.goto(f"{demo.base}/conversations/{conv_id}")
        await expect(agent.locator(".head__name")).to_have_text(PAYLOAD, timeout=LONG)
        bubbles = agent.locator(".msg__bubble")
        await expect(bubbles).to_have_count(3, timeout=LONG)  # the contact's, the note, the reply
        assert await bubbles.all_text_contents() == [
            PAYLOAD,
            PAYLOAD + "<b>x</b>",
            PAYLOAD + "<b>x</b>",
        ]
        await expect(agent.locator(".msg--private")).to_have_count(1)
        await expect(agent.locator("[data-test=contact-panel]")).to_contain_text(PAYLOAD)
        assert await agent.locator("img[src=x], .msg__bubble b, .msg__bubble script").count() == 0
        await shots.take(agent, "console-shows-payloads-as-text")

        await expect(widget_bubbles(contact)).to_have_count(
            2, timeout=LONG
        )  # the private note never reaches it
        assert await widget_bubbles(contact).all_text_contents() == [PAYLOAD, PAYLOAD + "<b>x</b>"]
        assert await contact.locator(f"{WIDGET} img, {WIDGET} .msg__bubble b").count() == 0
        await shots.take(contact, "widget-shows-payloads-as-text")
        assert await pwned(agent) is None
        assert await pwned(contact) is None
    finally:
        await contact_ctx.close()
        await agent_ctx.close()


async def test_network_drop_loses_and_doubles_nothing(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    ctx = await browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        contact = await ctx.new_page()
        await open_widget(contact, demo)
        await ask_for_person(contact)
        await contact_says(contact, "before the drop")
        await expect(widget_bubbles(contact)).to_have_count(1, timeout=LONG)
        conv_id = await conversation_of(contact, demo)
        agent = demo.login("agent2@demo.kefu.dev")
        me = agent.get("/me").json()
        agent.post(
            f"/conversations/{conv_id}/assign", json={"assignee_id": me["id"]}
        ).raise_for_status()

        def reply(n: int, text: str) -> None:
            agent.post(
                f"/conversations/{conv_id}/messages",
                json={"client_msg_id": f"drop-{n}", "body": text, "private": False},
            ).raise_for_status()

        reply(1, "agent: hello")
        await expect(widget_bubbles(contact)).to_have_count(2, timeout=LONG)
        await shots.take(contact, "before-drop")

        await ctx.set_offline(True)
        reply(2, "agent: while you were away 1")
        reply(3, "agent: while you were away 2")
        await contact_says(contact, "typed while offline")
        await expect(contact.locator(f"{WIDGET} .msg--failed")).to_have_count(1, timeout=LONG)
        await shots.take(contact, "offline-message-not-sent")

        await ctx.set_offline(False)
        await contact.evaluate("() => window.dispatchEvent(new Event('online'))")
        await expect(widget_bubbles(contact)).to_have_count(
            5, timeout=LONG
        )  # 4 delivered + the failed one
        await contact.click(f"{WIDGET} .msg--failed .link")
        expected = [
            "before the drop",
            "agent: hello",
            "agent: while you were away 1",
            "agent: while you were away 2",
            "typed while offline",
        ]
        await expect(
            contact.locator(f"{WIDGET} .msg--failed, {WIDGET} .msg--pending")
        ).to_have_count(0, timeout=LONG)
        await expect(widget_bubbles(contact)).to_have_text(expected, timeout=LONG)
        await shots.take(contact, "back-online-nothing-lost")

        # Reloading rebuilds the list from the server: still exactly once each.
        await contact.reload()
        await contact.click(f"{WIDGET} .launcher")
        await expect(widget_bubbles(contact)).to_have_text(expected, timeout=LONG)
        bodies = [
            m["body"] for m in agent.get(f"/conversations/{conv_id}/messages").json()["items"]
        ]
        assert [b for b in bodies if b in expected] == expected
    finally:
        await ctx.close()


async def test_supervisor_monitor_shows_the_queue_and_reassigns(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    contact_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    sup_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        # An agent with a presence makes the tenant route by presence (and announce queue places).
        demo.login("agent1@demo.kefu.dev").put(
            "/presence", json={"status": "away"}
        ).raise_for_status()
        contact = await contact_ctx.new_page()
        await open_widget(contact, demo)
        await ask_for_person(contact)  # nobody is online: it waits in the queue
        await expect(contact.locator(f"{WIDGET} .queue")).to_contain_text("第 1 位", timeout=LONG)
        await shots.take(contact, "contact-waits-first-in-line")
        conv_id = await conversation_of(contact, demo)
        supervisor_api = demo.login("supervisor@demo.kefu.dev")
        conv = supervisor_api.get(f"/conversations/{conv_id}").json()
        assert conv["status"] == "queued"
        supervisor_api.patch(
            f"/contacts/{conv['contact']['id']}", json={"name": "Monitor 监控"}
        ).raise_for_status()

        sup = await sup_ctx.new_page()
        await console_login(sup, demo, "supervisor@demo.kefu.dev")
        await sup.click("[data-nav=monitor]")
        row = sup.locator(".el-table__row", has_text="Monitor 监控")
        await expect(row).to_contain_text("Queued", timeout=LONG)
        assert int(await sup.locator("[data-test=waiting] .card__n").inner_text()) >= 1
        await shots.take(sup, "monitor-queue")

        await row.locator(".el-checkbox").click()
        await sup.click("[data-test=reassign-target]")
        await sup.get_by_role("option", name=re.compile("Wang Wei")).click()
        await sup.click("[data-test=reassign]")
        await expect(row).to_contain_text("Wang Wei", timeout=LONG)
        await shots.take(sup, "monitor-reassigned")
        agent2 = next(
            u for u in supervisor_api.get("/users").json() if u["email"] == "agent2@demo.kefu.dev"
        )
        assert supervisor_api.get(f"/conversations/{conv_id}").json()["assignee_id"] == agent2["id"]
    finally:
        await contact_ctx.close()
        await sup_ctx.close()


async def test_bot_answer_handoff_agent_reply_resolve_and_rating(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    agent_ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    contact_ctx = await browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True
    )
    try:
        agent = await agent_ctx.new_page()
        await console_login(agent, demo, "agent3@demo.kefu.dev")
        await agent.click("[data-test=presence]")
        await agent.get_by_role("option", name="Online").click()
        await expect(agent.locator("[data-test=presence]")).to_contain_text("Online")
        await shots.take(agent, "agent-online")

        contact = await contact_ctx.new_page()
        await open_widget(contact, demo)
        panel = await contact.locator(f"{WIDGET} .panel").bounding_box()
        assert panel is not None and panel["width"] == PHONE["width"], "full screen at phone width"
        await contact_says(contact, "怎么退货？")
        answer = contact.locator(f"{WIDGET} .msg--bot .msg__bubble").last
        await expect(answer).to_contain_text(
            "退", timeout=150_000
        )  # the bot's index may still be building
        await shots.take(contact, "bot-answers")
        await contact.click(f"{WIDGET} .feedback__btn[data-helpful='true']")
        await expect(contact.locator(f"{WIDGET} .feedback").last).to_contain_text("感谢")

        await ask_for_person(contact)
        conv_id = await conversation_of(contact, demo)
        await shots.take(contact, "asked-for-a-person")

        row = agent.locator(f".row[data-conversation-id='{conv_id}']")
        await expect(row).to_be_visible(timeout=LONG)  # routed to the only online agent, live
        await shots.take(agent, "conversation-arrives")
        await row.click()

        composer = agent.locator("textarea[data-test=composer], [data-test=composer] textarea")
        insert = agent.locator("[data-test=insert-suggestion]").first
        await expect(insert).to_be_visible(timeout=LONG)
        await insert.click()
        reply = await composer.input_value()
        assert reply.strip(), "the suggestion went into the composer"
        await shots.take(agent, "suggestion-inserted")
        await agent.click("[data-test=send]")
        await expect(agent.locator(".msg--agent .msg__status").last).to_contain_text(
            "Delivered", timeout=LONG
        )

        first_line = reply.strip().splitlines()[0].replace("**", "")
        await expect(contact.locator(f"{WIDGET} .msg--agent .msg__bubble").last).to_contain_text(
            first_line[:12], timeout=LONG
        )
        await shots.take(contact, "contact-sees-reply")

        # The contact sends a file; the agent sees it and answers with a file and a /quick reply.
        await contact.locator(f"{WIDGET} input[type=file]").set_input_files(
            files=[
                {"name": "receipt.txt", "mimeType": "text/plain", "buffer": "订单 1001".encode()}
            ]
        )
        await expect(agent.locator(".msg--contact .msg__file")).to_contain_text(
            "receipt.txt", timeout=LONG
        )
        await agent.locator("[data-test=attach-input]").set_input_files(
            files=[{"name": "label.txt", "mimeType": "text/plain", "buffer": b"return label"}]
        )
        await expect(agent.locator(".composer__files")).to_contain_text("label.txt", timeout=LONG)
        await composer.fill("/wai")
        await expect(agent.locator("[data-test=quick-replies]")).to_be_visible()
        await composer.press("Enter")  # picks /wait
        quick = await composer.input_value()
        assert quick.startswith("请稍等"), quick
        await agent.click("[data-test=send]")
        link = contact.locator(f"{WIDGET} .msg--agent .msg__file").last
        await expect(link).to_contain_text("label.txt", timeout=LONG)
        href = await link.get_attribute("href")
        assert href and "/api/v1/widget/attachments/" in href
        assert await (await contact.request.get(href)).text() == "return label"
        await shots.take(contact, "files-both-ways")

        await agent.click("[data-test=resolve]")
        await expect(agent.locator(".head")).to_contain_text("Resolved", timeout=LONG)
        csat = contact.locator(f"{WIDGET} form.csat")
        await expect(csat).to_be_visible(timeout=LONG)
        await shots.take(contact, "rating-form")
        await csat.locator(".csat__star[data-score='5']").click()
        await csat.locator(".csat__comment").fill("很快，谢谢！")
        await csat.locator(".csat__submit").click()
        await expect(csat).to_contain_text("感谢您的评价", timeout=LONG)
        await shots.take(contact, "rated")

        rating = demo.login("admin@demo.kefu.dev").get(f"/conversations/{conv_id}/csat").json()
        assert (rating["score"], rating["comment"]) == (5, "很快，谢谢！")
        await agent.reload()
        await expect(agent.locator("[data-test=contact-panel]")).to_contain_text(
            "很快，谢谢！", timeout=LONG
        )
        await shots.take(agent, "agent-sees-rating")
    finally:
        await agent_ctx.close()
        await contact_ctx.close()
