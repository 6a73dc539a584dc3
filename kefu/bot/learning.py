"""The knowledge base learns from what the bot could not answer.

Contact messages the bot fell back on, could only clarify, or that the contact rated not helpful
are gathered from the last `WINDOW_DAYS` days (unreviewed ones only) and grouped into clusters of
the same question asked in different words: the bot's own sentence embeddings and a greedy pass,
most frequent texts first, that puts a text into the cluster whose leader it resembles most
(cosine ≥ `SIMILARITY_EN`, or `SIMILARITY_ZH` between two Chinese texts), else starts one.
Each cluster suggests the FAQ the bot offered most often for its messages ("did you mean" first,
or the answer rated not helpful; a fallback offers nothing, so a cluster of fallbacks suggests
nothing and the admin picks), so an admin can take the whole cluster into that FAQ as similar
questions in one step, or dismiss it. Either marks its bot turns reviewed: they leave
the list, while the same question asked again later comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.bot.embed import EmbeddingCache
from kefu.bot.language import detect_language
from kefu.bot.models import BotTurn
from kefu.bot.normalise import normalise
from kefu.conversations.models import Message
from kefu.core.auth import Principal
from kefu.core.db import rows_affected, utcnow
from kefu.core.errors import Conflict, NotFound
from kefu.knowledge import repository as kb_repo
from kefu.knowledge import service as kb_service
from kefu.knowledge.models import Faq
from kefu.knowledge.schemas import MAX_SIMILAR, FaqIn

WINDOW_DAYS = 30
MAX_TURNS = 2000  # the newest unreviewed ones; older ones wait for the next review
MAX_TEXTS = 500  # distinct texts clustered, the most frequent (embedding 500 takes ~7 s)
# Cosine of joined embeddings from which two texts ask the same thing. Chinese texts have no
# MiniLM half, and e5's cosines sit higher. Chosen for precision (a wrong text taken into an
# FAQ teaches the bot a wrong answer) on public data, pairs of 1,500 messages: CLINC150's val
# file, same intent at ≥ 0.88: precision 0.94, recall 0.20; crosswoz_zh's training file at
# ≥ 0.94: 0.73 / 0.33, its intents being narrow (lexical TF-IDF: 0.77 / 0.03). docs/bot.md.
SIMILARITY_EN = 0.88
SIMILARITY_ZH = 0.94
CACHE_LIMIT = 20_000
UNANSWERED = ("fallback", "clarify")
_CACHE = EmbeddingCache()


@dataclass(frozen=True, slots=True)
class Turn:
    """One unanswered contact message, as the bot saw it."""

    id: uuid.UUID
    text: str
    top_faq: str | None  # the FAQ the bot ranked first, if it offered it (not on a fallback)
    top_score: float
    at: datetime


@dataclass(frozen=True, slots=True)
class Cluster:
    """Messages asking the same thing; `examples` are its distinct texts, most frequent first."""

    question: str
    examples: list[tuple[str, int]]
    turn_ids: list[uuid.UUID]
    suggested_faq: str | None
    suggested_score: float | None
    last_seen_at: datetime

    @property
    def count(self) -> int:
        return len(self.turn_ids)


async def unanswered_turns(
    session: AsyncSession, tenant_id: uuid.UUID, since: datetime
) -> list[Turn]:
    """The tenant's unreviewed bot turns since `since` that did not answer, newest first."""
    stmt = (
        select(BotTurn.id, Message.body, BotTurn.outcome, BotTurn.candidates, BotTurn.created_at)
        .join(Message, Message.id == BotTurn.message_id)
        .where(
            BotTurn.tenant_id == tenant_id,
            BotTurn.created_at >= since,
            BotTurn.reviewed_at.is_(None),
            or_(BotTurn.outcome.in_(UNANSWERED), BotTurn.helpful.is_(False)),
        )
        .order_by(BotTurn.created_at.desc())
        .limit(MAX_TURNS)
    )
    return [_turn(*row) for row in (await session.execute(stmt)).all()]


def _turn(
    turn_id: uuid.UUID, body: str, outcome: str, candidates: list[dict[str, Any]], at: datetime
) -> Turn:
    top = candidates[0] if candidates and outcome != "fallback" else {}
    faq = top.get("faq_id")
    return Turn(turn_id, body.strip(), str(faq) if faq else None, float(top.get("score", 0.0)), at)


def cluster(turns: Sequence[Turn]) -> list[Cluster]:
    """Group `turns` by question, largest clusters first."""
    by_text: dict[str, list[Turn]] = defaultdict(list)
    for turn in turns:
        key = normalise(turn.text)
        if key:
            by_text[key].append(turn)
    texts = sorted(by_text, key=lambda t: (-len(by_text[t]), t))[:MAX_TEXTS]
    groups = _group(texts)
    clusters = [_cluster([by_text[t] for t in group]) for group in groups]
    return sorted(clusters, key=lambda c: (-c.count, c.question))


def _group(texts: list[str]) -> list[list[str]]:
    """Texts (most frequent first) in groups, each led by its first text."""
    if not texts:
        return []
    vectors = _embeddings(texts)
    chinese = [detect_language(t) == "zh" for t in texts]
    leaders: list[int] = []
    groups: list[list[str]] = []
    for i in range(len(texts)):
        if leaders:
            similarity = vectors[leaders] @ vectors[i]
            both_zh = [chinese[i] and chinese[j] for j in leaders]
            needed = [SIMILARITY_ZH if zh else SIMILARITY_EN for zh in both_zh]
            fits = [k for k in range(len(leaders)) if similarity[k] >= needed[k]]
            if fits:
                groups[max(fits, key=lambda k: float(similarity[k]))].append(texts[i])
                continue
        leaders.append(i)
        groups.append([texts[i]])
    return groups


def _embeddings(texts: list[str]) -> Any:
    """The texts' embeddings through a process-wide cache (a review list is opened again and
    again with mostly the same questions)."""
    if len(_CACHE) > CACHE_LIMIT:
        _CACHE.clear()
    return _CACHE.embed(texts)


def _cluster(members: list[list[Turn]]) -> Cluster:
    turns = [turn for same in members for turn in same]
    examples = [(same[0].text, len(same)) for same in members]  # most frequent first already
    votes: Counter[str] = Counter(t.top_faq for t in turns if t.top_faq)
    suggested = votes.most_common(1)[0][0] if votes else None
    scores = [t.top_score for t in turns if suggested and t.top_faq == suggested]
    return Cluster(
        question=members[0][0].text,
        examples=examples,
        turn_ids=[t.id for t in turns],
        suggested_faq=suggested,
        suggested_score=round(sum(scores) / len(scores), 4) if scores else None,
        last_seen_at=max(t.at for t in turns),
    )


async def clusters_for(
    session: AsyncSession, tenant_id: uuid.UUID, since: datetime
) -> list[Cluster]:
    """The clusters of the turns since `since` (embedding runs in a worker thread)."""
    turns = await unanswered_turns(session, tenant_id, since)
    return await asyncio.to_thread(cluster, turns)


async def suggested_questions(
    session: AsyncSession, tenant_id: uuid.UUID, clusters: Sequence[Cluster]
) -> dict[str, str]:
    """Standard questions of the suggested FAQs that still exist in the tenant's draft."""
    ids = set()
    for c in clusters:
        if c.suggested_faq:
            with contextlib.suppress(ValueError):  # a FAQ id kefu did not write: skip it
                ids.add(uuid.UUID(c.suggested_faq))
    if not ids:
        return {}
    stmt = select(Faq).where(Faq.tenant_id == tenant_id, Faq.id.in_(ids))
    return {str(f.id): f.question_zh or f.question_en for f in await session.scalars(stmt)}


async def _texts_of(
    session: AsyncSession, principal: Principal, turn_ids: Sequence[uuid.UUID]
) -> list[str]:
    """The messages of the tenant's bot turns `turn_ids`; 404 when one is not the tenant's."""
    stmt = (
        select(BotTurn.id, Message.body)
        .join(Message, Message.id == BotTurn.message_id)
        .where(BotTurn.tenant_id == principal.tenant_id, BotTurn.id.in_(set(turn_ids)))
    )
    rows = {turn_id: body for turn_id, body in (await session.execute(stmt)).all()}
    if len(rows) != len(set(turn_ids)):
        raise NotFound("bot_turn")
    return [str(rows[t]).strip() for t in dict.fromkeys(turn_ids)]


async def take_into_faq(
    session: AsyncSession, principal: Principal, turn_ids: Sequence[uuid.UUID], faq_id: uuid.UUID
) -> tuple[Faq, int, int]:
    """Add the turns' messages to the draft FAQ as similar questions (each in its language's
    list) through the knowledge base's own write, and mark the turns reviewed; returns the FAQ,
    how many phrasings were new to it and how many turns left the list."""
    faq = await kb_repo.get_faq_for(session, principal, faq_id)
    texts = await _texts_of(session, principal, turn_ids)
    lists = {"zh": list(faq.similar_zh), "en": list(faq.similar_en)}
    known = {normalise(p) for p in (*lists["zh"], *lists["en"], faq.question_zh, faq.question_en)}
    added = 0
    for text in texts:
        if normalise(text) not in known:
            known.add(normalise(text))
            lists[detect_language(text)].append(text)
            added += 1
    if max(len(lists["zh"]), len(lists["en"])) > MAX_SIMILAR:
        raise Conflict("faq_similar_limit", limit=MAX_SIMILAR)
    data = FaqIn.model_validate(faq, from_attributes=True)
    edited = data.model_copy(update={"similar_zh": lists["zh"], "similar_en": lists["en"]})
    await kb_service.save_faq(session, principal, edited, faq)
    return faq, added, await _mark_reviewed(session, principal.tenant_id, turn_ids)


async def dismiss(
    session: AsyncSession, principal: Principal, turn_ids: Sequence[uuid.UUID]
) -> int:
    """Take the turns off the learning list without using them; returns how many left it."""
    await _texts_of(session, principal, turn_ids)  # 404 unless every id is the tenant's
    return await _mark_reviewed(session, principal.tenant_id, turn_ids)


async def _mark_reviewed(
    session: AsyncSession, tenant_id: uuid.UUID, turn_ids: Sequence[uuid.UUID]
) -> int:
    stmt = (
        update(BotTurn)
        .where(BotTurn.tenant_id == tenant_id, BotTurn.id.in_(set(turn_ids)))
        .where(BotTurn.reviewed_at.is_(None))
        .values(reviewed_at=utcnow())
    )
    return rows_affected(await session.execute(stmt))
