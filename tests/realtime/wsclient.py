"""A small WebSocket test client that speaks kefu's frame protocol."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.factories import Login, Visitor


class Socket:
    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.last_event_id: int | None = None

    async def next(self, timeout: float = 5.0, skip: tuple[str, ...] = ("ping",)) -> dict[str, Any]:
        while True:
            frame: dict[str, Any] = json.loads(await asyncio.wait_for(self.conn.recv(), timeout))
            if frame["id"] is not None:
                self.last_event_id = frame["id"]
            if frame["type"] not in skip:
                return frame

    async def until(self, type_: str, timeout: float = 5.0) -> dict[str, Any]:
        while True:
            frame = await self.next(timeout)
            if frame["type"] == type_:
                return frame

    async def nothing(self, within: float = 0.5) -> bool:
        try:
            frame = await self.next(within)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected frame {frame}")

    async def send(self, data: dict[str, Any]) -> None:
        await self.conn.send(json.dumps(data))

    async def close(self) -> None:
        await self.conn.close()


async def agent_socket(
    client: httpx.AsyncClient, ws_url: str, login: Login, last_event_id: int | None = None
) -> Socket:
    r = await client.post("/api/v1/ws/ticket", headers=login.headers)
    assert r.status_code == 200, r.text
    url = f"{ws_url}/api/v1/ws?ticket={r.json()['ticket']}"
    if last_event_id is not None:
        url += f"&last_event_id={last_event_id}"
    return Socket(await connect(url))


async def contact_socket(
    ws_url: str, visitor: Visitor, last_event_id: int | None = None, origin: str | None = None
) -> Socket:
    url = f"{ws_url}/api/v1/widget/ws?token={visitor.token}"
    if last_event_id is not None:
        url += f"&last_event_id={last_event_id}"
    headers = {"Origin": origin} if origin else None
    return Socket(await connect(url, additional_headers=headers))
