"""The numpy MiniLM encoder gives sentence-transformers' numbers, and the joined embedding."""

from __future__ import annotations

import numpy as np
import pytest

from kefu.bot import embed, minilm

# sentence-transformers 6.2.0 (PyTorch 2.14.1) on the same weights, normalize_embeddings=True:
# components 0–5 and 100 of each sentence's vector.
REFERENCE = {
    "How do I reset my card PIN?": (
        [-0.005522, -0.018744, -0.056311, 0.081356, -0.044673, 0.023413],
        0.072184,
    ),
    "the weather in Paris tomorrow": (
        [0.012035, 0.026076, 0.114479, -0.03271, 0.055626, -0.031337],
        -0.054621,
    ),
}


def test_minilm_matches_the_reference_implementation() -> None:
    texts = list(REFERENCE)
    vectors = minilm.load().encode(texts)
    assert vectors.shape == (2, minilm.DIM)
    for vector, (head, at_100) in zip(vectors, REFERENCE.values(), strict=True):
        assert vector[:6] == pytest.approx(head, abs=2e-6)
        assert vector[100] == pytest.approx(at_100, abs=2e-6)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_a_batch_with_padding_gives_the_same_vectors_as_one_at_a_time() -> None:
    model = minilm.load()
    texts = ["refund", "how long does a refund take to reach my bank account", "我想退款"]
    batch = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert np.abs(batch - alone).max() < 1e-5


def test_minilm_puts_paraphrases_closer_than_unrelated_questions() -> None:
    a, b, c = minilm.load().encode(
        ["my card payment was declined", "why was my card refused at the shop", "weather tomorrow"]
    )
    assert a @ b > 0.5 > a @ c


def test_the_weights_are_checked_before_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minilm, "WEIGHTS_SHA256", "0" * 64)
    minilm.load.cache_clear()
    try:
        with pytest.raises(minilm.ModelMissingError):
            minilm.load()
    finally:
        monkeypatch.undo()
        minilm.load.cache_clear()


def test_the_joined_embedding_averages_the_two_models_cosines() -> None:
    texts = ["how do i reset my pin", "i forgot my pin number"]
    joined = embed.embed_many(texts)
    assert joined.shape == (2, embed.DIM)
    english = minilm.load().encode(texts)
    single = np.vstack([embed.embed_one(t) for t in texts])
    assert np.abs(joined - single).max() < 1e-5
    weight = embed.MINILM_WEIGHT
    multilingual = joined[:, : embed.DIM - minilm.DIM] * np.sqrt(1 + weight**2)
    mixed = multilingual[0] @ multilingual[1] + weight**2 * (english[0] @ english[1])
    expected = mixed / (1 + weight**2)
    assert joined[0] @ joined[1] == pytest.approx(expected, abs=1e-4)


def test_a_build_batch_keeps_the_order_it_was_given() -> None:
    """Builds embed shortest texts first and with two threads: rows still match the input,
    and each row is the vector a contact's message of that text gets."""
    texts = [
        "i was charged twice for the same order and i would like the second payment refunded",
        "退款",
        "hi",
        "我的快递到哪里了，已经三天没有更新物流信息",
        "where is my parcel",
    ]
    batch = embed.embed_many(texts)
    single = np.vstack([embed.embed_one(t) for t in texts])
    assert np.abs(batch - single).max() < 1e-5


def test_a_chinese_text_is_embedded_by_e5_alone() -> None:
    """MiniLM does not read Chinese (it cost crosswoz_zh 1.8 points): its half stays zero."""
    vector = embed.embed_one("我的快递到哪里了")
    assert np.all(vector[embed.DIM - minilm.DIM :] == 0.0)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
