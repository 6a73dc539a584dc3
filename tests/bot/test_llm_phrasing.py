"""Optional LLM phrasing against a fake server that speaks the chat-completions protocol."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
import uvicorn
from fastapi import FastAPI, Request

from kefu.app import create_app
from kefu.core.settings import Settings
from tests.bot.test_conversation_bot import REFUND, bot_reply, bot_world
from tests.conftest import free_port
from tests.factories import Factory, Visitor

SEEN: list[dict[str, Any]] = []


def fake_llm() -> FastAPI:
    """Answers like a well-behaved model: cites FAQ-1 for refunds, refuses the weather,
    and forgets to cite for anything about invoices."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> dict[str, Any]:
        body = await request.json()
        SEEN.append({"auth": request.headers.get("authorization"), "body": body})
        question = body["messages"][-1]["content"].rsplit("Customer message:\n", 1)[-1]
        if "weather" in question:
            content = "NO_ANSWER"
        elif "invoice" in question:
            content = "Sure, you can get one."
        else:
            content = "Your refund arrives within 1–3 business days. [FAQ-1]"
        return {
            "id": "x",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }

    return app


async def _serve(app: FastAPI) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", ws_ping_interval=None))
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.02)
    return srv, task, port


@pytest_asyncio.fixture(loop_scope="session")
async def llm_kefu(settings: Settings) -> AsyncIterator[str]:
    """A kefu process configured with the (fake) LLM endpoint, on the same database."""
    llm_srv, llm_task, llm_port = await _serve(fake_llm())
    configured = settings.model_copy(
        update={
            "llm_base_url": f"http://127.0.0.1:{llm_port}/v1",
            "llm_model": "fake-1",
            "llm_api_key": "sk-test",
        }
    )
    srv, task, port = await _serve(create_app(configured))
    yield f"http://127.0.0.1:{port}"
    for s in (srv, llm_srv):
        s.should_exit = True
    await asyncio.gather(task, llm_task)


async def say(base: str, visitor: Visitor, text: str) -> int:
    async with httpx.AsyncClient(base_url=base) as c:
        r = await c.post(
            "/api/v1/widget/messages",
            json={"client_msg_id": text, "body": text},
            headers=visitor.headers,
        )
        seq: int = r.json()["seq"]
        return seq


async def test_llm_words_grounded_answers_and_refuses_the_rest(
    factory: Factory, client: httpx.AsyncClient, llm_kefu: str
) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    reply = await bot_reply(
        client, visitor, await say(llm_kefu, visitor, "when will I get my money back?")
    )
    assert reply["body"] == "Your refund arrives within 1–3 business days."
    call = SEEN[-1]
    assert call["auth"] == "Bearer sk-test" and call["body"]["model"] == "fake-1"
    assert REFUND["answer_en"] in call["body"]["messages"][-1]["content"], "grounded in the FAQ"

    uncited = await bot_reply(
        client, visitor, await say(llm_kefu, visitor, "can I have an invoice for my order")
    )
    assert uncited["body"] == "Open the order and choose “Request invoice”.", (
        "uncited output is not used"
    )

    refused = await bot_reply(
        client, visitor, await say(llm_kefu, visitor, "when will I get the weather report refund")
    )
    assert refused["body"].startswith("Sorry, I didn't catch that"), "a refusal is a fallback"
