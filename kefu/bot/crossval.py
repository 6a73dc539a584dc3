"""Out-of-fold predictions over the tenant's own phrasings, to fit the calibrator.

Two kinds of fold: phrasings held out (their FAQ is still in the fold's index: "was the top-1
right?") and whole FAQs held out (it is not: every answer would be wrong, as for a question the
knowledge base does not cover).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.bot.calibrate import Calibrator, default_calibrator, fit_calibrator, label_signals
from kefu.bot.classifier import NEGATIVE_LABEL, fit_classifier
from kefu.bot.retrieval import Bm25Index, DenseIndex, build_bm25, group_by_label
from kefu.bot.scoring import (
    LabelScores,
    negative_position,
    ranked_labels,
    retrieval_decision,
    retrieval_scores,
)
from kefu.bot.tokenise import Tokeniser

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from kefu.bot.index import Phrasings

FOLDS = 2
SEED = 20261126
# Cross-validation refits the classifier; past this many phrasings it runs on a sample, which
# keeps publishing fast at the price of a slightly conservative calibration. (Training each
# fold on every other phrasing instead doubled CLINC150's build time for the same val curve.)
# Negatives are always in the sample: they are few, and they teach what not to answer.
MAX_ROWS = 6000
LOO_SAMPLE = 3000
# Unknown-intent folds: half the FAQs index (at most this many phrasings, negatives on top),
# the other half's phrasings are asked (at most this many), and then the other way round.
UNKNOWN_TRAIN_ROWS = 3000
UNKNOWN_ASKED_ROWS = 1500
MIN_LABELS_FOR_UNKNOWN = 4  # halves need two labels each; fewer FAQs are left out one by one


def out_of_fold_calibrator(
    phrasings: Phrasings, vectors: NDArray[np.float32] | None, tokeniser: Tokeniser
) -> Calibrator:
    """Fit the calibrator on top-1 signals of `FOLDS`-fold out-of-fold predictions."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    fold_of = rng.permutation(len(phrasings.texts)) % FOLDS
    negative = np.asarray([label == NEGATIVE_LABEL for label in phrasings.labels])
    if len(fold_of) > MAX_ROWS:
        dropped = rng.permutation(len(fold_of))[MAX_ROWS:]
        fold_of[dropped[~negative[dropped]]] = -1
    tokens = [tokeniser.tokens(t) for t in phrasings.texts]
    rows: list[NDArray[np.float64]] = []
    correct: list[bool] = []
    asked: list[int] = []
    unknown: list[bool] = []
    folds = [
        (np.flatnonzero((fold_of != fold) & (fold_of >= 0)), np.flatnonzero(fold_of == fold))
        for fold in range(FOLDS)
    ]
    known_folds = len(folds)
    folds += _unknown_intent_folds(phrasings.labels, negative, rng)
    for number, (train, held) in enumerate(folds):
        fold_rows, fold_correct, fold_asked = _fold_signals(phrasings, vectors, tokens, train, held)
        rows.extend(fold_rows)
        correct.extend(fold_correct)
        asked.extend(fold_asked)
        unknown.extend([number >= known_folds] * len(fold_rows))
    if not rows:
        return default_calibrator()
    flags = np.asarray(unknown, dtype=bool)
    return fit_calibrator(
        np.vstack(rows), np.asarray(correct, dtype=bool), negative[asked] & ~flags, flags
    )


def _unknown_intent_folds(
    labels: tuple[str, ...], negative: NDArray[np.bool_], rng: np.random.Generator
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """(train, asked) row positions: half the FAQs indexed, the other half's phrasings asked."""
    import numpy as np

    faqs = sorted({label for label in labels if label != NEGATIVE_LABEL})
    if len(faqs) < MIN_LABELS_FOR_UNKNOWN:
        return _leave_one_faq_out(labels, negative, faqs, rng)
    half_of = {label: number % 2 for number, label in enumerate(rng.permutation(faqs))}
    half = np.asarray([half_of.get(label, -1) for label in labels])
    folds = []
    for indexed in (0, 1):
        train = rng.permutation(np.flatnonzero(half == indexed))[:UNKNOWN_TRAIN_ROWS]
        asked = rng.permutation(np.flatnonzero(half == 1 - indexed))[:UNKNOWN_ASKED_ROWS]
        folds.append((np.union1d(train, np.flatnonzero(negative)), np.sort(asked)))
    return folds


def _leave_one_faq_out(
    labels: tuple[str, ...],
    negative: NDArray[np.bool_],
    faqs: list[str],
    rng: np.random.Generator,
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Too few FAQs to halve: each FAQ left out in turn (the negatives keep the fold's
    classifier at two classes at least); without negatives or with one FAQ, none.

    A new tenant's two or three FAQs otherwise calibrate on their own phrasings and the generic
    negatives only, and answer an unrelated question confidently when it is closer to one FAQ
    than to the other (a 3-FAQ shop answered "do you sell gift cards" with its invoice FAQ at
    0.73). On 25 random 2- and 3-FAQ knowledge bases from CLINC150's training file, asked CLINC150
    val messages: unrelated messages not answered 0.903 → 0.933 (2 FAQs) and 0.887 → 0.933 (3),
    in-scope answered right 0.965 → 0.955 and 0.955 → 0.910 (the rest mostly "did you mean").
    """
    import numpy as np

    if len(faqs) < 2 or not negative.any():
        return []
    rows = np.asarray(labels)
    folds = []
    for faq in faqs:
        asked = rng.permutation(np.flatnonzero(rows == faq))[:UNKNOWN_ASKED_ROWS]
        train = rng.permutation(np.flatnonzero(rows != faq))[:UNKNOWN_TRAIN_ROWS]
        folds.append((np.union1d(train, np.flatnonzero(negative)), np.sort(asked)))
    return folds


def _fold_signals(
    phrasings: Phrasings,
    vectors: NDArray[np.float32] | None,
    tokens: list[tuple[str, ...]],
    train: NDArray[np.intp],
    held: NDArray[np.intp],
) -> tuple[list[NDArray[np.float64]], list[bool], list[int]]:
    """Top-1 signals and correctness of the `held` rows, and which rows they are."""
    from kefu.bot.index import positions

    texts = [phrasings.texts[i] for i in train]
    labels = [phrasings.labels[i] for i in train]
    if len(set(labels)) < 2:
        return [], [], []
    train_vectors = vectors[train] if vectors is not None else None
    classifier = fit_classifier(texts, [tokens[i] for i in train], labels, train_vectors)
    groups = group_by_label(positions(labels, classifier.labels), len(classifier.labels))
    bm25 = build_bm25([tokens[i] for i in train], groups)
    dense = DenseIndex(train_vectors, groups) if train_vectors is not None else None
    held_vectors = vectors[held] if vectors is not None else None
    held_texts = [phrasings.texts[i] for i in held]
    decisions = classifier.scores(held_texts, [tokens[i] for i in held], held_vectors)
    negative = negative_position(classifier.labels)
    rows, correct, asked = [], [], []
    for row, i in enumerate(held):
        vector = held_vectors[row] if held_vectors is not None else None
        scores = retrieval_scores(decisions[row], tokens[i], vector, bm25, dense)
        top = ranked_labels(scores, classifier.labels, 1)
        if len(top) == 0:
            continue
        rows.append(label_signals(scores.decision, scores.cosine, scores.bm25, top, negative)[0])
        gold = phrasings.labels[i]
        correct.append(gold != NEGATIVE_LABEL and classifier.labels[int(top[0])] == gold)
        asked.append(int(i))
    return rows, correct, asked


def leave_one_out_calibrator(
    phrasings: Phrasings,
    labels: tuple[str, ...],
    tokeniser: Tokeniser,
    bm25: Bm25Index,
    dense: DenseIndex | None,
) -> Calibrator:
    """Calibrate retrieval-only ranking: each sampled phrasing is asked with itself left out."""
    import numpy as np

    from kefu.bot.index import positions

    rng = np.random.default_rng(SEED)
    sample = rng.permutation(len(phrasings.texts))[:LOO_SAMPLE]
    gold_positions = positions(phrasings.labels, labels)
    negative = negative_position(labels)
    rows, correct, asked_negative = [], [], []
    for i in sample:
        scores = _without_self(int(i), phrasings, tokeniser, bm25, dense)
        top = ranked_labels(scores, labels, 1)
        if len(top) == 0:
            continue
        rows.append(label_signals(scores.decision, scores.cosine, scores.bm25, top, negative)[0])
        gold = phrasings.labels[int(i)]
        correct.append(gold != NEGATIVE_LABEL and int(top[0]) == gold_positions[int(i)])
        asked_negative.append(gold == NEGATIVE_LABEL)
    if not rows:
        return default_calibrator()
    flags = np.asarray(asked_negative, dtype=bool)
    return fit_calibrator(np.vstack(rows), np.asarray(correct, dtype=bool), flags)


def _without_self(
    i: int, phrasings: Phrasings, tokeniser: Tokeniser, bm25: Bm25Index, dense: DenseIndex | None
) -> LabelScores:
    import numpy as np

    tokens = [t for t in tokeniser.tokens(phrasings.texts[i]) if t in bm25.retriever.vocab_dict]
    lexical_rows = np.zeros(len(phrasings.texts))
    if tokens:
        lexical_rows = np.asarray(bm25.retriever.get_scores(tokens), dtype=np.float64)
    lexical_rows[i] = 0.0
    lexical = bm25.groups.best_per_label(lexical_rows)
    cosine = np.zeros(bm25.groups.n_labels)
    if dense is not None:
        cosine_rows = np.asarray(dense.vectors @ dense.vectors[i], dtype=np.float64)
        cosine_rows[i] = -1.0
        cosine = dense.groups.best_per_label(cosine_rows)
    return LabelScores(retrieval_decision(cosine, lexical), cosine, lexical)
