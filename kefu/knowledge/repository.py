"""Tenant-scoped queries for the knowledge base."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.core.pagination import Cursor
from kefu.knowledge.models import Faq, KbCategory, KbState, KbVersion, KbWord


async def get_faq_for(session: AsyncSession, principal: Principal, faq_id: uuid.UUID) -> Faq:
    faq = await session.get(Faq, faq_id)
    if faq is None or faq.tenant_id != principal.tenant_id:
        raise NotFound("faq")
    return faq


async def get_category_for(
    session: AsyncSession, principal: Principal, category_id: uuid.UUID
) -> KbCategory:
    category = await session.get(KbCategory, category_id)
    if category is None or category.tenant_id != principal.tenant_id:
        raise NotFound("category")
    return category


async def get_version_for(
    session: AsyncSession, principal: Principal, version_id: uuid.UUID
) -> KbVersion:
    version = await session.get(KbVersion, version_id)
    if version is None or version.tenant_id != principal.tenant_id:
        raise NotFound("kb_version")
    return version


async def categories(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[KbCategory]:
    stmt = select(KbCategory).where(KbCategory.tenant_id == tenant_id)
    return (
        (await session.execute(stmt.order_by(KbCategory.position, KbCategory.name))).scalars().all()
    )


async def all_faqs(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[Faq]:
    stmt = select(Faq).where(Faq.tenant_id == tenant_id).order_by(Faq.created_at, Faq.id)
    return (await session.execute(stmt)).scalars().all()


async def list_faqs(
    session: AsyncSession,
    principal: Principal,
    q: str | None,
    category_id: uuid.UUID | None,
    cursor: Cursor | None,
    limit: int,
) -> tuple[Sequence[Faq], int]:
    stmt = select(Faq).where(Faq.tenant_id == principal.tenant_id)
    if category_id:
        stmt = stmt.where(Faq.category_id == category_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(
            or_(
                Faq.question_zh.ilike(like),
                Faq.question_en.ilike(like),
                Faq.answer_zh.ilike(like),
                Faq.answer_en.ilike(like),
            )
        )
    total = int(
        (await session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    )
    if cursor is not None:
        stmt = stmt.where(
            or_(Faq.updated_at < cursor.at, (Faq.updated_at == cursor.at) & (Faq.id < cursor.id))
        )
    stmt = stmt.order_by(Faq.updated_at.desc(), Faq.id.desc()).limit(limit + 1)
    return (await session.execute(stmt)).scalars().all(), total


async def words(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[KbWord]:
    stmt = select(KbWord).where(KbWord.tenant_id == tenant_id).order_by(KbWord.word)
    return (await session.execute(stmt)).scalars().all()


async def versions(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[KbVersion]:
    stmt = (
        select(KbVersion).where(KbVersion.tenant_id == tenant_id).order_by(KbVersion.number.desc())
    )
    return (await session.execute(stmt)).scalars().all()


async def state(session: AsyncSession, tenant_id: uuid.UUID) -> KbState | None:
    return await session.get(KbState, tenant_id)


async def live_version(session: AsyncSession, tenant_id: uuid.UUID) -> KbVersion | None:
    kb = await state(session, tenant_id)
    if kb is None or kb.live_version_id is None:
        return None
    return await session.get(KbVersion, kb.live_version_id)
