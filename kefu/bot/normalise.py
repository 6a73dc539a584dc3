"""Text normalisation: full/half width, traditional → simplified, case, punctuation.

The same function runs on FAQ phrasings at build time and on every query, so both sides of every
comparison see one canonical form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Protocol

_SPACES = re.compile(r"\s+")
# An apostrophe inside a word ("what's", "don't") is kept; other punctuation becomes a space.
_INNER_APOSTROPHE = re.compile(r"(?<=[a-z])'(?=[a-z])")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    import opencc  # lazy: the converter loads its dictionaries on first use

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def normalise(text: str) -> str:
    """Return the canonical form of `text` used for matching.

    NFKC folds full-width letters, digits and punctuation to half width; OpenCC maps traditional
    Chinese to simplified; letters are lower-cased; punctuation becomes a space and runs of
    whitespace collapse to one.
    """
    folded = unicodedata.normalize("NFKC", text)
    simplified = _t2s().convert(folded).lower()
    simplified = _INNER_APOSTROPHE.sub("\u0000", simplified)
    spaced = "".join(" " if _is_punctuation(c) else c for c in simplified)
    return _SPACES.sub(" ", spaced.replace("\u0000", "'")).strip()
