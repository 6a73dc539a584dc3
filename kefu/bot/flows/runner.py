"""Running a task flow one message at a time: fill slots, call the business system, reply."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from kefu.bot.flows.schemas import FlowIn
from kefu.core.http import OutboundBlocked, outbound

BUSINESS_ERROR = "business_system_error"
FLOW_FAILED = "flow_failed"


@dataclass(frozen=True)
class FlowState:
    slots: dict[str, str] = field(default_factory=dict)
    attempts: int = 0


@dataclass(frozen=True)
class Step:
    """The bot's reply for this turn and what becomes of the flow."""

    text: str
    state: FlowState | None  # None: the flow is over
    handoff_reason: str | None = None
    result: str = "asked"  # asked | invalid | answered | not_found | error | failed


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def triggered(flows: list[tuple[Any, FlowIn]], text: str) -> tuple[Any, FlowIn] | None:
    """The first enabled flow one of whose trigger phrases the message contains."""
    message = _squash(text)
    for key, flow in flows:
        if flow.enabled and any(_squash(t) in message for t in flow.triggers):
            return key, flow
    return None


def _fill(flow: FlowIn, state: FlowState, text: str) -> tuple[dict[str, str], bool]:
    """Slots after reading `text`, and whether the awaited slot got a value."""
    slots = dict(state.slots)
    awaited = next((s for s in flow.slots if s.name not in slots), None)
    for slot in flow.slots:
        if slot.name not in slots and (m := re.search(slot.pattern, text)):
            slots[slot.name] = m.group(0)
    return slots, awaited is None or awaited.name in slots


def _render(template: str, values: dict[str, str], *, url: bool = False) -> str:
    safe = {k: quote(v, safe="") if url else v for k, v in values.items()}
    return template.format_map(_Missing(safe))


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _dig(data: Any, path: str) -> str:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return "" if data is None else str(data)


async def _call(
    flow: FlowIn, values: dict[str, str], transport: httpx.AsyncBaseTransport | None
) -> tuple[str, dict[str, str]]:
    action = flow.action
    try:
        response = await outbound(
            action.method,
            _render(action.url, values, url=True),
            allow_private=action.allow_private,
            timeout_seconds=action.timeout_seconds,
            headers=action.headers,
            transport=transport,
        )
    except (httpx.HTTPError, OutboundBlocked):
        return "error", {}
    if response.status_code == 404:
        return "not_found", {}
    if response.status_code >= 300:
        return "error", {}
    try:
        data = response.json()
    except ValueError:
        return "error", {}
    return "ok", {name: _dig(data, path) for name, path in action.fields.items()}


async def step(
    flow: FlowIn,
    state: FlowState,
    text: str,
    language: str,
    base_url: str,
    *,
    first_turn: bool,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Step:
    slots, got_awaited = _fill(flow, state, text)
    missing = next((s for s in flow.slots if s.name not in slots), None)
    if missing is not None:
        if first_turn or got_awaited:
            return Step(missing.prompt.pick(language), FlowState(slots, state.attempts))
        attempts = state.attempts + 1
        if attempts >= missing.max_attempts:
            return Step(flow.error.pick(language), None, FLOW_FAILED, "failed")
        return Step(missing.invalid.pick(language), FlowState(slots, attempts), result="invalid")
    values = {**slots, "kefu_base_url": base_url}
    outcome, fields = await _call(flow, values, transport)
    if outcome == "ok":
        return Step(
            _render(flow.response.pick(language), {**values, **fields}), None, result="answered"
        )
    if outcome == "not_found":
        return Step(_render(flow.not_found.pick(language), values), None, result="not_found")
    return Step(flow.error.pick(language), None, BUSINESS_ERROR, "error")
