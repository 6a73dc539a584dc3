"""Content checks for the Demo Shop bilingual knowledge base (kefu/knowledge/data/demo_faqs.json)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import kefu

DATA = Path(kefu.__file__).resolve().parent / "knowledge" / "data" / "demo_faqs.json"
LANGS = ("zh-CN", "en")
KEYS = {"category", "tags", "question", "similar", "answer"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Han characters plus CJK / full-width punctuation: none of these belong in English text.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
TRAILING_PUNCT = re.compile(r"[\s?？!！。.,，、~～…:：;；]+$")


@cache
def load() -> list[dict[str, Any]]:
    faqs = json.loads(DATA.read_text(encoding="utf-8"))
    assert isinstance(faqs, list)
    return faqs


def normalised(text: str) -> str:
    return TRAILING_PUNCT.sub("", text.strip().lower())


def texts(faq: dict[str, Any], lang: str) -> list[str]:
    return [faq["question"][lang], *faq["similar"][lang], faq["answer"][lang]]


def test_file_is_utf8_json_with_two_space_indent() -> None:
    raw = DATA.read_bytes().decode("utf-8")
    assert raw == json.dumps(load(), ensure_ascii=False, indent=2) + "\n"


def test_at_least_60_faqs() -> None:
    assert len(load()) >= 60


def test_schema_and_bilingual_fields() -> None:
    for faq in load():
        assert set(faq) == KEYS, faq
        assert isinstance(faq["category"], str) and faq["category"].strip()
        assert faq["tags"] and all(isinstance(t, str) and t for t in faq["tags"])
        for field in ("question", "similar", "answer"):
            assert set(faq[field]) == set(LANGS), (field, faq["question"])
        for lang in LANGS:
            assert isinstance(faq["question"][lang], str) and faq["question"][lang].strip()
            assert isinstance(faq["answer"][lang], str) and faq["answer"][lang].strip()


def test_at_least_five_similar_questions_per_language() -> None:
    for faq in load():
        for lang in LANGS:
            similar = faq["similar"][lang]
            assert len(similar) >= 5, (lang, faq["question"][lang])
            assert all(isinstance(s, str) and s.strip() for s in similar)


def test_no_question_appears_twice_across_the_kb() -> None:
    seen: dict[str, str] = {}
    for faq in load():
        for lang in LANGS:
            for phrase in [faq["question"][lang], *faq["similar"][lang]]:
                key = normalised(phrase)
                assert key not in seen, f"{phrase!r} duplicates {seen[key]!r}"
                seen[key] = phrase


def test_chinese_fields_have_cjk_and_english_fields_have_none() -> None:
    for faq in load():
        for text in texts(faq, "zh-CN"):
            assert HAN.search(text), text
        for text in texts(faq, "en"):
            assert not CJK.search(text), text


def test_categories_come_from_a_small_set() -> None:
    categories = {faq["category"] for faq in load()}
    assert 2 <= len(categories) <= 12, categories
    for category in categories:
        assert HAN.search(category) and re.search(r"[A-Za-z]", category), category


def test_no_html() -> None:
    for faq in load():
        for lang in LANGS:
            for text in texts(faq, lang):
                assert "<" not in text, text
        assert "<" not in faq["category"]
