"""Complaint flagging: a new ticket whose requester's own words are strongly negative is a
complaint (and so gets the complaint SLA), unless someone chose its type explicitly.

Sentiment is the bot's per-message analyser (SnowNLP for Chinese with an anger cue, VADER for
English), with the same threshold quality inspection uses; models load lazily, off the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

NEGATIVE = -0.6  # as in kefu/quality/service.py
MAX_TEXTS = 50
MAX_CHARS = 2000
REASON = "negative_sentiment"


def _negative(text: str) -> bool:
    from kefu.bot.language import detect_language
    from kefu.bot.sentiment import analyse_sentiment

    return analyse_sentiment(text, detect_language(text), NEGATIVE).strongly_negative


def _any_negative(texts: Sequence[str]) -> bool:
    return any(_negative(t[:MAX_CHARS]) for t in texts if t.strip())


async def strongly_negative(texts: Sequence[str]) -> bool:
    """Whether any of the requester's texts (the last `MAX_TEXTS`) is strongly negative."""
    recent = list(texts)[-MAX_TEXTS:]
    if not recent:
        return False
    return await asyncio.to_thread(_any_negative, recent)
