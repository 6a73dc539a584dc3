"""The knowledge base learns in the console: questions the demo shop's bot could not answer show
up grouped under Knowledge → Learn from unanswered; the admin adds one group to an existing FAQ
and makes a new FAQ from another; each leaves the list, its wordings now similar questions."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

pytest.importorskip("playwright")

from playwright.async_api import expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import LONG, console_login

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1400, "height": 900}
ADMIN = "admin@demo.kefu.dev"
# Off-topic for an online shop, far below the bot's thresholds (confidence about 0.19)
FOOTBALL = ("昨天足球比赛谁赢了", "昨晚的足球比赛谁赢了", "谁赢了昨天的足球赛")
MOVIES = ("推荐一部好看的电影", "最近有什么好电影")


def contact_asks(demo: Demo, text: str) -> None:
    """`text` from a new widget contact; returns once the bot replied."""
    with httpx.Client(base_url=f"{demo.base}/api/v1", timeout=60) as c:
        session = c.post(
            "/widget/sessions", json={"widget_key": demo.widget_key, "locale": "zh-CN"}
        )
        session.raise_for_status()
        c.headers["Authorization"] = f"Bearer {session.json()['contact_token']}"
        c.post("/widget/messages", json={"client_msg_id": text, "body": text}).raise_for_status()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            items = c.get("/widget/messages", params={"after_seq": 0}).json()["items"]
            if any(m["sender_type"] == "bot" for m in items):
                return
            time.sleep(0.3)
    raise AssertionError(f"the bot did not reply to {text!r}")


def cluster_of(api: httpx.Client, text: str) -> dict[str, Any] | None:
    items = api.get("/bot/learning").json()["items"]
    return next((c for c in items if text in {e["text"] for e in c["examples"]}), None)


async def test_admin_adds_unanswered_questions_to_an_faq(
    demo: Demo, browser: Any, shots: Shots
) -> None:
    for text in (*FOOTBALL, *MOVIES):
        contact_asks(demo, text)
    api = demo.login(ADMIN)
    expected, movie_group = cluster_of(api, FOOTBALL[0]), cluster_of(api, MOVIES[1])
    assert expected is not None and movie_group is not None, "the API lists them"
    faq = {"question_zh": "能聊体育比赛吗？", "answer_zh": "抱歉，我们只能回答购物相关的问题。"}
    created = api.post("/kb/faqs", json=faq)
    created.raise_for_status()
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        page = await ctx.new_page()
        await console_login(page, demo, ADMIN)
        await page.goto(f"{demo.base}/admin/kb")
        await page.get_by_role("tab", name="Learn from unanswered").click()
        card = page.locator("[data-test=learning-cluster]", has_text=FOOTBALL[0])
        await expect(card).to_be_visible(timeout=LONG)
        for text in {e["text"] for e in expected["examples"]}:
            await expect(card).to_contain_text(text)
        count = card.locator("[data-test=learning-count]")
        await expect(count).to_have_text(f"{expected['count']}×")
        await shots.take(page, "kb-learning-list")
        await card.locator("[data-test=learning-faq]").click()
        await page.keyboard.type("体育")
        await page.locator(".el-select-dropdown__item:visible", has_text=faq["question_zh"]).click()
        await card.locator("[data-test=learning-take]").click()
        await expect(page.locator(".el-message--success")).to_contain_text("publish", timeout=LONG)
        await expect(card).to_have_count(0, timeout=LONG)
        saved = api.get(f"/kb/faqs/{created.json()['id']}").json()
        assert {e["text"] for e in expected["examples"]} <= set(saved["similar_zh"])
        assert cluster_of(api, FOOTBALL[0]) is None

        # a new FAQ from the movie questions: the group's first wording is its question
        movies = page.locator("[data-test=learning-cluster]", has_text=MOVIES[1])
        await movies.locator("[data-test=learning-new]").click()
        question = await page.locator("[data-test=learning-new-question]").input_value()
        answer = "我们只卖商品，不推荐电影。"
        await page.fill("[data-test=learning-new-answer]", answer)
        await page.click("[data-test=learning-create]")
        await expect(page.locator(".el-message--success").last).to_contain_text("FAQ created")
        await expect(movies).to_have_count(0, timeout=LONG)
        faqs = api.get("/kb/faqs", params={"q": question}).json()["items"]
        (made,) = [f for f in faqs if f["question_zh"] == question]
        assert made["answer_zh"] == answer
        assert {*made["similar_zh"], question} >= {e["text"] for e in movie_group["examples"]}
    finally:
        await ctx.close()
