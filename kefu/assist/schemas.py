"""API shapes of agent assist."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class QuickReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shortcut: str = Field(min_length=1, max_length=32, pattern=r"^[\w\-\u4e00-\u9fff]+$")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5000)


class QuickReplyOut(QuickReplyIn):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID


class SuggestionOut(BaseModel):
    faq_id: str
    question: str
    answer: str
    score: float


class SuggestionList(BaseModel):
    query: str | None
    items: list[SuggestionOut]
