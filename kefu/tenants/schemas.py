"""API shapes of auth, users, teams and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from kefu.core.auth import Role


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=256)


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=10, max_length=512)


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth token type, not a secret
    expires_in: int


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    name: str
    role: Role
    active: bool
    languages: list[str]
    skills: list[str]
    max_concurrent: int
    team_ids: list[uuid.UUID] = Field(default_factory=list)


class UserCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=8, max_length=256)
    role: Role = "agent"
    languages: list[str] = Field(default_factory=lambda: ["zh-CN", "en"], max_length=10)
    skills: list[str] = Field(default_factory=list, max_length=50)
    max_concurrent: int = Field(default=5, ge=1, le=100)
    team_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class UserUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    active: bool | None = None
    languages: list[str] | None = Field(default=None, max_length=10)
    skills: list[str] | None = Field(default=None, max_length=50)
    max_concurrent: int | None = Field(default=None, ge=1, le=100)
    team_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    password: str | None = Field(default=None, min_length=8, max_length=256)


class TeamIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    skills: list[str] = Field(default_factory=list, max_length=50)


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    skills: list[str]
    member_ids: list[uuid.UUID] = Field(default_factory=list)


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str


class TenantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    timezone: str


class TenantSecretOut(BaseModel):
    identity_secret: str
