"""Building the searchable index of one knowledge-base version.

`build_index` normalises and tokenises every phrasing (standard and similar questions, plus
negatives), embeds them through the cache, fits the classifier and its calibrator, and indexes
BM25 and dense retrieval. Given the tenant's previous index and only a few changed phrasings, it
updates that index's classifier and keeps its calibrator instead (`kefu.bot.incremental`).
The result is immutable: answering never changes it, so one index can serve many threads, and a
new version is a new index swapped in whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kefu.bot.calibrate import Calibrator, default_calibrator
from kefu.bot.classifier import NEGATIVE_LABEL, IntentClassifier, fit_classifier
from kefu.bot.normalise import normalise
from kefu.bot.retrieval import Bm25Index, DenseIndex, build_bm25, group_by_label
from kefu.bot.tokenise import Tokeniser, make_tokeniser
from kefu.bot.types import EngineSettings, FaqDoc

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from kefu.bot.embed import EmbeddingCache
    from kefu.bot.incremental import Change

MIN_ROWS_FOR_CV = 40
# Past this many FAQs (a large FAQ catalogue rather than intents) the engine ranks by retrieval:
# a one-vs-rest model would cost O(labels x features) memory and minutes to fit.
MAX_CLASSIFIER_LABELS = 300
MIN_ROWS_PER_LABEL_FOR_CV = 3


@dataclass(frozen=True, slots=True)
class Phrasings:
    """Normalised training texts and their labels (FAQ ids or `NEGATIVE_LABEL`)."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BotIndex:
    """Everything the engine needs to answer from one knowledge-base version."""

    faqs: Mapping[str, FaqDoc]
    exact: Mapping[str, str]
    tokeniser: Tokeniser
    labels: tuple[str, ...]
    phrasings: Phrasings
    classifier: IntentClassifier | None
    smalltalk_owners: Mapping[str, str]
    bm25: Bm25Index
    dense: DenseIndex | None
    calibrator: Calibrator
    drift: int = 0  # phrasings added or removed since the last full build (0: this is one)

    @property
    def texts(self) -> tuple[str, ...]:
        """The normalised phrasings, in the row order of `dense` and `bm25`."""
        return self.phrasings.texts


def collect_phrasings(faqs: Sequence[FaqDoc], negatives: Sequence[str]) -> Phrasings:
    """Normalised, de-duplicated (text, label) pairs; empty texts are dropped."""
    seen: set[tuple[str, str]] = set()
    texts: list[str] = []
    labels: list[str] = []
    pairs = [(p, f.id) for f in faqs for p in f.phrasings()]
    pairs += [(n, NEGATIVE_LABEL) for n in negatives]
    for raw, label in pairs:
        text = normalise(raw)
        if text and (text, label) not in seen:
            seen.add((text, label))
            texts.append(text)
            labels.append(label)
    return Phrasings(tuple(texts), tuple(labels))


def exact_matches(phrasings: Phrasings) -> dict[str, str]:
    """Texts that belong to exactly one label, mapped to it."""
    owners: dict[str, set[str]] = {}
    for text, label in zip(phrasings.texts, phrasings.labels, strict=True):
        owners.setdefault(text, set()).add(label)
    return {text: next(iter(ls)) for text, ls in owners.items() if len(ls) == 1}


def positions(labels: Sequence[str], order: Sequence[str]) -> list[int]:
    """The position in `order` of each label."""
    where = {label: i for i, label in enumerate(order)}
    return [where[label] for label in labels]


def build_index(
    faqs: Sequence[FaqDoc],
    settings: EngineSettings,
    negatives: Sequence[str] = (),
    cache: EmbeddingCache | None = None,
    previous: BotIndex | None = None,
) -> BotIndex:
    """Build the index for `faqs`; `cache` carries embeddings over from earlier builds, and
    `previous` (the tenant's last index) is updated rather than refit when little changed."""
    from kefu.bot.embed import EmbeddingCache
    from kefu.bot.incremental import plan_change

    if not faqs:
        raise ValueError("a knowledge base needs at least one FAQ")
    phrasings = collect_phrasings(faqs, _negatives_for(faqs, negatives))
    tokeniser = make_tokeniser(settings.custom_words, settings.synonyms)
    tokens = [tokeniser.tokens(t) for t in phrasings.texts]
    vectors = None
    if settings.use_embeddings:
        vectors = (cache if cache is not None else EmbeddingCache()).embed(phrasings.texts)
    classify = wants_classifier(phrasings)
    change = plan_change(previous, phrasings, tokeniser, vectors is not None, classify)
    classifier = _classifier(phrasings, tokens, vectors, change) if classify else None
    labels = classifier.labels if classifier else tuple(sorted(set(phrasings.labels)))
    bm25 = _bm25(phrasings, tokens, labels)
    dense = _dense(phrasings, vectors, labels)
    if change is not None:
        calibrator = change.previous.calibrator
    elif classifier is None:
        from kefu.bot.crossval import leave_one_out_calibrator

        calibrator = leave_one_out_calibrator(phrasings, labels, tokeniser, bm25, dense)
    else:
        calibrator = _calibrate(phrasings, vectors, tokeniser)
    return BotIndex(
        faqs={f.id: f for f in faqs},
        exact=exact_matches(phrasings),
        tokeniser=tokeniser,
        labels=labels,
        phrasings=phrasings,
        classifier=classifier,
        smalltalk_owners=smalltalk_owners(phrasings),
        bm25=bm25,
        dense=dense,
        calibrator=calibrator,
        drift=change.drift if change is not None else 0,
    )


def smalltalk_owners(phrasings: Phrasings) -> dict[str, str]:
    """Small-talk intents a tenant FAQ covers (by its phrasings), mapped to that FAQ.

    The tenant's own "thank you" FAQ answers thanks instead of the built-in reply.
    """
    from collections import Counter

    from kefu.bot.smalltalk import detect_smalltalk

    votes: dict[str, Counter[str]] = {}
    for text, label in zip(phrasings.texts, phrasings.labels, strict=True):
        intent = detect_smalltalk(text)
        if intent is not None and label != NEGATIVE_LABEL:
            votes.setdefault(intent, Counter())[label] += 1
    return {intent: counter.most_common(1)[0][0] for intent, counter in votes.items()}


def wants_classifier(phrasings: Phrasings) -> bool:
    """A classifier pays off with few labels, each phrased several ways; else retrieval decides."""
    labels = len(set(phrasings.labels))
    return labels <= MAX_CLASSIFIER_LABELS and len(phrasings.texts) >= 2 * labels


def _negatives_for(faqs: Sequence[FaqDoc], negatives: Sequence[str]) -> Sequence[str]:
    """The tenant's negatives, plus the built-in ones for a small KB."""
    from kefu.bot.negatives import GENERIC_NEGATIVES, SMALL_KB_PHRASINGS

    if sum(len(f.phrasings()) for f in faqs) >= SMALL_KB_PHRASINGS:
        return negatives
    own = {normalise(p) for f in faqs for p in f.phrasings()}
    return [*negatives, *(n for n in GENERIC_NEGATIVES if normalise(n) not in own)]


def _classifier(
    phrasings: Phrasings,
    tokens: list[tuple[str, ...]],
    vectors: NDArray[np.float32] | None,
    change: Change | None,
) -> IntentClassifier:
    """The previous index's classifier updated by `change`, or (without one) a fresh fit."""
    if change is None:
        return _fit(phrasings, tokens, vectors)
    from kefu.bot.incremental import update_classifier

    return update_classifier(change, phrasings, tokens, vectors)


def _fit(
    phrasings: Phrasings, tokens: list[tuple[str, ...]], vectors: NDArray[np.float32] | None
) -> IntentClassifier:
    if len(set(phrasings.labels)) >= 2:
        return fit_classifier(phrasings.texts, tokens, phrasings.labels, vectors)
    # One FAQ and no negatives: a second, empty class keeps the maths uniform.
    texts = (*phrasings.texts, "\u0000")
    labels = (*phrasings.labels, NEGATIVE_LABEL)
    extra = None
    if vectors is not None:
        import numpy as np

        extra = np.vstack([vectors, np.zeros((1, vectors.shape[1]), dtype=np.float32)])
    return fit_classifier(texts, [*tokens, ()], labels, extra)


def _bm25(phrasings: Phrasings, tokens: list[tuple[str, ...]], order: Sequence[str]) -> Bm25Index:
    groups = group_by_label(positions(phrasings.labels, order), len(order))
    return build_bm25(tokens, groups)


def _dense(
    phrasings: Phrasings, vectors: NDArray[np.float32] | None, order: Sequence[str]
) -> DenseIndex | None:
    if vectors is None:
        return None
    groups = group_by_label(positions(phrasings.labels, order), len(order))
    return DenseIndex(vectors, groups)


def _calibrate(
    phrasings: Phrasings, vectors: NDArray[np.float32] | None, tokeniser: Tokeniser
) -> Calibrator:
    from collections import Counter

    counts = Counter(label for label in phrasings.labels if label != NEGATIVE_LABEL)
    rows_per_label = sorted(counts.values())[len(counts) // 2] if counts else 0
    if len(phrasings.texts) < MIN_ROWS_FOR_CV or rows_per_label < MIN_ROWS_PER_LABEL_FOR_CV:
        return default_calibrator()
    from kefu.bot.crossval import out_of_fold_calibrator

    return out_of_fold_calibrator(phrasings, vectors, tokeniser)
