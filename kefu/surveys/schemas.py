"""API shapes of satisfaction surveys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

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


SurveyLang = Literal["zh-CN", "en"]
Wording = dict[SurveyLang, Annotated[str, Field(max_length=300)]]


class SurveySettingsIn(BaseModel):
    """The tenant's survey wording; a missing or empty language uses the built-in text."""

    model_config = ConfigDict(extra="forbid")

    question: Wording = Field(default_factory=dict)
    thanks: Wording = Field(default_factory=dict)


class SurveySettingsOut(SurveySettingsIn):
    model_config = ConfigDict(from_attributes=True)
