"""The stack's ceiling for bench/realtime.py: FastAPI + aiosqlite insert, then WebSocket broadcast.

Same wire shapes as kefu (POST a message with a bearer token; agents and the sender's socket
receive a `message.created` frame), none of kefu's rules: no tenancy, no event log, no resume.
Run: python bench/realtime_baseline.py PORT DBFILE
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import aiosqlite
import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect

agents: set[WebSocket] = set()
contacts: dict[str, WebSocket] = {}
state: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    db = await aiosqlite.connect(sys.argv[2])
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute(
        "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, contact TEXT, body TEXT, at REAL)"
    )
    state["db"] = db
    yield
    await db.close()


app = FastAPI(lifespan=lifespan)


@app.post("/api/v1/widget/sessions", status_code=201)
async def session() -> dict[str, str]:
    token = uuid.uuid4().hex
    return {"contact_token": token, "contact_id": token}


@app.post("/api/v1/widget/messages", status_code=201)
async def post(request: Request) -> dict[str, Any]:
    token = request.headers["authorization"].split()[1]
    body = await request.json()
    message = {"id": uuid.uuid4().hex, "client_msg_id": body["client_msg_id"], "body": body["body"]}
    db = state["db"]
    await db.execute(
        "INSERT INTO messages VALUES (?, ?, ?, ?)",
        (message["id"], token, body["body"], time.time()),
    )
    await db.commit()
    text = json.dumps({"id": 0, "type": "message.created", "data": {"message": message}})
    for ws in [*agents, contacts.get(token)]:
        if ws is not None:
            with suppress(WebSocketDisconnect, RuntimeError):
                await ws.send_text(text)
    return message


@app.websocket("/ws/agent")
async def agent(ws: WebSocket) -> None:
    await ws.accept()
    agents.add(ws)
    try:
        while True:
            await ws.receive_text()
    except WebSocketDisconnect:
        agents.discard(ws)


@app.websocket("/ws/contact")
async def contact(ws: WebSocket, token: str) -> None:
    await ws.accept()
    contacts[token] = ws
    try:
        while True:
            await ws.receive_text()
    except WebSocketDisconnect:
        contacts.pop(token, None)


if __name__ == "__main__":
    sys.setswitchinterval(0.001)  # as kefu serve does
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        ws_ping_interval=None,
        ws_per_message_deflate=False,  # as kefu serve does
    )
