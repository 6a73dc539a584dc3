"""Durable real-time events of tickets (recorded in the writing transaction)."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from kefu.realtime.events import Event
from kefu.tickets.schemas import CommentOut, TicketOut

Clock = Literal["first_response", "resolution"]


class TicketCreated(Event):
    type: ClassVar[str] = "ticket.created"
    ticket: TicketOut


class TicketUpdated(Event):
    type: ClassVar[str] = "ticket.updated"
    ticket: TicketOut
    fields: list[str]


class TicketCommentCreated(Event):
    type: ClassVar[str] = "ticket.comment_created"
    ticket_id: uuid.UUID
    comment: CommentOut


class TicketSlaWarning(Event):
    """A clock passed its warning threshold: for the assignee and the supervisors."""

    type: ClassVar[str] = "ticket.sla_warning"
    ticket: TicketOut
    clock: Clock
    recipients: list[uuid.UUID]


class TicketSlaBreached(Event):
    type: ClassVar[str] = "ticket.sla_breached"
    ticket: TicketOut
    clock: Clock
    recipients: list[uuid.UUID]


class TicketEscalated(Event):
    type: ClassVar[str] = "ticket.escalated"
    ticket: TicketOut
    clock: Clock
    actions: list[str]
    recipients: list[uuid.UUID]


class TicketFollowUpDue(Event):
    type: ClassVar[str] = "ticket.followup_due"
    ticket: TicketOut
    followup_id: uuid.UUID
    note: str
    recipients: list[uuid.UUID]
