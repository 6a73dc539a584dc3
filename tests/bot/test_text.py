"""Normalisation, language detection, tokenisation, sentiment, small talk, handoff cues."""

from __future__ import annotations

import pytest

from kefu.bot.handoff import wants_human
from kefu.bot.language import detect_language
from kefu.bot.normalise import normalise
from kefu.bot.sentiment import analyse_sentiment
from kefu.bot.smalltalk import detect_smalltalk
from kefu.bot.tokenise import make_tokeniser


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("我要轉人工客服，謝謝！", "我要转人工客服 谢谢"),  # traditional → simplified, punctuation
        ("這個產品怎麼退貨？", "这个产品怎么退货"),
        ("ＡＢＣ１２３　ｉＰｈｏｎｅ", "abc123 iphone"),  # full width → half width, case
        ("What's my card PIN?!", "what's my card pin"),  # inner apostrophe kept
        ("退貨 Refund 要多久？？", "退货 refund 要多久"),  # mixed zh/en
        ("  多个   空格\t\n ", "多个 空格"),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("我的快递到哪里了", "zh"),
        ("Where is my parcel?", "en"),
        ("我的card丢了", "zh"),
        ("refund for order 订单", "en"),
        ("請問發票怎麼開", "zh"),
        ("12345", "en"),
        # an order number or code is one word, however its letters and digits mix
        ("我的订单 A1B2C3D4 到哪了", "zh"),
        ("c0f4d7be 保修期多长时间", "zh"),
        ("where is order A1B2C3D4", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_tokeniser_keeps_custom_words_and_maps_synonyms() -> None:
    plain = make_tokeniser((), {})
    custom = make_tokeniser(["小米手環"], {"退錢": "退款", "money back": "refund"})
    assert "小米手环" not in plain.tokens(normalise("我的小米手環壞了"))
    assert "小米手环" in custom.tokens(normalise("我的小米手環壞了"))
    assert custom.tokens(normalise("怎么退钱")) == ("怎么", "退款")
    assert custom.tokens(normalise("I want my money back")) == ("i", "want", "my", "refund")


def test_sentiment_flags_strong_negatives_only() -> None:
    assert analyse_sentiment("你们的服务太差了，气死我了！", "zh", -0.6).strongly_negative
    assert analyse_sentiment(
        "this is the worst service ever, I hate you", "en", -0.6
    ).strongly_negative
    assert not analyse_sentiment("我想退款", "zh", -0.6).strongly_negative
    assert not analyse_sentiment("how do I cancel my order", "en", -0.6).strongly_negative
    assert analyse_sentiment("great, thank you so much!", "en", -0.6).score > 0.5


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("你好", "greeting"),
        ("Hi there!", "greeting"),
        ("谢谢！", "thanks"),
        ("thank you so much", "thanks"),
        ("拜拜", "bye"),
        ("bye", "bye"),
        ("你是机器人吗？", "bot_identity"),
        ("are you a robot?", "bot_identity"),
        ("hi, my card is lost", None),
        ("你好，我想退款", None),
    ],
)
def test_detect_smalltalk(text: str, intent: str | None) -> None:
    assert detect_smalltalk(normalise(text)) == intent


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("转人工", True),
        ("我要人工客服", True),
        ("人工", True),
        ("human", True),
        ("I want to talk to a real person", True),
        ("can I speak to an agent please", True),
        ("人工智能是什么", False),
        ("my travel agent booked the flight", False),
        ("where is my order", False),
    ],
)
def test_wants_human(text: str, wanted: bool) -> None:
    assert wants_human(normalise(text)) is wanted
