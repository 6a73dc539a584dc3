"""The answer engine: normalise → detect language → hand off / small talk → retrieve → decide.

An `Engine` wraps one immutable `BotIndex` and the tenant's settings. `answer()` never mutates
shared state (the embedding model call is serialised by a lock inside `kefu.bot.embed`), so one
engine may serve many threads. Build once per published knowledge-base version, ship it to other
processes with `to_bytes()` / `load_engine()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kefu.bot.handoff import wants_human
from kefu.bot.index import BotIndex, build_index
from kefu.bot.language import detect_language
from kefu.bot.normalise import normalise
from kefu.bot.policy import route
from kefu.bot.scoring import confidences, negative_position, ranked_labels, retrieval_scores
from kefu.bot.sentiment import analyse_sentiment
from kefu.bot.smalltalk import detect_smalltalk, smalltalk_reply
from kefu.bot.timing import Stopwatch
from kefu.bot.types import (
    Candidate,
    Decision,
    DecisionKind,
    EngineSettings,
    FaqDoc,
    HandoffReason,
    Language,
    Query,
    Sentiment,
    SmalltalkIntent,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from kefu.bot.embed import EmbeddingCache

NEUTRAL = Sentiment(0.0, False)


class Engine:
    """Answers one message at a time from a built index."""

    def __init__(self, index: BotIndex, settings: EngineSettings) -> None:
        self.index = index
        self.settings = settings
        self._negative = negative_position(index.labels)

    def with_settings(self, settings: EngineSettings) -> Engine:
        """The same index under other thresholds (custom words and synonyms stay as built)."""
        return Engine(self.index, settings)

    def answer(self, text: str) -> Decision:
        """Decide how to reply to the contact's message `text`."""
        watch = Stopwatch()
        query = self._understand(text, watch)
        if wants_human(query.normalised):
            watch.lap("handoff")
            return self._bare(query, "handoff", NEUTRAL, watch, reason="explicit_request")
        sentiment = analyse_sentiment(text, query.language, self.settings.negative_threshold)
        watch.lap("sentiment")
        early = self._before_embedding(query, sentiment, watch)
        if early is not None:
            return early
        candidates = self._rank(query, watch)
        return self._decide(query, sentiment, candidates, watch)

    def embedding_cache(self) -> EmbeddingCache:
        """A cache seeded with this index's phrasing embeddings, for the next build.

        `build_engine(edited_faqs, settings, cache=old.embedding_cache())` embeds only the
        phrasings that changed.
        """
        from kefu.bot.embed import EmbeddingCache, text_key

        cache = EmbeddingCache()
        if self.index.dense is not None:
            cache.add((text_key(t) for t in self.index.texts), self.index.dense.vectors)
        return cache

    def warm_up(self) -> None:
        """Load every lazy model now (jieba, OpenCC, sentiment, embeddings), not on a message."""
        self.answer("你好，我想问一下怎么退货")
        self.answer("hello, how do I return an item")

    def to_bytes(self) -> bytes:
        """The index as bytes, for `load_engine()` in another process (trusted storage only)."""
        from kefu.bot.serialise import dump_index

        return dump_index(self.index)

    def _understand(self, text: str, watch: Stopwatch) -> Query:
        normalised = normalise(text)
        watch.lap("normalise")
        language: Language = detect_language(text)
        watch.lap("language")
        tokens = self.index.tokeniser.tokens(normalised)
        watch.lap("tokenise")
        return Query(text, normalised, language, tokens)

    def _before_embedding(
        self, query: Query, sentiment: Sentiment, watch: Stopwatch
    ) -> Decision | None:
        """Exact phrasings and small talk, answered without the embedding model."""
        if sentiment.strongly_negative and self.settings.handoff_on_negative:
            return None  # rank first, so that the agent sees what the bot would have said
        faq_id = self.index.exact.get(query.normalised)
        watch.lap("exact")
        if faq_id is not None and faq_id in self.index.faqs:
            faq = self.index.faqs[faq_id]
            candidate = Candidate(faq_id, 1.0, faq.question)
            return self._decide(query, sentiment, (candidate,), watch)
        if faq_id is None and (intent := detect_smalltalk(query.normalised)) is not None:
            watch.lap("smalltalk")
            owner = self.index.smalltalk_owners.get(intent)
            if owner is not None:  # the tenant's own FAQ for this small talk wins
                candidate = Candidate(owner, 1.0, self.index.faqs[owner].question)
                return self._decide(query, sentiment, (candidate,), watch)
            reply = smalltalk_reply(intent, query.language)
            return self._bare(query, "smalltalk", sentiment, watch, reply=reply, intent=intent)
        return None

    def _rank(self, query: Query, watch: Stopwatch) -> tuple[Candidate, ...]:
        vector = None
        if self.index.dense is not None:
            from kefu.bot.embed import embed_one

            vector = embed_one(query.normalised)
            watch.lap("embed")
        decision = None
        if self.index.classifier is not None:
            classifier = self.index.classifier
            decision = classifier.scores([query.normalised], [query.tokens], _rows(vector))[0]
            watch.lap("classify")
        scores = retrieval_scores(decision, query.tokens, vector, self.index.bm25, self.index.dense)
        watch.lap("retrieve")
        k = max(self.settings.clarify_top_k, 1)
        top = ranked_labels(scores, self.index.labels, k)
        confidence = confidences(scores, top, self.index.calibrator, self._negative)
        watch.lap("fuse")
        return self._candidates(top.tolist(), confidence.tolist())

    def _candidates(self, top: Sequence[int], confidence: Sequence[float]) -> tuple[Candidate, ...]:
        found = []
        for position, score in zip(top, confidence, strict=True):
            faq = self.index.faqs[self.index.labels[int(position)]]
            found.append(Candidate(faq.id, float(score), faq.question))
        found.sort(key=lambda c: -c.score)
        return tuple(found)

    def _decide(
        self,
        query: Query,
        sentiment: Sentiment,
        candidates: tuple[Candidate, ...],
        watch: Stopwatch,
    ) -> Decision:
        kind = route(candidates, self.settings)
        reason: HandoffReason | None = None
        if sentiment.strongly_negative and self.settings.handoff_on_negative:
            kind, reason = "handoff", "negative_sentiment"
        best = candidates[0] if candidates else None
        reply = _reply(self.index.faqs[best.faq_id], query.language) if best else None
        watch.lap("decide")
        return Decision(
            kind=kind,
            language=query.language,
            faq_id=best.faq_id if best else None,
            score=best.score if best else 0.0,
            candidates=candidates[: self.settings.clarify_top_k],
            sentiment=sentiment,
            timings=watch.timings(),
            reply=reply if kind == "answer" else None,
            handoff_reason=reason,
        )

    @staticmethod
    def _bare(
        query: Query,
        kind: DecisionKind,
        sentiment: Sentiment,
        watch: Stopwatch,
        *,
        reason: HandoffReason | None = None,
        reply: str | None = None,
        intent: SmalltalkIntent | None = None,
    ) -> Decision:
        """A decision that involved no retrieval."""
        return Decision(
            kind=kind,
            language=query.language,
            faq_id=None,
            score=0.0,
            candidates=(),
            sentiment=sentiment,
            timings=watch.timings(),
            reply=reply,
            handoff_reason=reason,
            smalltalk=intent,
        )


def _rows(vector: NDArray[np.float32] | None) -> NDArray[np.float32] | None:
    return None if vector is None else vector[None, :]


def _reply(faq: FaqDoc, language: Language) -> str | None:
    """The answer in `language`, else in any language the FAQ has."""
    if language in faq.answers:
        return faq.answers[language]
    return next(iter(faq.answers.values()), None)


def build_engine(
    faqs: Sequence[FaqDoc],
    settings: EngineSettings,
    negatives: Sequence[str] = (),
    cache: EmbeddingCache | None = None,
    previous: Engine | None = None,
) -> Engine:
    """Build an engine for `faqs`; `negatives` are messages the bot must not answer.

    With `previous` (the tenant's engine before the edits), a knowledge base whose phrasings
    changed little is updated from it rather than refit (`kefu.bot.incremental`).
    """
    index = build_index(faqs, settings, negatives, cache, previous.index if previous else None)
    return Engine(index, settings)


def load_engine(data: bytes, settings: EngineSettings) -> Engine:
    """An engine from `Engine.to_bytes()` output, under `settings`' thresholds."""
    from kefu.bot.serialise import load_index

    return Engine(load_index(data), settings)
