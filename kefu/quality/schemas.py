"""API shapes of quality inspection."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

RuleKind = Literal[
    "forbidden_phrase",
    "required_greeting",
    "required_closing",
    "first_response_over",
    "agent_silence_over",
    "negative_without_empathy",
    "bot_unhelpful",
    "bot_fallback_loop",
    "transfer_bounce",
    "sensitive_data",
]
NEEDS_PHRASES = {
    "forbidden_phrase",
    "required_greeting",
    "required_closing",
    "negative_without_empathy",
}
NEEDS_SECONDS = {"first_response_over", "agent_silence_over"}
NEEDS_COUNT = {"bot_fallback_loop", "transfer_bounce"}


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: RuleKind
    name: str = Field(min_length=1, max_length=200)
    params: dict[str, Any] = Field(default_factory=dict)
    weight: float = Field(default=10.0, ge=0, le=100)
    enabled: bool = True

    @model_validator(mode="after")
    def _params_fit_kind(self) -> Self:
        p = self.params
        if self.kind in NEEDS_PHRASES:
            phrases = p.get("phrases")
            if (
                not isinstance(phrases, list)
                or not phrases
                or not all(isinstance(x, str) and x for x in phrases)
            ):
                raise ValueError("params.phrases must be a non-empty list of text")
        if self.kind in NEEDS_SECONDS and not (
            isinstance(p.get("seconds"), int | float) and p["seconds"] > 0
        ):
            raise ValueError("params.seconds must be a positive number")
        if self.kind in NEEDS_COUNT and not (isinstance(p.get("count"), int) and p["count"] >= 1):
            raise ValueError("params.count must be a whole number ≥ 1")
        return self


class RuleOut(RuleIn):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID


class Hit(BaseModel):
    rule_id: str
    kind: str
    name: str
    weight: float
    message_id: str | None = None
    seq: int | None = None
    span: tuple[int, int] | None = None
    detail: str = ""


class ResultOut(BaseModel):
    """One conversation's inspection; `final_score` is the override if any, else the score."""

    id: uuid.UUID
    conversation_id: uuid.UUID
    agent_id: uuid.UUID | None
    score: float
    final_score: float
    hits: list[Hit]
    inspected_at: datetime
    ended_at: datetime | None
    contact_name: str
    reviewed: bool
    override_score: float | None
    override_comment: str
    overridden_by: uuid.UUID | None
    overridden_at: datetime | None


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0, le=100)
    comment: str = Field(min_length=1, max_length=2000)


class ReinspectIn(BaseModel):
    """Which inspected conversations to score again: these ids, and/or those that ended in
    [ended_from, ended_to); nothing given means all of the tenant's."""

    model_config = ConfigDict(extra="forbid")

    conversation_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    ended_from: datetime | None = None
    ended_to: datetime | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> Self:
        if self.ended_from and self.ended_to and self.ended_to <= self.ended_from:
            raise ValueError("ended_to must be after ended_from")
        return self
