"""Ticket rows → API shapes."""

from __future__ import annotations

from kefu.tickets.models import Ticket
from kefu.tickets.schemas import SlaView, TicketOut
from kefu.tickets.states import priority_name


def sla_view(t: Ticket) -> SlaView:
    waiting = t.first_responded_at is None
    return SlaView(
        policy_id=t.sla_policy_id,
        first_response_warn_at=t.first_response_warn_at if waiting else None,
        first_response_due_at=t.first_response_due_at if waiting else None,
        first_response_breached=t.first_response_breached_at is not None,
        resolution_warn_at=t.resolution_warn_at,
        resolution_due_at=t.resolution_due_at,
        resolution_paused=t.sla_policy_id is not None
        and t.resolution_running_since is None
        and t.solved_at is None,
        resolution_breached=t.resolution_breached_at is not None,
        warned=t.first_response_warned_at is not None or t.resolution_warned_at is not None,
    )


def ticket_out(t: Ticket) -> TicketOut:
    return TicketOut(
        id=t.id,
        number=t.number,
        subject=t.subject,
        description=t.description,
        requester_id=t.requester_id,
        channel=t.channel,
        conversation_id=t.conversation_id,
        type=t.type,
        priority=priority_name(t.priority),
        status=t.status,
        assignee_id=t.assignee_id,
        team_id=t.team_id,
        tags=list(t.tags),
        custom_fields=dict(t.custom_fields),
        merged_into_id=t.merged_into_id,
        sla=sla_view(t),
        created_at=t.created_at,
        updated_at=t.updated_at,
        solved_at=t.solved_at,
    )
