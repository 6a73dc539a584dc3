"""The engine each tenant's bot answers with: built once per published KB version, cached here.

A version's index is built (in a worker thread) by the first process that needs it and stored on
the version row; other processes load those bytes instead of building again.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.bot.models import BotConfig
from kefu.bot.types import EngineSettings, FaqDoc
from kefu.core.context import Runtime
from kefu.knowledge import repository as kb_repo
from kefu.knowledge.models import KbVersion

CACHE_KEY = "bot.engines"


@dataclass(frozen=True)
class LiveEngine:
    version_id: uuid.UUID
    version_number: int
    engine: Any  # kefu.bot.engine.Engine (imported lazily: heavy)
    validity: dict[str, tuple[datetime | None, datetime | None]]
    questions: dict[str, dict[str, str]]
    answers: dict[str, dict[str, str]]

    def question(self, faq_id: str, language: str) -> str:
        """The FAQ's standard question in `language` ("zh" / "en"), else in the other one."""
        q = self.questions.get(faq_id, {})
        return q.get(language) or next((v for v in q.values() if v), "")

    def answer(self, faq_id: str, language: str) -> str:
        """The FAQ's answer in `language`, else in the other one."""
        a = self.answers.get(faq_id, {})
        return a.get(language) or next((v for v in a.values() if v), "")

    def valid_now(self, faq_id: str | None, now: datetime) -> bool:
        if faq_id is None:
            return False
        start, end = self.validity.get(faq_id, (None, None))
        return (start is None or start <= now) and (end is None or now < end)


def faq_docs(snapshot: dict[str, Any]) -> list[FaqDoc]:
    """Published FAQs as the engine sees them: both languages' phrasings, answers by language."""
    docs = []
    for f in snapshot.get("faqs", []):
        phrasings = [f["question_zh"], f["question_en"], *f["similar_zh"], *f["similar_en"]]
        phrasings = [p for p in dict.fromkeys(phrasings) if p]
        answers = {lang: f[f"answer_{lang}"] for lang in ("zh", "en") if f.get(f"answer_{lang}")}
        docs.append(
            FaqDoc(id=f["id"], question=phrasings[0], similar=tuple(phrasings[1:]), answers=answers)
        )
    return docs


def engine_settings(config: BotConfig | None, snapshot: dict[str, Any]) -> EngineSettings:
    words = snapshot.get("dictionary", [])
    synonyms = {syn: w["word"] for w in words for syn in w.get("synonyms", [])}
    base = EngineSettings(custom_words=tuple(w["word"] for w in words), synonyms=synonyms)
    if config is None:
        return base
    return EngineSettings(
        answer_threshold=config.answer_threshold,
        clarify_threshold=min(config.clarify_threshold, config.answer_threshold),
        handoff_on_negative=config.handoff_on_negative,
        custom_words=base.custom_words,
        synonyms=base.synonyms,
    )


def _validity(snapshot: dict[str, Any]) -> dict[str, tuple[datetime | None, datetime | None]]:
    def parse(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return {
        f["id"]: (parse(f.get("valid_from")), parse(f.get("valid_to")))
        for f in snapshot.get("faqs", [])
    }


def _build(snapshot: dict[str, Any], settings: EngineSettings) -> tuple[Any, bytes]:
    from kefu.bot.engine import build_engine

    engine = build_engine(faq_docs(snapshot), settings)
    return engine, engine.to_bytes()


def _load(blob: bytes, settings: EngineSettings) -> Any:
    from kefu.bot.engine import load_engine

    return load_engine(blob, settings)


class Engines:
    """Per-process cache: tenant → engine of its live version."""

    def __init__(self) -> None:
        self._by_tenant: dict[uuid.UUID, LiveEngine] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}

    @classmethod
    def of(cls, rt: Runtime) -> Engines:
        engines = rt.extras.get(CACHE_KEY)
        if engines is None:
            engines = rt.extras[CACHE_KEY] = cls()
        assert isinstance(engines, Engines)
        return engines

    async def for_tenant(self, rt: Runtime, tenant_id: uuid.UUID) -> LiveEngine | None:
        """The engine of the tenant's live version (None without a published KB).

        Opens its own sessions: callers must not hold one (SQLite has one writer connection).
        """
        async with rt.db.sessions() as session:
            state = await kb_repo.state(session, tenant_id)
        if state is None or state.live_version_id is None:
            return None
        cached = self._by_tenant.get(tenant_id)
        if cached is not None and cached.version_id == state.live_version_id:
            return cached
        async with self._locks.setdefault(tenant_id, asyncio.Lock()):
            cached = self._by_tenant.get(tenant_id)
            if cached is None or cached.version_id != state.live_version_id:
                async with rt.db.sessions() as session:
                    cached = await self._prepare(session, tenant_id, state.live_version_id)
                self._by_tenant[tenant_id] = cached
        return cached

    async def _prepare(
        self, session: AsyncSession, tenant_id: uuid.UUID, version_id: uuid.UUID
    ) -> LiveEngine:
        version = await session.get(KbVersion, version_id)
        assert version is not None
        config = await session.get(BotConfig, tenant_id)
        settings = engine_settings(config, version.snapshot)
        blob = (
            await session.execute(select(KbVersion.index_blob).where(KbVersion.id == version_id))
        ).scalar_one()
        if blob is not None:
            engine = await asyncio.to_thread(_load, blob, settings)
        else:
            engine, blob = await asyncio.to_thread(_build, version.snapshot, settings)
            await session.execute(
                update(KbVersion)
                .where(KbVersion.id == version_id, KbVersion.index_blob.is_(None))
                .values(index_blob=blob)
            )
            await session.commit()
        faqs = version.snapshot.get("faqs", [])
        questions = {f["id"]: {"zh": f["question_zh"], "en": f["question_en"]} for f in faqs}
        answers = {f["id"]: {"zh": f["answer_zh"], "en": f["answer_en"]} for f in faqs}
        validity = _validity(version.snapshot)
        return LiveEngine(version_id, version.number, engine, validity, questions, answers)

    def forget(self, tenant_id: uuid.UUID) -> None:
        """Settings changed: the next message reloads the engine."""
        self._by_tenant.pop(tenant_id, None)
