"""Systems under evaluation: the engine and the two reference baselines, behind one interface.

- `engine`: the full answer engine, built from the training file as FAQs and negatives;
- `tfidf`: character n-gram (1–4) TF-IDF + logistic regression, confidence = max probability;
- `embedding`: the same bundled sentence embeddings as the engine + logistic regression.

Baselines train on in-scope rows only (as in the reference numbers) and route by the same
thresholds as the engine.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kefu.bot.evaluate import OOS, Example, Outcome, Thresholds, faqs_from_examples, route
from kefu.bot.normalise import normalise
from kefu.bot.types import EngineSettings

if TYPE_CHECKING:
    from kefu.bot.embed import EmbeddingCache
    from kefu.bot.engine import Engine
    from kefu.bot.evaluate import System

SYSTEMS = ("engine", "tfidf", "embedding")
# Sentiment handoff is a conversation policy, not intent accuracy: the eval measures the latter.
EVAL_SETTINGS = EngineSettings(handoff_on_negative=False)


class EngineSystem:
    """The answer engine under evaluation."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._by_thresholds: dict[Thresholds, Engine] = {}

    def ask(self, text: str, thresholds: Thresholds) -> Outcome:
        """Ask the engine under `thresholds`, timing the whole call."""
        engine = self._by_thresholds.get(thresholds)
        if engine is None:
            settings = dataclasses.replace(
                self._engine.settings,
                answer_threshold=thresholds.answer,
                clarify_threshold=thresholds.clarify,
            )
            engine = self._by_thresholds.setdefault(
                thresholds, self._engine.with_settings(settings)
            )
        started = time.perf_counter()
        decision = engine.answer(text)
        ms = (time.perf_counter() - started) * 1000
        return Outcome(decision.faq_id, decision.score, decision.kind, ms)


class LinearBaseline:
    """Logistic regression over a feature function; confidence = its maximum probability."""

    def __init__(self, model: Any, featurise: Any) -> None:
        self._model = model
        self._featurise = featurise

    def ask(self, text: str, thresholds: Thresholds) -> Outcome:
        """Classify one message, timing featurisation and prediction."""
        started = time.perf_counter()
        probabilities = self._model.predict_proba(self._featurise([normalise(text)]))[0]
        best = int(probabilities.argmax())
        ms = (time.perf_counter() - started) * 1000
        score = float(probabilities[best])
        return Outcome(str(self._model.classes_[best]), score, route(score, thresholds), ms)


def build_system(
    name: str, train: Sequence[Example], cache: EmbeddingCache | None = None
) -> System:
    """Build the named system on `train`."""
    if name == "engine":
        from kefu.bot.engine import build_engine

        faqs, negatives = faqs_from_examples(train)
        return EngineSystem(build_engine(faqs, EVAL_SETTINGS, negatives, cache))
    if name == "tfidf":
        return _tfidf_baseline(train)
    if name == "embedding":
        return _embedding_baseline(train, cache)
    raise ValueError(f"unknown system {name!r}; choose one of {', '.join(SYSTEMS)}")


def _in_scope(train: Sequence[Example]) -> tuple[list[str], list[str]]:
    rows = [e for e in train if e.label != OOS]
    return [normalise(e.text) for e in rows], [e.label for e in rows]


def _tfidf_baseline(train: Sequence[Example]) -> LinearBaseline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts, labels = _in_scope(train)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
    model = LogisticRegression(C=10.0, max_iter=300).fit(vectorizer.fit_transform(texts), labels)
    return LinearBaseline(model, vectorizer.transform)


def _embedding_baseline(train: Sequence[Example], cache: EmbeddingCache | None) -> LinearBaseline:
    from sklearn.linear_model import LogisticRegression

    from kefu.bot.embed import EmbeddingCache, embed_one

    texts, labels = _in_scope(train)
    vectors = (cache if cache is not None else EmbeddingCache()).embed(texts)
    model = LogisticRegression(C=10.0, max_iter=500).fit(vectors, labels)

    def featurise(batch: list[str]) -> Any:
        return embed_one(batch[0])[None, :]

    return LinearBaseline(model, featurise)
