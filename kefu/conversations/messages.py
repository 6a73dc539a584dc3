"""The one write path for messages: validate, number, store, stamp, publish."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, partial
from typing import Any, Literal

from sqlalchemy import Table, Update, Uuid, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ColumnElement

from kefu.conversations import repository as repo
from kefu.conversations.lifecycle import OPEN, Status
from kefu.conversations.models import Attachment, Conversation, Message
from kefu.conversations.service import Actor, conversation_for_contact_message
from kefu.conversations.views import message_out
from kefu.core.auth import ContactPrincipal
from kefu.core.context import Runtime
from kefu.core.db import Base, in_one_call, new_id, utcnow
from kefu.core.deps import commit, rollback
from kefu.core.errors import Conflict, Invalid
from kefu.realtime.events import MessageCreated
from kefu.realtime.models import EventRecord
from kefu.realtime.service import Staged, announce, stage_event

PREVIEW_CHARS = 120
# The message path writes with Core statements on the tables, not through the ORM's unit of
# work: it is the hottest write in kefu (docs/decisions/0004-message-path.md).
CONVERSATIONS: Table = Base.metadata.tables["conversations"]
MESSAGES: Table = Base.metadata.tables["messages"]
INSERT_MESSAGE = insert(MESSAGES)
# Which conversation a message goes to, as bound parameters (the statements are built once):
# a given one unless closed, or the contact's latest one in its inbox while open.
_INTO: dict[str, tuple[ColumnElement[bool], ...]] = {
    "given": (
        CONVERSATIONS.c.id == bindparam("w_id", type_=Uuid()),
        CONVERSATIONS.c.status != Status.CLOSED.value,
    ),
    "latest_open": (
        CONVERSATIONS.c.id
        == select(CONVERSATIONS.c.id)
        .where(
            CONVERSATIONS.c.tenant_id == bindparam("w_tenant", type_=Uuid()),
            CONVERSATIONS.c.contact_id == bindparam("w_contact", type_=Uuid()),
            CONVERSATIONS.c.inbox_id == bindparam("w_inbox", type_=Uuid()),
        )
        .order_by(CONVERSATIONS.c.created_at.desc())
        .limit(1)
        .scalar_subquery(),
        CONVERSATIONS.c.status.in_(sorted(s.value for s in OPEN)),
    ),
}


@dataclass(frozen=True)
class Draft:
    """A message about to be posted."""

    body: str
    client_msg_id: str | None = None
    private: bool = False
    attachment_ids: Sequence[uuid.UUID] = ()
    suggestions: Sequence[dict[str, Any]] = field(default_factory=tuple)


def validate_draft(rt: Runtime, draft: Draft) -> None:
    limit = rt.settings.max_message_chars
    if len(draft.body) > limit:
        raise Invalid("message_too_long", limit=limit)
    if not draft.body.strip() and not draft.attachment_ids:
        raise Invalid("message_empty")


async def existing(
    session: AsyncSession, tenant_id: uuid.UUID, sender: Actor, client_msg_id: str | None
) -> Message | None:
    """The message this sender already posted with this client id, if any (idempotency)."""
    if client_msg_id is None or sender.id is None:
        return None
    return await repo.find_message(session, tenant_id, sender.id, client_msg_id)


async def _claim_attachments(
    session: AsyncSession, c: Conversation, sender: Actor, ids: Sequence[uuid.UUID]
) -> list[Attachment]:
    if not ids:
        return []
    stmt = select(Attachment).where(
        Attachment.tenant_id == c.tenant_id,
        Attachment.id.in_(list(ids)),
        Attachment.uploader_id == sender.id,
        Attachment.message_id.is_(None),
    )
    found = list((await session.execute(stmt)).scalars())
    if len(found) != len(set(ids)):
        raise Invalid(detail="attachment_ids")
    return found


def _stamps(c: Conversation | None, sender: Actor, draft: Draft, now: datetime) -> dict[str, Any]:
    """What a new message changes on its conversation (`c` only matters for agents and bots)."""
    values: dict[str, Any] = {"updated_at": now}
    if draft.private:
        return values
    values["last_message_at"] = now
    values["last_message_preview"] = (draft.body or "📎")[:PREVIEW_CHARS]
    if sender.type == "contact":
        values["last_contact_message_at"] = now
    elif sender.type == "agent" and c is not None and c.first_agent_reply_at is None:
        values["first_agent_reply_at"] = now
    elif sender.type == "bot" and c is not None and c.first_bot_reply_at is None:
        values["first_bot_reply_at"] = now
    return values


async def post_message(
    session: AsyncSession,
    rt: Runtime,
    c: Conversation,
    sender: Actor,
    draft: Draft,
    *,
    precheck: bool = True,
) -> tuple[Message, bool]:
    """Store a message; returns (message, created). A repeated client id returns the first one.

    `precheck=False` skips the look-up and lets the unique key catch a repeat (one query fewer
    on the hot path; a repeat then rolls the transaction back and returns the stored message).
    """
    validate_draft(rt, draft)
    tenant_id = c.tenant_id  # a rollback below expires `c`
    found = await existing(session, tenant_id, sender, draft.client_msg_id) if precheck else None
    if found is not None:
        return found, False
    if c.status == Status.CLOSED:
        raise Conflict("conversation_closed")
    attachments = await _claim_attachments(session, c, sender, draft.attachment_ids)
    now = utcnow()
    stamps = _stamps(c, sender, draft, now)
    into = _Into("given", {"w_id": c.id})
    write = partial(_store, into, _row(c.tenant_id, sender, draft, attachments, now), stamps)
    try:
        stored = await in_one_call(session, write)
    except IntegrityError as error:
        return await _repeat(session, tenant_id, sender, draft, error)
    if stored is None:
        raise Conflict("conversation_closed")  # closed meanwhile
    for key, value in {**stamps, "last_seq": stored.message.seq}.items():
        set_committed_value(c, key, value)
    for attachment in attachments:
        attachment.message_id = stored.message.id
    announce(session, rt, stored.record, {"conversation_status": stored.status})
    return stored.message, True


async def post_contact_message(
    session: AsyncSession, rt: Runtime, contact: ContactPrincipal, draft: Draft
) -> tuple[Message, bool]:
    """The widget's send, committed on return: into the contact's open conversation in one
    call (no read first), else through `conversation_for_contact_message`, which opens or
    reopens one."""
    validate_draft(rt, draft)
    sender = Actor("contact", contact.contact_id)
    if not draft.attachment_ids:
        now = utcnow()
        into = _Into(
            "latest_open",
            {
                "w_tenant": contact.tenant_id,
                "w_contact": contact.contact_id,
                "w_inbox": contact.inbox_id,
            },
        )
        row = _row(contact.tenant_id, sender, draft, [], now)
        write = partial(_store, into, row, _stamps(None, sender, draft, now))
        try:
            stored = await in_one_call(session, write, commit=True)
        except IntegrityError as error:
            return await _repeat(session, contact.tenant_id, sender, draft, error)
        if stored is not None:
            announce(session, rt, stored.record, {"conversation_status": stored.status})
            await commit(session)
            return stored.message, True
    c = await conversation_for_contact_message(session, rt, contact)
    posted = await post_message(session, rt, c, sender, draft, precheck=False)
    await commit(session)
    return posted


async def _repeat(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    sender: Actor,
    draft: Draft,
    error: IntegrityError,
) -> tuple[Message, bool]:
    """The same client id won a race in another transaction: answer with that message."""
    await rollback(session)
    again = await existing(session, tenant_id, sender, draft.client_msg_id)
    if again is None:
        raise error  # not a repeat
    return again, False


@dataclass(frozen=True)
class _Into:
    """Which conversation: a key of `_INTO` and its parameters."""

    where: Literal["given", "latest_open"]
    params: dict[str, Any]


@cache
def _advance(where: str, stamped: tuple[str, ...]) -> Update:
    """Take the next seq and stamp the conversation in one UPDATE (built once per shape)."""
    values = {k: bindparam(f"s_{k}", type_=CONVERSATIONS.c[k].type) for k in stamped}
    return (
        update(CONVERSATIONS)
        .where(*_INTO[where])
        .values(last_seq=CONVERSATIONS.c.last_seq + 1, **values)
        .returning(
            CONVERSATIONS.c.id,
            CONVERSATIONS.c.last_seq,
            CONVERSATIONS.c.status,
            CONVERSATIONS.c.contact_id,
            CONVERSATIONS.c.assignee_id,
        )
    )


@dataclass(frozen=True)
class _Stored:
    message: Message
    record: EventRecord
    status: str  # the conversation's, as the write found it


def _store(
    into: _Into, row: dict[str, Any], stamps: dict[str, Any], conn: Connection
) -> _Stored | None:
    """Number the message and stamp its conversation (one UPDATE: the row lock orders
    senders), insert it, and log `message.created`; one call on SQLite (`in_one_call`).
    None, with nothing written, when no conversation matches `into`."""
    stmt = _advance(into.where, tuple(sorted(stamps)))
    params = {**into.params, **{f"s_{k}": v for k, v in stamps.items()}}
    found = conn.execute(stmt, params).first()
    if found is None:
        return None
    row = {**row, "conversation_id": found.id, "seq": int(found.last_seq)}
    conn.execute(INSERT_MESSAGE, row)
    message = Message(**row)  # what was stored, detached from the session
    event = MessageCreated(message=message_out(message))
    staged = Staged(
        row["tenant_id"], event, found.id, found.contact_id, found.assignee_id, message.private
    )
    return _Stored(message, stage_event(conn, staged), str(found.status))


def _row(
    tenant_id: uuid.UUID,
    sender: Actor,
    draft: Draft,
    attachments: list[Attachment],
    now: datetime,
) -> dict[str, Any]:
    """The message's row, all but its conversation and seq."""
    return {
        "id": new_id(),
        "tenant_id": tenant_id,
        "sender_type": sender.type,
        "sender_id": sender.id,
        "body": draft.body,
        "private": draft.private,
        "client_msg_id": draft.client_msg_id,
        "attachments": [
            {
                "id": str(a.id),
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in attachments
        ],
        "suggestions": list(draft.suggestions),
        "created_at": now,
    }
