"""API shapes of satisfaction surveys."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CsatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: uuid.UUID
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


class CsatOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    conversation_id: uuid.UUID
    score: int
    comment: str
    agent_id: uuid.UUID | None
    created_at: datetime


class TicketCsatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


class TicketCsatOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    ticket_id: uuid.UUID
    score: int
    comment: str
    created_at: datetime
