"""API shapes of the bot's settings, answer feedback and knowledge-base learning."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_TURNS_PER_CALL = 2000


class BotConfigIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_threshold: float = Field(ge=0.0, le=1.0)
    clarify_threshold: float = Field(ge=0.0, le=1.0)
    fallback_handoff_after: int = Field(ge=1, le=10)
    handoff_on_negative: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> BotConfigIn:
        if self.clarify_threshold > self.answer_threshold:
            raise ValueError("clarify_threshold must not exceed answer_threshold")
        return self


class BotConfigOut(BotConfigIn):
    model_config = ConfigDict(from_attributes=True)


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    helpful: bool


class LearningExample(BaseModel):
    text: str
    count: int


class LearningCluster(BaseModel):
    """One question the bot could not answer, in the words contacts used (`examples`)."""

    question: str
    count: int  # unanswered messages in the cluster
    examples: list[LearningExample]
    turn_ids: list[uuid.UUID]  # what `take` and `dismiss` act on
    suggested_faq_id: uuid.UUID | None  # the FAQ the bot ranked first most often, if it exists
    suggested_question: str | None
    suggested_score: float | None  # the bot's mean confidence in it for these messages
    last_seen_at: datetime


class LearningPage(BaseModel):
    since: datetime
    items: list[LearningCluster]


class LearningTake(BaseModel):
    """Take a cluster into an FAQ: its messages become the FAQ's similar questions."""

    model_config = ConfigDict(extra="forbid")

    turn_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_TURNS_PER_CALL)
    faq_id: uuid.UUID


class LearningTaken(BaseModel):
    faq_id: uuid.UUID
    added: int  # similar questions that were new to the FAQ
    reviewed: int


class LearningDismiss(BaseModel):
    model_config = ConfigDict(extra="forbid")

    turn_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_TURNS_PER_CALL)


class LearningDismissed(BaseModel):
    reviewed: int
