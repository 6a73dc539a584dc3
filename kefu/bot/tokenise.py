"""Tokenisation of normalised text: jieba for Chinese, words for English.

Tenant custom words (product names) are protected before jieba runs, so they stay one token;
synonyms then map each token to its canonical form. jieba's default dictionary is shared by the
whole process (loaded once, on first use); custom words never touch it, so tenants cannot leak
words into each other's segmentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class _Cutter(Protocol):
    def lcut(self, sentence: str, cut_all: bool = ..., HMM: bool = ...) -> list[str]: ...


@lru_cache(maxsize=1)
def _jieba() -> _Cutter:
    import logging

    import jieba  # lazy: loads its dictionary (~1 s) on first use

    jieba.setLogLevel(logging.WARNING)
    tokenizer: _Cutter = jieba.Tokenizer()
    return tokenizer


@dataclass(frozen=True, slots=True)
class Tokeniser:
    """Splits normalised text into tokens, honouring a tenant's custom words and synonyms."""

    custom_words: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(init=False, default=None, compare=False)

    def __post_init__(self) -> None:
        words = sorted({w.lower() for w in self.custom_words if w.strip()}, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
        object.__setattr__(self, "_pattern", pattern)

    def tokens(self, normalised: str) -> tuple[str, ...]:
        """Tokens of `normalised` (output of `normalise()`), synonyms mapped."""
        out = [self.synonyms.get(t, t) for t in self._split(normalised)]
        return tuple(out)

    def _split(self, text: str) -> Iterator[str]:
        if self._pattern is None:
            yield from _plain_tokens(text)
            return
        start = 0
        for match in self._pattern.finditer(text):
            yield from _plain_tokens(text[start : match.start()])
            yield match.group(0)
            start = match.end()
        yield from _plain_tokens(text[start:])


def _plain_tokens(text: str) -> Iterator[str]:
    position = 0
    for run in _HAN_RUN.finditer(text):
        yield from _ASCII_WORD.findall(text[position : run.start()])
        yield from (w for w in _jieba().lcut(run.group(0)) if w.strip())
        position = run.end()
    yield from _ASCII_WORD.findall(text[position:])


def make_tokeniser(custom_words: Sequence[str], synonyms: Mapping[str, str]) -> Tokeniser:
    """A tokeniser whose synonym keys and values are normalised like the text they apply to."""
    from kefu.bot.normalise import normalise

    mapped = {normalise(k): normalise(v) for k, v in synonyms.items() if normalise(k)}
    # Synonym keys are protected too, so that a multi-word key survives segmentation.
    words = {normalise(w) for w in custom_words} | set(mapped)
    return Tokeniser(tuple(sorted(w for w in words if w)), mapped)
