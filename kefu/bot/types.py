"""Frozen dataclasses that the answer engine's components pass between them.

Nothing here imports a model or numpy, so `import kefu.bot` stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Language = Literal["zh", "en"]
DecisionKind = Literal["answer", "clarify", "fallback", "smalltalk", "handoff"]
HandoffReason = Literal["explicit_request", "negative_sentiment"]
SmalltalkIntent = Literal["greeting", "thanks", "bye", "bot_identity"]


@dataclass(frozen=True, slots=True)
class FaqDoc:
    """One knowledge-base entry as the engine sees it.

    `answers` maps a language ("zh" / "en") to the answer text; `similar` holds the other ways
    contacts ask the same question.
    """

    id: str
    question: str
    similar: tuple[str, ...] = ()
    answers: Mapping[str, str] = field(default_factory=dict)

    def phrasings(self) -> tuple[str, ...]:
        """The standard question followed by the similar ones."""
        return (self.question, *self.similar)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Per-tenant knobs of the answer engine.

    Scores are fused confidences in [0, 1]. At or above `answer_threshold` the engine answers;
    at or above `clarify_threshold` it asks "did you mean" with the top `clarify_top_k`;
    below, it falls back. `fast_answer_threshold` lets a confident lexical match answer
    before the (slower) embedding stage runs.
    """

    answer_threshold: float = 0.55
    clarify_threshold: float = 0.25
    fast_answer_threshold: float = 0.9
    clarify_top_k: int = 3
    use_embeddings: bool = True
    handoff_on_negative: bool = True
    negative_threshold: float = -0.6
    custom_words: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sentiment:
    """Polarity in [-1, 1] (negative to positive) and whether it is strongly negative."""

    score: float
    strongly_negative: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked FAQ: its id, fused score and standard question (for "did you mean")."""

    faq_id: str
    score: float
    question: str


@dataclass(frozen=True, slots=True)
class StageTiming:
    """Wall time one pipeline stage took, in milliseconds."""

    stage: str
    ms: float


@dataclass(frozen=True, slots=True)
class Query:
    """A contact's message after normalisation, language detection and tokenisation."""

    text: str
    normalised: str
    language: Language
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """What the engine decided for one message.

    `faq_id` and `score` describe the best candidate (also on clarify, fallback and handoff, so
    that an agent sees what the bot would have said). `reply` is the answer or small-talk text in
    the contact's language, when there is one.
    """

    kind: DecisionKind
    language: Language
    faq_id: str | None
    score: float
    candidates: tuple[Candidate, ...]
    sentiment: Sentiment
    timings: tuple[StageTiming, ...]
    reply: str | None = None
    handoff_reason: HandoffReason | None = None
    smalltalk: SmalltalkIntent | None = None

    @property
    def total_ms(self) -> float:
        """Sum of the stage timings."""
        return sum(t.ms for t in self.timings)
