"""API shapes of tickets, comments, history, custom fields, SLA policies, views and follow-ups."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

Priority = Literal["low", "normal", "high", "urgent"]
TicketType = Literal["question", "incident", "problem", "task", "complaint"]
StatusName = Literal["new", "open", "pending", "on-hold", "solved", "closed"]
FieldKind = Literal["text", "number", "select", "date"]
SortKey = Literal["created_at", "-created_at", "updated_at", "-updated_at", "priority", "-priority"]
Tags = list[str]


def _clean_tags(tags: list[str] | None) -> list[str] | None:
    if tags is None:
        return None
    return sorted({t.strip()[:64] for t in tags if t.strip()})


class TicketCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    requester_id: uuid.UUID | None = None
    requester_email: EmailStr | None = None
    type: TicketType = "question"
    priority: Priority = "normal"
    assignee_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    tags: Tags = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    _tags = field_validator("tags")(_clean_tags)


class FromConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str | None = Field(default=None, max_length=300)
    type: TicketType = "question"
    priority: Priority = "normal"
    custom_fields: dict[str, Any] = Field(default_factory=dict)


class WidgetTicketIn(BaseModel):
    """The widget's leave-a-message form."""

    model_config = ConfigDict(extra="forbid")
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=20_000)
    name: str | None = Field(default=None, max_length=200)
    email: EmailStr | None = None


class TicketUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str | None = Field(default=None, min_length=1, max_length=300)
    type: TicketType | None = None
    priority: Priority | None = None
    status: StatusName | None = None
    assignee_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    tags: Tags | None = Field(default=None, max_length=50)
    custom_fields: dict[str, Any] | None = None
    follow_up_at: datetime | None = None
    follow_up_note: str = Field(default="", max_length=2000)
    _tags = field_validator("tags")(_clean_tags)


class BulkUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    changes: TicketUpdateIn


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=20_000)
    public: bool = True
    status: StatusName | None = None


class SlaView(BaseModel):
    """What an SLA badge needs: when each running clock warns and is due, and what happened."""

    policy_id: uuid.UUID | None
    first_response_warn_at: datetime | None
    first_response_due_at: datetime | None
    first_response_breached: bool
    resolution_warn_at: datetime | None
    resolution_due_at: datetime | None
    resolution_paused: bool
    resolution_breached: bool
    warned: bool


class TicketOut(BaseModel):
    id: uuid.UUID
    number: int
    subject: str
    description: str
    requester_id: uuid.UUID
    channel: str
    conversation_id: uuid.UUID | None
    type: str
    priority: Priority
    status: StatusName
    assignee_id: uuid.UUID | None
    team_id: uuid.UUID | None
    tags: list[str]
    custom_fields: dict[str, Any]
    merged_into_id: uuid.UUID | None
    sla: SlaView
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None


class RequesterOut(BaseModel):
    """Who asked, side-loaded with a page of tickets so a list needs no request per row."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    email: str | None


class TicketPage(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None = None
    requesters: list[RequesterOut] = Field(default_factory=list)


class CommentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    ticket_id: uuid.UUID
    author_type: str
    author_id: uuid.UUID | None
    body: str
    html: str | None
    public: bool
    channel: str
    attachments: list[dict[str, Any]]
    created_at: datetime


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    actor_type: str
    actor_id: uuid.UUID | None
    field: str
    old: Any
    new: Any
    created_at: datetime


class FieldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    label: dict[str, str] = Field(default_factory=dict)
    kind: FieldKind
    options: list[str] = Field(default_factory=list, max_length=200)
    required: bool = False


class FieldOut(FieldIn):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID


class SlaMatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    priorities: list[Priority] = Field(default_factory=list)
    types: list[TicketType] = Field(default_factory=list)
    contact_tags: list[str] = Field(default_factory=list)


class Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    raise_priority: bool = False
    team_id: uuid.UUID | None = None
    notify_user_ids: list[uuid.UUID] = Field(default_factory=list)


class SlaPolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    position: int = 0
    complaint: bool = False
    match: SlaMatch = Field(default_factory=SlaMatch)
    first_response_minutes: int | None = Field(default=None, ge=1, le=525_600)
    resolution_minutes: int | None = Field(default=None, ge=1, le=525_600)
    warn_percent: int = Field(default=80, ge=1, le=99)
    calendar: dict[str, Any] | None = None
    escalation: Escalation = Field(default_factory=Escalation)


class SlaPolicyOut(SlaPolicyIn):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID


class ViewFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: list[StatusName] = Field(default_factory=list)
    priority: list[Priority] = Field(default_factory=list)
    type: list[TicketType] = Field(default_factory=list)
    assignee_id: uuid.UUID | Literal["me", "none"] | None = None
    team_id: uuid.UUID | None = None
    requester_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    tag: str | None = Field(default=None, max_length=64)
    q: str | None = Field(default=None, max_length=200)
    sla: Literal["breached", "warned"] | None = None


class FilterQuery(ViewFilters):
    """The same filters as query parameters (which also carry sort, cursor and limit)."""

    model_config = ConfigDict(extra="ignore")


class SavedViewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    shared: bool = False
    filters: ViewFilters = Field(default_factory=ViewFilters)
    sort: SortKey = "-updated_at"


class SavedViewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    filters: ViewFilters
    sort: SortKey


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    ticket_id: uuid.UUID
    assignee_id: uuid.UUID | None
    due_at: datetime
    note: str
    fired_at: datetime | None
    done_at: datetime | None


class PortalTicketOut(BaseModel):
    """What the requester sees on the signed page: no internal notes, no agents' names."""

    id: uuid.UUID
    number: int
    subject: str
    description: str
    status: StatusName
    created_at: datetime
    updated_at: datetime
    replies: list[PortalReply]
    link: str | None = None
    rating_link: str | None = None


class PortalReply(BaseModel):
    from_requester: bool
    body: str
    created_at: datetime


class PortalReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=20_000)


class PortalLinkOut(BaseModel):
    url: str
    token: str


PortalTicketOut.model_rebuild()
