"""Sentiment of one message: SnowNLP for Chinese, VADER for English.

Both are mapped to a polarity in [-1, 1]. SnowNLP's product-review model is noisy on short
service messages, so a Chinese message is only strongly negative when the model agrees with an
explicit anger/complaint cue; VADER's compound score is used directly.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from kefu.bot.types import Language, Sentiment

_ZH_ANGER = re.compile(
    "垃圾|气死|太差|差劲|投诉|骗子|坑人|恶心|无语|滚|烂|愤怒|生气|忍无可忍|什么破|受够|太慢了|"
    "曝光|举报|混蛋|废物"
)


class _Vader(Protocol):
    def polarity_scores(self, text: str) -> dict[str, float]: ...


@lru_cache(maxsize=1)
def _vader() -> _Vader:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer: _Vader = SentimentIntensityAnalyzer()
    return analyzer


def _snownlp_polarity(text: str) -> float:
    from snownlp import SnowNLP  # lazy: loads its model files on first use

    probability = float(SnowNLP(text).sentiments)
    return 2.0 * probability - 1.0


def analyse_sentiment(text: str, language: Language, negative_threshold: float) -> Sentiment:
    """Polarity of `text` and whether it is at or below `negative_threshold`."""
    if not text.strip():
        return Sentiment(0.0, False)
    if language == "en":
        score = float(_vader().polarity_scores(text)["compound"])
        return Sentiment(score, score <= negative_threshold)
    score = _snownlp_polarity(text)
    angry = _ZH_ANGER.search(text) is not None
    return Sentiment(score, angry and score <= negative_threshold)


STRONGLY_NEGATIVE = -0.6  # the threshold quality inspection and routing use


def strongly_negative(text: str) -> bool:
    """Whether one text, in whichever language it is written, is strongly negative (blocking:
    call it off the event loop, e.g. with `asyncio.to_thread`). Chinese without an anger cue is
    not, whatever the model says, so SnowNLP only runs (and loads) for texts that have one."""
    from kefu.bot.language import detect_language

    language = detect_language(text)
    if language == "zh" and _ZH_ANGER.search(text) is None:
        return False
    return analyse_sentiment(text, language, STRONGLY_NEGATIVE).strongly_negative


def warm_up() -> None:
    """Load both sentiment models now instead of on the first message."""
    analyse_sentiment("很好", "zh", -1.0)
    analyse_sentiment("good", "en", -1.0)
