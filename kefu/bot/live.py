"""The engine each tenant's bot answers with: built once per published KB version, cached here.

A version's index is built by the first process that needs it and stored on the version row;
other processes load those bytes instead of building again. Building and loading run off the
event loop: builds on one dedicated thread (two builds at once only contend on a 2-core
machine), loads on the default thread pool, and no database connection is held meanwhile (on
SQLite the single pooled connection would otherwise stall every request for the whole build).
A build starts from the tenant's previous index (in memory, else the last stored one):
re-publishing after a few edits only embeds the changed phrasings and updates the classifier
instead of refitting it (`kefu.bot.incremental`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
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
log = logging.getLogger(__name__)
_BUILDS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-bot-build")


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


@dataclass(frozen=True)
class VersionSource:
    """What building or loading one version needs, read in one short session."""

    version_id: uuid.UUID
    number: int
    snapshot: dict[str, Any]
    settings: EngineSettings
    blob: bytes | None


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


def _build(
    snapshot: dict[str, Any], settings: EngineSettings, previous: Any, previous_blob: bytes | None
) -> tuple[Any, bytes]:
    """Build (in the build thread) from the previous index: its embeddings are the cache, and
    after a few edits its classifier is updated rather than refit."""
    from kefu.bot.engine import build_engine

    cache = None
    if previous is None and previous_blob is not None:
        previous = _try_load(previous_blob, settings)
        if previous is None:  # an older format: its embeddings still serve
            from kefu.bot.serialise import stored_embeddings

            cache = stored_embeddings(previous_blob)
    if previous is not None:
        cache = previous.embedding_cache()
    engine = build_engine(faq_docs(snapshot), settings, cache=cache, previous=previous)
    return engine, engine.to_bytes()


def _try_load(blob: bytes, settings: EngineSettings) -> Any:
    """The engine in `blob`, or None when the bytes are of an older index format."""
    from kefu.bot.engine import load_engine
    from kefu.bot.serialise import IndexFormatError

    try:
        return load_engine(blob, settings)
    except IndexFormatError:
        log.info("stored bot index is outdated; rebuilding it")
        return None


async def _read_source(
    session: AsyncSession, tenant_id: uuid.UUID, version_id: uuid.UUID
) -> VersionSource:
    version = await session.get(KbVersion, version_id)
    assert version is not None
    config = await session.get(BotConfig, tenant_id)
    blob = (
        await session.execute(select(KbVersion.index_blob).where(KbVersion.id == version_id))
    ).scalar_one()
    settings = engine_settings(config, version.snapshot)
    return VersionSource(version_id, version.number, version.snapshot, settings, blob)


async def _last_built_blob(session: AsyncSession, tenant_id: uuid.UUID) -> bytes | None:
    """The index bytes of the tenant's most recent version that has them (cache seed)."""
    stmt = (
        select(KbVersion.index_blob)
        .where(KbVersion.tenant_id == tenant_id, KbVersion.index_blob.is_not(None))
        .order_by(KbVersion.number.desc())
        .limit(1)
    )
    blob: bytes | None = (await session.execute(stmt)).scalar_one_or_none()
    return blob


def _live(source: VersionSource, engine: Any) -> LiveEngine:
    faqs = source.snapshot.get("faqs", [])
    questions = {f["id"]: {"zh": f["question_zh"], "en": f["question_en"]} for f in faqs}
    answers = {f["id"]: {"zh": f["answer_zh"], "en": f["answer_en"]} for f in faqs}
    validity = _validity(source.snapshot)
    return LiveEngine(source.version_id, source.number, engine, validity, questions, answers)


class Engines:
    """Per-process cache: tenant → engine of its live version."""

    def __init__(self) -> None:
        self._by_tenant: dict[uuid.UUID, LiveEngine] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._building: set[uuid.UUID] = set()

    @classmethod
    def of(cls, rt: Runtime) -> Engines:
        engines = rt.extras.get(CACHE_KEY)
        if engines is None:
            engines = rt.extras[CACHE_KEY] = cls()
        assert isinstance(engines, Engines)
        return engines

    def building(self, tenant_id: uuid.UUID) -> bool:
        """Whether this process is building an index for the tenant right now."""
        return tenant_id in self._building

    async def for_tenant(self, rt: Runtime, tenant_id: uuid.UUID) -> LiveEngine | None:
        """The engine of the tenant's live version (None without a published KB).

        Opens its own short sessions: callers must not hold one (SQLite has one writer
        connection).
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
                cached = await self._prepare(rt, tenant_id, state.live_version_id)
                self._by_tenant[tenant_id] = cached
        return cached

    async def _prepare(
        self, rt: Runtime, tenant_id: uuid.UUID, version_id: uuid.UUID
    ) -> LiveEngine:
        async with rt.db.sessions() as session:
            source = await _read_source(session, tenant_id, version_id)
        engine = None
        if source.blob is not None:
            engine = await asyncio.to_thread(_try_load, source.blob, source.settings)
        if engine is None:
            engine = await self._build(rt, tenant_id, source)
        return _live(source, engine)

    async def _build(self, rt: Runtime, tenant_id: uuid.UUID, source: VersionSource) -> Any:
        """Build in the build thread (no session held), then store the bytes on the version."""
        previous = self._by_tenant.get(tenant_id)
        previous_blob = None
        if previous is None:
            async with rt.db.sessions() as session:
                previous_blob = await _last_built_blob(session, tenant_id)
        self._building.add(tenant_id)
        try:
            loop = asyncio.get_running_loop()
            engine, blob = await loop.run_in_executor(
                _BUILDS,
                _build,
                source.snapshot,
                source.settings,
                previous.engine if previous else None,
                previous_blob,
            )
        finally:
            self._building.discard(tenant_id)
        stmt = update(KbVersion).where(KbVersion.id == source.version_id)
        if source.blob is None:  # another process may have stored it meanwhile: keep theirs
            stmt = stmt.where(KbVersion.index_blob.is_(None))
        async with rt.db.sessions() as session:
            await session.execute(stmt.values(index_blob=blob))
            await session.commit()
        return engine

    def forget(self, tenant_id: uuid.UUID) -> None:
        """Settings changed: the next message reloads the engine."""
        self._by_tenant.pop(tenant_id, None)
