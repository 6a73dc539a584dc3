"""The one outbound HTTP client: refuses private, loopback and link-local targets (SSRF guard).

Every call to a tenant's business system, webhook or LLM endpoint goes through `outbound()`.
A tenant (or flow) must be explicitly allowed to reach private addresses, e.g. the demo shop's
order service on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx

from kefu.core.errors import KefuError

DEFAULT_TIMEOUT = 5.0


class OutboundBlocked(KefuError):
    status_code = 422
    code = "outbound_blocked"


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


async def check_target(url: str, *, allow_private: bool) -> None:
    """Raise OutboundBlocked unless `url` is http(s) and resolves only to allowed addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundBlocked(url=url)
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, port, type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        raise OutboundBlocked(url=url) from exc
    if not infos or not all(_is_public(str(info[4][0])) for info in infos):
        raise OutboundBlocked(url=url)


async def outbound(
    method: str,
    url: str,
    *,
    allow_private: bool = False,
    timeout_seconds: float = DEFAULT_TIMEOUT,
    transport: httpx.AsyncBaseTransport | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """Make one guarded request. Redirects are not followed (each hop would need the check)."""
    await check_target(url, allow_private=allow_private)
    async with httpx.AsyncClient(
        timeout=timeout_seconds, follow_redirects=False, transport=transport
    ) as client:
        return await client.request(method, url, **kwargs)
