"""Custom field values: validated against the tenant's definitions (text, number, select, date)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from kefu.core.errors import Invalid
from kefu.tickets.models import TicketField

KINDS = ("text", "number", "select", "date")
MAX_TEXT = 2000


def _bad(key: str, reason: str) -> Invalid:
    return Invalid("ticket_field_invalid", field=key, reason=reason)


def _coerce(definition: TicketField, value: Any) -> Any:
    key, kind = definition.key, definition.kind
    if kind == "text":
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise _bad(key, "text")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(key, "number")
        return value
    if kind == "select":
        if value not in definition.options:
            raise _bad(key, "select")
        return value
    if not isinstance(value, str):
        raise _bad(key, "date")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise _bad(key, "date") from exc


def validate_values(
    definitions: Sequence[TicketField], current: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """The merged values after `changes` (None removes a value); raises 422 on any bad value."""
    by_key = {d.key: d for d in definitions}
    merged = dict(current)
    for key, value in changes.items():
        definition = by_key.get(key)
        if definition is None:
            raise _bad(key, "unknown")
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = _coerce(definition, value)
    return merged


def require_for_solving(definitions: Sequence[TicketField], values: dict[str, Any]) -> None:
    """Required fields are required to solve (as in Zendesk): a ticket can be opened in one
    click from a conversation and filled in while it is worked on, but not solved without them."""
    for definition in definitions:
        if definition.required and definition.key not in values:
            raise Invalid("ticket_field_required", field=definition.key)
