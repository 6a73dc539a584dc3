"""The conversation state machine: which action may move which state where."""

from __future__ import annotations

from enum import StrEnum

from kefu.core.errors import Conflict


class Status(StrEnum):
    BOT = "bot"
    QUEUED = "queued"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ABANDONED = "abandoned"


OPEN = frozenset({Status.BOT, Status.QUEUED, Status.ASSIGNED})

# action -> states it may start from
ALLOWED: dict[str, frozenset[Status]] = {
    "handoff": frozenset({Status.BOT}),
    "assign": frozenset({Status.BOT, Status.QUEUED, Status.ASSIGNED}),
    "unassign": frozenset({Status.ASSIGNED}),
    "resolve": frozenset({Status.BOT, Status.QUEUED, Status.ASSIGNED}),
    "reopen": frozenset({Status.RESOLVED, Status.ABANDONED}),
    "close": frozenset({Status.RESOLVED, Status.ABANDONED}),
    "abandon": frozenset({Status.QUEUED}),
}


def check(action: str, current: str) -> None:
    """Raise 409 when `action` is illegal from `current`."""
    if Status(current) not in ALLOWED[action]:
        raise Conflict("illegal_transition", current=current, action=action)


# which timestamp column each target state stamps (first time only where noted)
STAMPS: dict[Status, str] = {
    Status.QUEUED: "queued_at",
    Status.ASSIGNED: "assigned_at",
    Status.RESOLVED: "resolved_at",
    Status.CLOSED: "closed_at",
    Status.ABANDONED: "abandoned_at",
}
