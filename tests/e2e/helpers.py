"""Small steps shared by the browser tests (console and widget)."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import Page, expect

from tests.e2e.conftest import Demo

WIDGET = "#kefu-widget"
LONG = 30_000  # ms: live updates on a busy CI machine


async def console_login(page: Page, demo: Demo, email: str) -> None:
    await page.goto(f"{demo.base}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[type=password]", demo.password)
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{demo.base}/", timeout=LONG)
    await expect(page.locator(".topbar")).to_contain_text("Connected", timeout=LONG)


async def open_widget(page: Page, demo: Demo) -> None:
    await page.goto(f"{demo.base}/demo")
    await page.click(f"{WIDGET} .launcher")
    await expect(page.locator(f"{WIDGET} .panel")).to_be_visible()


async def contact_says(page: Page, text: str) -> None:
    await page.fill(f"{WIDGET} .composer__input", text)
    await page.press(f"{WIDGET} .composer__input", "Enter")


async def contact_token(page: Page, demo: Demo) -> str:
    key = f"kefu:widget:{demo.widget_key}:contact_token"
    token: str | None = await page.evaluate("k => localStorage.getItem(k)", key)
    assert token, "the widget keeps its contact token"
    return token


async def conversation_of(page: Page, demo: Demo) -> str:
    """The id of the widget contact's current conversation (via the contact's own API)."""
    token = await contact_token(page, demo)
    async with httpx.AsyncClient(base_url=f"{demo.base}/api/v1", timeout=30) as c:
        r = await c.get("/widget/queue", headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()
        conversation_id = r.json()["conversation_id"]
    assert conversation_id
    return str(conversation_id)


async def ask_for_person(page: Page) -> None:
    await page.click(f"{WIDGET} .handoff")
    await expect(page.locator(f"{WIDGET} .handoff")).to_be_hidden(timeout=LONG)


def widget_bubbles(page: Page) -> Any:
    """Message bubbles of the conversation (not the greeting, not system notices)."""
    return page.locator(f"{WIDGET} .msg:not(.msg--system):not(.greeting) .msg__bubble")


async def pwned(page: Page) -> Any:
    return await page.evaluate("() => window.__pwned")
