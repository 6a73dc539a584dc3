"""Per-message language detection, zh vs en.

The engine answers in Chinese or English only, so the script decides: a message with Han
characters that outnumber (or come close to) its Latin words is Chinese. This is exact for the
two supported languages, needs no model and takes microseconds; a statistical detector (lingua)
would add a large load for no gain on a two-way choice between different scripts.
"""

from __future__ import annotations

import re

from kefu.bot.types import Language

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# a word with Latin letters; digits inside belong to it ("A1B2C3" is one order number, not 3)
_LATIN_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")


def detect_language(text: str, default: Language = "en") -> Language:
    """Return "zh" or "en" for `text`; `default` when it has neither Han nor Latin letters.

    Each Latin word counts as much as two Han characters (about one Chinese word), so that
    "我的card丢了" is Chinese and "refund for order 订单" is English.
    """
    han = len(_HAN.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if han == 0 and latin == 0:
        return default
    return "zh" if han >= 2 * latin else "en"
