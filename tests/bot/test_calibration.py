"""The classifier's embedding network and the calibrator's treatment of negatives (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from kefu.bot import classifier
from kefu.bot.calibrate import N_SIGNALS, OFF_TOPIC_SHARE, label_signals, negative_weights
from kefu.bot.classifier import NEGATIVE_LABEL, fit_classifier

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
