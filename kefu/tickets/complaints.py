"""Complaint flagging: a new ticket whose requester's own words are strongly negative is a
complaint (and so gets the complaint SLA), unless someone chose its type explicitly.

Sentiment is the bot's per-text test `kefu.bot.sentiment.strongly_negative` (VADER for English;
SnowNLP for Chinese only with an anger cue), shared with routing; models load lazily, off the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

MAX_TEXTS = 50
MAX_CHARS = 2000
REASON = "negative_sentiment"


def _any_negative(texts: Sequence[str]) -> bool:
    from kefu.bot.sentiment import strongly_negative as negative

    return any(negative(t[:MAX_CHARS]) for t in texts if t.strip())


async def strongly_negative(texts: Sequence[str]) -> bool:
    """Whether any of the requester's texts (the last `MAX_TEXTS`) is strongly negative."""
    recent = list(texts)[-MAX_TEXTS:]
    if not recent:
        return False
    return await asyncio.to_thread(_any_negative, recent)
