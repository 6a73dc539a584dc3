"""Mailbox settings in and out: passwords go in, never come out."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

# stored sealed (kefu.core.sealing) in 500 characters: a 300-character password fits
MAX_PASSWORD = 300


class MailboxIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: EmailStr
    display_name: str = Field(default="", max_length=200)
    active: bool = True
    imap_host: str | None = Field(default=None, max_length=255)
    imap_port: int = Field(default=993, ge=1, le=65535)
    imap_ssl: bool = True
    imap_user: str | None = Field(default=None, max_length=320)
    imap_password: str | None = Field(default=None, max_length=MAX_PASSWORD)
    imap_folder: str = Field(default="INBOX", max_length=200)
    smtp_host: str | None = Field(default=None, max_length=255)
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "ssl"] = "starttls"
    smtp_user: str | None = Field(default=None, max_length=320)
    smtp_password: str | None = Field(default=None, max_length=MAX_PASSWORD)


class MailboxUpdateIn(BaseModel):
    """Only what is sent changes; a password left out is kept, an empty one is cleared."""

    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(default=None, max_length=200)
    active: bool | None = None
    imap_host: str | None = Field(default=None, max_length=255)
    imap_port: int | None = Field(default=None, ge=1, le=65535)
    imap_ssl: bool | None = None
    imap_user: str | None = Field(default=None, max_length=320)
    imap_password: str | None = Field(default=None, max_length=MAX_PASSWORD)
    imap_folder: str | None = Field(default=None, max_length=200)
    smtp_host: str | None = Field(default=None, max_length=255)
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "ssl"] | None = None
    smtp_user: str | None = Field(default=None, max_length=320)
    smtp_password: str | None = Field(default=None, max_length=MAX_PASSWORD)


class MailboxOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    inbox_id: uuid.UUID
    address: str
    display_name: str
    active: bool
    imap_host: str | None
    imap_port: int
    imap_ssl: bool
    imap_user: str | None
    imap_folder: str
    imap_password_set: bool
    smtp_host: str | None
    smtp_port: int
    smtp_security: str
    smtp_user: str | None
    smtp_password_set: bool
    last_polled_at: datetime | None
    last_error: str | None


class PollOut(BaseModel):
    fetched: int
    created: int
    threaded: int
    duplicate: int
    ignored: int
