"""Turn rows into API shapes (batched so lists cost a fixed number of queries)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations import repository as repo
from kefu.conversations.models import Conversation, Message
from kefu.conversations.schemas import (
    AttachmentOut,
    ContactRef,
    ConversationOut,
    MessageOut,
    Suggestion,
)


def attachment_url(attachment_id: str) -> str:
    return f"/api/v1/attachments/{attachment_id}"


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        seq=message.seq,
        sender_type=message.sender_type,
        sender_id=message.sender_id,
        body=message.body,
        private=message.private,
        client_msg_id=message.client_msg_id,
        attachments=[
            AttachmentOut(url=attachment_url(str(a["id"])), **a) for a in message.attachments
        ],
        suggestions=[Suggestion(**s) for s in message.suggestions],
        created_at=message.created_at,
    )


def _conversation_out(c: Conversation, contact_name: str, tags: list[str]) -> ConversationOut:
    return ConversationOut(
        id=c.id,
        contact=ContactRef(id=c.contact_id, name=contact_name),
        inbox_id=c.inbox_id,
        channel=c.channel,
        status=c.status,
        assignee_id=c.assignee_id,
        team_id=c.team_id,
        priority=c.priority,
        language=c.language,
        tags=tags,
        handoff_reason=c.handoff_reason,
        created_at=c.created_at,
        updated_at=c.updated_at,
        last_message_at=c.last_message_at,
        last_message_preview=c.last_message_preview,
        queued_at=c.queued_at,
        assigned_at=c.assigned_at,
        first_agent_reply_at=c.first_agent_reply_at,
        resolved_at=c.resolved_at,
        closed_at=c.closed_at,
    )


async def conversations_out(
    session: AsyncSession, conversations: Sequence[Conversation]
) -> list[ConversationOut]:
    ids = [c.id for c in conversations]
    tags = await repo.tags_of(session, ids)
    contacts = await repo.contacts_by_id(session, [c.contact_id for c in conversations])
    return [
        _conversation_out(
            c, contacts[c.contact_id].name if c.contact_id in contacts else "", tags.get(c.id, [])
        )
        for c in conversations
    ]


async def conversation_out(session: AsyncSession, conversation: Conversation) -> ConversationOut:
    return (await conversations_out(session, [conversation]))[0]
