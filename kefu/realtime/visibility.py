"""Which durable events a socket may receive: the same rules as the REST reads."""

from __future__ import annotations

from typing import Any

from kefu.core.auth import ContactPrincipal, Principal
from kefu.realtime.models import EventRecord

CONTACT_TYPES = frozenset(
    {"message.created", "conversation.created", "conversation.updated", "conversation.assigned"}
)


def agent_may_see(principal: Principal, record: EventRecord) -> bool:
    if record.tenant_id != principal.tenant_id:
        return False
    if principal.is_manager:
        return True
    if record.type.startswith("alert."):  # live alerts are for supervisors and admins
        return False
    if record.conversation_id is None:
        return True
    if record.assignee_id in (None, principal.user_id):
        return True
    previous = record.payload.get("previous_assignee_id")
    return previous is not None and previous == str(principal.user_id)


def contact_may_see(principal: ContactPrincipal, record: EventRecord) -> bool:
    return (
        record.tenant_id == principal.tenant_id
        and record.contact_id == principal.contact_id
        and not record.private
        and record.type in CONTACT_TYPES
    )


def contact_view(record: EventRecord) -> dict[str, Any]:
    """Contacts get messages whole but only the id and status of their conversation."""
    if record.type == "message.created":
        return record.payload
    conversation = record.payload.get("conversation", {})
    return {"conversation": {"id": conversation.get("id"), "status": conversation.get("status")}}
