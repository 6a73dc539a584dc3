"""Task flows are per-tenant data: slots to fill, one HTTP action, reply templates.

Validated on save: regexes compile, templates name only known slots and fields, URLs are http(s).
"""

from __future__ import annotations

import re
import string
import uuid
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

IDENT = r"^[a-z][a-z0-9_]{0,31}$"


class Bilingual(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    zh: str = Field(min_length=1, max_length=1000)
    en: str = Field(min_length=1, max_length=1000)

    def pick(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


class SlotDef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=IDENT)
    pattern: str = Field(min_length=1, max_length=200)
    prompt: Bilingual
    invalid: Bilingual
    max_attempts: int = Field(default=3, ge=1, le=10)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value


class ActionDef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["GET", "POST"] = "GET"
    url: str = Field(min_length=8, max_length=500, pattern=r"^(https?://|\{kefu_base_url\})")
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = Field(default=5.0, gt=0, le=15)
    allow_private: bool = False
    fields: dict[str, str] = Field(default_factory=dict)


class FlowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=IDENT)
    title: Bilingual
    triggers: list[str] = Field(min_length=1, max_length=50)
    slots: list[SlotDef] = Field(default_factory=list, max_length=5)
    action: ActionDef
    response: Bilingual
    not_found: Bilingual
    error: Bilingual
    enabled: bool = True

    @model_validator(mode="after")
    def _templates_name_known_values(self) -> Self:
        known = {s.name for s in self.slots} | set(self.action.fields) | {"kefu_base_url"}
        texts = [
            self.action.url,
            self.response.zh,
            self.response.en,
            self.not_found.zh,
            self.not_found.en,
        ]
        for text in texts:
            for _, name, spec, conv in string.Formatter().parse(text):
                if name is None:
                    continue
                if name not in known or spec or conv:
                    raise ValueError(f"unknown placeholder {{{name}}}")
        return self


class FlowOut(FlowIn):
    id: uuid.UUID
