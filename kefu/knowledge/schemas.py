"""API shapes of the knowledge base."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kefu.core.i18n import Lang, translate

Phrase = str
MAX_SIMILAR = 500  # similar questions per language and FAQ


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    parent_id: uuid.UUID | None = None
    position: int = 0


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    position: int


class FaqIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category_id: uuid.UUID | None = None
    question_zh: str = Field(default="", max_length=500)
    question_en: str = Field(default="", max_length=500)
    similar_zh: list[Phrase] = Field(default_factory=list, max_length=MAX_SIMILAR)
    similar_en: list[Phrase] = Field(default_factory=list, max_length=MAX_SIMILAR)
    answer_zh: str = Field(default="", max_length=5000)
    answer_en: str = Field(default="", max_length=5000)
    channel_answers: dict[str, dict[Literal["zh-CN", "en"], str]] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list, max_length=50)
    related_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    enabled: bool = True
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if not (self.question_zh.strip() or self.question_en.strip()):
            raise ValueError("a question in zh-CN or en is required")
        if self.question_zh.strip() and not self.answer_zh.strip():
            raise ValueError("answer_zh is required when question_zh is given")
        if self.question_en.strip() and not self.answer_en.strip():
            raise ValueError("answer_en is required when question_en is given")
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        return self


class FaqOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    category_id: uuid.UUID | None
    question_zh: str
    question_en: str
    similar_zh: list[str]
    similar_en: list[str]
    answer_zh: str
    answer_en: str
    channel_answers: dict[str, dict[str, str]]
    tags: list[str]
    related_ids: list[str]
    enabled: bool
    valid_from: datetime | None
    valid_to: datetime | None
    updated_at: datetime


class FaqPage(BaseModel):
    items: list[FaqOut]
    next_cursor: str | None
    total: int


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=500)


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: int
    note: str
    faq_count: int
    created_at: datetime
    live: bool = False


class KbStatusOut(BaseModel):
    live_version: VersionOut | None
    draft_changed_at: datetime | None
    unpublished_changes: bool


class WordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    word: str = Field(min_length=1, max_length=100)
    synonyms: list[str] = Field(default_factory=list, max_length=50)


class DictionaryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    words: list[WordIn] = Field(max_length=5000)


class ImportErrorOut(BaseModel):
    """One problem of an import file: where, a stable code, and the reason in words."""

    row: int
    column: str
    code: str = ""
    reason: str
    params: dict[str, int | str] = Field(default_factory=dict)

    def translated(self, lang: Lang) -> ImportErrorOut:
        return self.model_copy(update={"reason": translate(self.code, lang, dict(self.params))})


class ImportResult(BaseModel):
    created: int
    updated: int
