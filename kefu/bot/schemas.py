"""API shapes of the bot's settings and answer feedback."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
