"""Knowledge base: categories, FAQ drafts, published versions and the tenant dictionary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, JSONType, UTCDateTime, new_id, utcnow


class KbCategory(Base):
    __tablename__ = "kb_categories"
    __table_args__ = (UniqueConstraint("tenant_id", "parent_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("kb_categories.id"), default=None
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Faq(Base):
    """The draft of one FAQ; the bot answers only from published snapshots of these."""

    __tablename__ = "kb_faqs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("kb_categories.id"), default=None
    )
    question_zh: Mapped[str] = mapped_column(String(500), default="")
    question_en: Mapped[str] = mapped_column(String(500), default="")
    similar_zh: Mapped[list[str]] = mapped_column(JSONType, default=list)
    similar_en: Mapped[list[str]] = mapped_column(JSONType, default=list)
    answer_zh: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text, default="")
    channel_answers: Mapped[dict[str, dict[str, str]]] = mapped_column(JSONType, default=dict)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    related_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KbWord(Base):
    """A tenant dictionary entry: a custom word (product name) and its synonyms."""

    __tablename__ = "kb_words"
    __table_args__ = (UniqueConstraint("tenant_id", "word"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    word: Mapped[str] = mapped_column(String(100))
    synonyms: Mapped[list[str]] = mapped_column(JSONType, default=list)


class KbVersion(Base):
    """A published, immutable snapshot of the knowledge base (and its built search index)."""

    __tablename__ = "kb_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")
    faq_count: Mapped[int] = mapped_column(Integer, default=0)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONType)
    index_blob: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KbState(Base):
    """Which version the bot answers from, per tenant (switching it is publish / rollback)."""

    __tablename__ = "kb_state"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    live_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("kb_versions.id"), default=None
    )
    draft_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
