"""The ticket state machine, priorities and types."""

from __future__ import annotations

from enum import StrEnum

from kefu.core.errors import Conflict


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on-hold"
    SOLVED = "solved"
    CLOSED = "closed"


S = TicketStatus
# from -> the states it may move to (closed is final; merging closes from anywhere else)
ALLOWED: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.NEW: frozenset({S.OPEN, S.PENDING, S.ON_HOLD, S.SOLVED}),
    S.OPEN: frozenset({S.PENDING, S.ON_HOLD, S.SOLVED}),
    S.PENDING: frozenset({S.OPEN, S.ON_HOLD, S.SOLVED}),
    S.ON_HOLD: frozenset({S.OPEN, S.PENDING, S.SOLVED}),
    S.SOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}
ACTIVE = frozenset({S.NEW, S.OPEN, S.PENDING, S.ON_HOLD})
PAUSED = frozenset({S.PENDING})  # the resolution clock waits on the customer
FINISHED = frozenset({S.SOLVED, S.CLOSED})  # clocks stop; required fields must be filled

PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")
TYPES: tuple[str, ...] = ("question", "incident", "problem", "task", "complaint")
COMPLAINT_TYPES = frozenset({"complaint"})


def check_transition(current: str, target: str) -> None:
    """Raise 409 when `current → target` is not an edge of the machine."""
    if TicketStatus(target) not in ALLOWED[TicketStatus(current)]:
        raise Conflict("ticket_illegal_transition", current=current, target=target)


def priority_rank(name: str) -> int:
    return PRIORITIES.index(name)


def priority_name(rank: int) -> str:
    return PRIORITIES[max(0, min(rank, len(PRIORITIES) - 1))]
