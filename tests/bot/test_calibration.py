"""The classifier's embedding network and the calibrator's negatives and unknown intents (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from kefu.bot import classifier
from kefu.bot.calibrate import (
    N_SIGNALS,
    OFF_TOPIC_SHARE,
    UNKNOWN_INTENT_SHARE,
    label_signals,
    negative_weights,
    row_weights,
)
from kefu.bot.classifier import NEGATIVE_LABEL, fit_classifier
from kefu.bot.crossval import SEED, _unknown_intent_folds

TEXTS = ["refund my order", "i want a refund", "where is my parcel", "track my parcel"]
LABELS = ["refund", "refund", "parcel", "parcel"]


def test_negatives_get_their_share_of_the_calibrator_fit() -> None:
    negative = np.array([True] * 10 + [False] * 400)
    weights = negative_weights(negative)
    share = weights[negative].sum() / weights.sum()
    assert share == pytest.approx(OFF_TOPIC_SHARE)
    assert (weights[~negative] == 1.0).all()


def test_plentiful_negatives_are_never_weighted_down() -> None:
    negative = np.array([True] * 50 + [False] * 20)
    assert (negative_weights(negative) == 1.0).all()
    assert (negative_weights(np.zeros(5, dtype=bool)) == 1.0).all()


def test_unknown_intent_rows_get_their_share_and_negatives_keep_theirs() -> None:
    negative = np.array([True] * 10 + [False] * 400 + [False] * 300)
    unknown = np.array([False] * 410 + [True] * 300)
    weights = row_weights(negative, unknown)
    assert weights[unknown].sum() / weights.sum() == pytest.approx(UNKNOWN_INTENT_SHARE)
    known = weights[~unknown]
    assert known[negative[~unknown]].sum() / known.sum() == pytest.approx(OFF_TOPIC_SHARE)
    assert (row_weights(negative, None) == negative_weights(negative)).all()


def test_unknown_intent_folds_ask_only_faqs_their_index_lacks() -> None:
    labels = tuple(f"faq{i % 6}" for i in range(60)) + (NEGATIVE_LABEL,) * 4
    negative = np.array([label == NEGATIVE_LABEL for label in labels])
    folds = _unknown_intent_folds(labels, negative, np.random.default_rng(SEED))
    assert len(folds) == 2
    asked_faqs: set[str] = set()
    for train, asked in folds:
        indexed = {labels[i] for i in train}
        asked_here = {labels[i] for i in asked}
        assert not indexed & asked_here  # the right answer is never in the fold's index
        assert NEGATIVE_LABEL in indexed and NEGATIVE_LABEL not in asked_here
        assert len(indexed - {NEGATIVE_LABEL}) >= 2
        asked_faqs |= asked_here
    assert asked_faqs == {f"faq{i}" for i in range(6)}
    too_few = _unknown_intent_folds(labels[:3], negative[:3], np.random.default_rng(SEED))
    assert too_few == [], "three FAQs and no negatives: no fold could fit a classifier"


def test_two_or_three_faqs_are_left_out_one_at_a_time() -> None:
    labels = tuple(f"faq{i % 3}" for i in range(24)) + (NEGATIVE_LABEL,) * 5
    negative = np.array([label == NEGATIVE_LABEL for label in labels])
    folds = _unknown_intent_folds(labels, negative, np.random.default_rng(SEED))
    assert len(folds) == 3
    for number, (train, asked) in enumerate(folds):
        assert {labels[i] for i in asked} == {f"faq{number}"}, "one FAQ asked per fold"
        assert {labels[i] for i in train} == {
            NEGATIVE_LABEL,
            *{f"faq{(number + 1) % 3}", f"faq{(number + 2) % 3}"},
        }
    one = tuple(f for f in labels if f in {"faq0", NEGATIVE_LABEL})
    assert (
        _unknown_intent_folds(
            one, np.array([f == NEGATIVE_LABEL for f in one]), np.random.default_rng(SEED)
        )
        == []
    )


def test_signals_carry_the_negative_class_decision_value() -> None:
    decision = np.array([1.0, -0.2, 0.3])
    cosine = np.array([0.9, 0.1, 0.5])
    bm25 = np.array([2.0, 0.0, 1.0])
    top = np.array([0], dtype=np.intp)
    with_negative = label_signals(decision, cosine, bm25, top, negative=2)
    without = label_signals(decision, cosine, bm25, top, negative=None)
    assert with_negative.shape == (1, N_SIGNALS)
    assert with_negative[0, -1] == pytest.approx(0.3)
    assert without[0, -1] == 0.0


def test_the_network_joins_the_svm_only_with_embeddings_and_enough_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(TEXTS) + 1, 8)).astype(np.float32)
    tokens = [tuple(t.split()) for t in [*TEXTS, "tell me a joke"]]
    labels = [*LABELS, NEGATIVE_LABEL]
    with_vectors = fit_classifier([*TEXTS, "tell me a joke"], tokens, labels, vectors)
    query = (["refund please"], [("refund", "please")])
    assert with_vectors.network is None  # too few phrasings
    monkeypatch.setattr(classifier, "MIN_ROWS_FOR_NETWORK", 5)
    with_vectors = fit_classifier([*TEXTS, "tell me a joke"], tokens, labels, vectors)
    assert with_vectors.network is not None
    # a knowledge base this small fits in one batch: the network still gets its minimum of
    # Adam steps, not 30 (one per epoch)
    assert with_vectors.network.max_iter == classifier.MLP_MIN_STEPS
    assert with_vectors.scores(*query, vectors[:1]).shape == (1, 3)
    lexical = fit_classifier(TEXTS, tokens[:4], LABELS, None)
    assert lexical.network is None
    assert lexical.scores(*query, None).shape == (1, 2)
