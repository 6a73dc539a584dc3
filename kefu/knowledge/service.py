"""Rules and writes for the knowledge base: edit drafts, import, publish, roll back."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, Invalid
from kefu.knowledge import repository as repo
from kefu.knowledge.events import KbPublished
from kefu.knowledge.models import Faq, KbCategory, KbState, KbVersion, KbWord
from kefu.knowledge.schemas import CategoryIn, FaqIn, ImportResult, WordIn
from kefu.knowledge.transfer import ParsedFaq
from kefu.realtime.service import record_event


def _clean(phrases: list[str]) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in phrases if p.strip()))


async def touch_draft(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    kb = await repo.state(session, tenant_id)
    if kb is None:
        session.add(KbState(tenant_id=tenant_id, draft_changed_at=utcnow()))
    else:
        kb.draft_changed_at = utcnow()


async def create_category(
    session: AsyncSession, principal: Principal, data: CategoryIn
) -> KbCategory:
    if data.parent_id is not None:
        await repo.get_category_for(session, principal, data.parent_id)
    category = KbCategory(tenant_id=principal.tenant_id, **data.model_dump())
    session.add(category)
    await session.flush()
    return category


async def delete_category(session: AsyncSession, category: KbCategory) -> None:
    used = await session.execute(
        select(func.count()).select_from(Faq).where(Faq.category_id == category.id)
    )
    children = await session.execute(
        select(func.count()).select_from(KbCategory).where(KbCategory.parent_id == category.id)
    )
    if used.scalar_one() or children.scalar_one():
        raise Conflict("category_not_empty")
    await session.delete(category)


def _apply(faq: Faq, data: FaqIn) -> None:
    values = data.model_dump()
    values["similar_zh"] = _clean(data.similar_zh)
    values["similar_en"] = _clean(data.similar_en)
    values["tags"] = _clean(data.tags)
    values["related_ids"] = [str(r) for r in data.related_ids]
    for key, value in values.items():
        setattr(faq, key, value)
    faq.updated_at = utcnow()


async def save_faq(
    session: AsyncSession, principal: Principal, data: FaqIn, faq: Faq | None = None
) -> Faq:
    if data.category_id is not None:
        await repo.get_category_for(session, principal, data.category_id)
    for related in data.related_ids:
        await repo.get_faq_for(session, principal, related)
    if faq is None:
        faq = Faq(tenant_id=principal.tenant_id)
        session.add(faq)
    _apply(faq, data)
    await session.flush()
    await touch_draft(session, principal.tenant_id)
    return faq


async def delete_faq(session: AsyncSession, principal: Principal, faq: Faq) -> None:
    await session.delete(faq)
    await touch_draft(session, principal.tenant_id)


async def _category_ids(
    session: AsyncSession, principal: Principal, names: set[str]
) -> dict[str, uuid.UUID]:
    existing = {c.name: c.id for c in await repo.categories(session, principal.tenant_id)}
    for name in sorted(names - set(existing)):
        category = KbCategory(tenant_id=principal.tenant_id, name=name)
        session.add(category)
        await session.flush()
        existing[name] = category.id
    return existing


async def import_faqs(
    session: AsyncSession, principal: Principal, rows: list[ParsedFaq], replace: bool
) -> ImportResult:
    """Write a validated import in one transaction (the caller commits or nothing happens)."""
    current = {f.id: f for f in await repo.all_faqs(session, principal.tenant_id)}
    unknown = [r for r in rows if r.id is not None and r.id not in current]
    if unknown:
        raise Invalid(detail=f"row {unknown[0].row}: id not found")
    if replace:
        keep = {r.id for r in rows if r.id is not None}
        await session.execute(
            delete(Faq).where(Faq.tenant_id == principal.tenant_id, Faq.id.not_in(keep))
        )
    categories = await _category_ids(session, principal, {r.category for r in rows if r.category})
    created = 0
    now = utcnow()
    for r in rows:
        faq = current.get(r.id) if r.id else None
        if faq is None:
            faq = Faq(tenant_id=principal.tenant_id, created_at=now)
            session.add(faq)
            created += 1
        _assign_parsed(faq, r, categories.get(r.category), now)
    await session.flush()
    await touch_draft(session, principal.tenant_id)
    return ImportResult(created=created, updated=len(rows) - created)


def _assign_parsed(faq: Faq, r: ParsedFaq, category_id: uuid.UUID | None, now: Any) -> None:
    faq.category_id = category_id
    faq.question_zh, faq.question_en = r.question_zh, r.question_en
    faq.similar_zh, faq.similar_en = r.similar_zh, r.similar_en
    faq.answer_zh, faq.answer_en = r.answer_zh, r.answer_en
    faq.tags, faq.enabled = r.tags, r.enabled
    faq.valid_from, faq.valid_to = r.valid_from, r.valid_to
    faq.updated_at = now


async def set_dictionary(
    session: AsyncSession, principal: Principal, entries: list[WordIn]
) -> None:
    await session.execute(delete(KbWord).where(KbWord.tenant_id == principal.tenant_id))
    merged: dict[str, list[str]] = {}
    for entry in entries:
        merged.setdefault(entry.word.strip(), []).extend(_clean(entry.synonyms))
    for word, synonyms in merged.items():
        session.add(KbWord(tenant_id=principal.tenant_id, word=word, synonyms=_clean(synonyms)))
    await session.flush()
    await touch_draft(session, principal.tenant_id)


def snapshot_faq(faq: Faq, category: str) -> dict[str, Any]:
    return {
        "id": str(faq.id),
        "category": category,
        "question_zh": faq.question_zh,
        "question_en": faq.question_en,
        "similar_zh": faq.similar_zh,
        "similar_en": faq.similar_en,
        "answer_zh": faq.answer_zh,
        "answer_en": faq.answer_en,
        "channel_answers": faq.channel_answers,
        "tags": faq.tags,
        "related_ids": faq.related_ids,
        "valid_from": faq.valid_from.isoformat() if faq.valid_from else None,
        "valid_to": faq.valid_to.isoformat() if faq.valid_to else None,
    }


async def build_snapshot(session: AsyncSession, tenant_id: uuid.UUID) -> dict[str, Any]:
    names = {c.id: c.name for c in await repo.categories(session, tenant_id)}
    faqs = [
        snapshot_faq(f, names.get(f.category_id, "") if f.category_id else "")
        for f in await repo.all_faqs(session, tenant_id)
        if f.enabled
    ]
    dictionary = [
        {"word": w.word, "synonyms": w.synonyms} for w in await repo.words(session, tenant_id)
    ]
    return {"faqs": faqs, "dictionary": dictionary}


async def _go_live(
    session: AsyncSession,
    rt: Runtime,
    tenant_id: uuid.UUID,
    version: KbVersion,
    *,
    rolled_back: bool,
) -> None:
    kb = await repo.state(session, tenant_id)
    if kb is None:
        kb = KbState(tenant_id=tenant_id)
        session.add(kb)
    kb.live_version_id = version.id
    if not rolled_back:
        kb.draft_changed_at = None
    await session.flush()
    event = KbPublished(version_id=version.id, number=version.number, rolled_back=rolled_back)
    await record_event(session, rt, tenant_id, event)


async def publish(session: AsyncSession, rt: Runtime, principal: Principal, note: str) -> KbVersion:
    """Snapshot the draft into a new version and make it live, atomically."""
    last = await session.execute(
        select(func.max(KbVersion.number)).where(KbVersion.tenant_id == principal.tenant_id)
    )
    snapshot = await build_snapshot(session, principal.tenant_id)
    version = KbVersion(
        tenant_id=principal.tenant_id,
        number=int(last.scalar() or 0) + 1,
        note=note,
        faq_count=len(snapshot["faqs"]),
        snapshot=snapshot,
        created_by=principal.user_id,
    )
    session.add(version)
    await session.flush()
    await _go_live(session, rt, principal.tenant_id, version, rolled_back=False)
    return version


async def rollback(
    session: AsyncSession, rt: Runtime, principal: Principal, version: KbVersion
) -> KbVersion:
    """Make an earlier version live again (the draft is left as it is)."""
    await _go_live(session, rt, principal.tenant_id, version, rolled_back=True)
    return version
