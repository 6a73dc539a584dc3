"""Re-publishing after a few edits updates the previous index instead of refitting it: the new
phrasings are answered, the SVM reaches the optimum a refit reaches, and drift past the limit
or changed custom words bring back a full build."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.svm import LinearSVC

from kefu.bot import EngineSettings, FaqDoc, incremental
from kefu.bot import classifier as classifier_module
from kefu.bot.classifier import SVM_C, SVM_SEED
from kefu.bot.engine import Engine, build_engine
from tests.bot.conftest import SHOP_FAQS

NEGATIVES = ("今天股市怎么样", "who won the football game")
LEXICAL = EngineSettings(use_embeddings=False)


def with_similar(faqs: tuple[FaqDoc, ...], faq_id: str, *extra: str) -> list[FaqDoc]:
    """`faqs` with `extra` similar questions added to the FAQ `faq_id`."""
    return [
        dataclasses.replace(f, similar=(*f.similar, *extra)) if f.id == faq_id else f for f in faqs
    ]


def moved(faqs: list[FaqDoc], text: str, source: str, target: str) -> list[FaqDoc]:
    """`faqs` with the similar question `text` moved from FAQ `source` to FAQ `target`."""
    out = []
    for f in faqs:
        if f.id == source:
            f = dataclasses.replace(f, similar=tuple(s for s in f.similar if s != text))
        if f.id == target:
            f = dataclasses.replace(f, similar=(*f.similar, text))
        out.append(f)
    return out


def test_an_edit_is_answered_from_the_updated_index(shop_engine: Engine) -> None:
    edited = with_similar(SHOP_FAQS, "repair", "保修卡丢了还能免费修吗")
    engine = build_engine(
        edited,
        shop_engine.settings,
        NEGATIVES,
        cache=shop_engine.embedding_cache(),
        previous=shop_engine,
    )
    assert engine.index.drift == 1, "updated from the previous index, not rebuilt"
    assert engine.index.calibrator is shop_engine.index.calibrator
    classifier = engine.index.classifier
    assert classifier is not None
    text = "保修卡丢了还能免费修吗"
    row = engine.index.texts.index(text)
    tokens = [engine.index.tokeniser.tokens(text)]
    vectors = engine.index.dense.vectors[row : row + 1] if engine.index.dense else None
    scores = classifier.scores([text], tokens, vectors)[0]
    assert classifier.labels[int(np.argmax(scores))] == "repair"
    for message, faq_id in (("退款多久到账", "refund"), ("请问能开发票吗", "invoice")):
        assert engine.answer(message).faq_id == faq_id, "the rest answers as before"


def test_the_updated_svm_is_the_optimum_a_refit_reaches() -> None:
    base = build_engine(SHOP_FAQS, LEXICAL, NEGATIVES)
    edited = moved(
        with_similar(SHOP_FAQS, "repair", "屏幕碎了能换吗"), "保修期多久", "repair", "refund"
    )
    updated = build_engine(edited, LEXICAL, NEGATIVES, previous=base)
    assert updated.index.drift == 3  # one phrasing added, one moved (removed and added)
    old, new = base.index.classifier, updated.index.classifier
    assert old is not None and new is not None
    phrasings = updated.index.phrasings
    tokens = [updated.index.tokeniser.tokens(t) for t in phrasings.texts]
    features = old.features(phrasings.texts, tokens, None)
    refit = LinearSVC(C=SVM_C, random_state=SVM_SEED).fit(features, list(phrasings.labels))
    assert new.labels == tuple(refit.classes_)
    assert np.abs(new.model.coef_ - refit.coef_).max() < 0.02
    assert np.abs(new.model.intercept_ - refit.intercept_).max() < 0.02


def test_drift_past_the_limit_means_a_full_build() -> None:
    base = build_engine(SHOP_FAQS, LEXICAL, NEGATIVES)
    small = build_engine(
        with_similar(SHOP_FAQS, "invoice", "发票抬头写错了"), LEXICAL, NEGATIVES, previous=base
    )
    assert small.index.drift == 1
    many = [f"发票问题{n}" for n in range(12)]
    large = build_engine(
        with_similar(SHOP_FAQS, "invoice", *many), LEXICAL, NEGATIVES, previous=small
    )
    assert large.index.drift == 0, "a full build"
    assert large.index.calibrator is not small.index.calibrator


def test_changed_custom_words_mean_a_full_build() -> None:
    base = build_engine(SHOP_FAQS, LEXICAL, NEGATIVES)
    words = dataclasses.replace(LEXICAL, custom_words=("双十一",))
    rebuilt = build_engine(SHOP_FAQS, words, NEGATIVES, previous=base)
    assert rebuilt.index.drift == 0
    assert "双十一" in rebuilt.index.tokeniser.tokens("双十一有优惠吗")


def test_a_new_faq_gets_its_own_network_output(
    shop_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The network joins at 1,000 phrasings; the shop knowledge base is smaller.
    for module in (classifier_module, incremental):
        monkeypatch.setattr(module, "MIN_ROWS_FOR_NETWORK", 20)
    cache = shop_engine.embedding_cache()
    base = build_engine(SHOP_FAQS, shop_engine.settings, NEGATIVES, cache=cache)
    assert base.index.classifier is not None and base.index.classifier.network is not None
    gift = FaqDoc("gift", "可以包装成礼物吗", ("gift wrapping",), {"zh": "下单时选择礼品包装。"})
    updated = build_engine(
        (*SHOP_FAQS, gift), shop_engine.settings, NEGATIVES, cache=cache, previous=base
    )
    assert updated.index.drift == 2
    classifier = updated.index.classifier
    assert classifier is not None and classifier.network is not None
    assert "gift" in classifier.labels
    assert tuple(str(c) for c in classifier.network.classes_) == classifier.labels
    assert updated.answer("能帮我包装成礼物吗").faq_id == "gift"
    assert updated.answer("退款多久到账").faq_id == "refund"


def test_a_deleted_faq_leaves_the_updated_index() -> None:
    products = ("phone", "laptop", "tablet", "watch", "camera", "speaker")
    actions = ("return", "repair", "reset", "charge", "update")
    faqs = [
        FaqDoc(
            f"{p}-{a}",
            f"how do I {a} my {p}",
            tuple(f"{lead} {a} the {p}" for lead in ("can you help me", "I want to", "please")),
            {"en": f"To {a} a {p}: ..."},
        )
        for p in products
        for a in actions
    ]
    base = build_engine(faqs, LEXICAL)
    updated = build_engine([f for f in faqs if f.id != "watch-reset"], LEXICAL, previous=base)
    assert updated.index.drift == 4
    assert updated.index.classifier is not None
    assert "watch-reset" not in updated.index.classifier.labels
    assert updated.answer("I want to repair the watch").faq_id == "watch-repair"
    assert updated.answer("please charge the tablet").faq_id == "tablet-charge"
