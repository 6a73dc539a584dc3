"""Optional LLM phrasing: an OpenAI-compatible chat-completions endpoint words the answer from the
top retrieved FAQs, cites them, and must refuse what they do not cover. The bot never depends on
it: without configuration, on error or on an uncited reply, the FAQ's own answer is used."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import httpx

from kefu.core.http import OutboundBlocked, outbound
from kefu.core.settings import Settings

log = logging.getLogger(__name__)
REFUSAL = "NO_ANSWER"
CITATION = re.compile(r"\[FAQ-(\d+)\]")
SYSTEM = (
    "You are a customer-service assistant. Answer the customer's message using ONLY the FAQ "
    "entries given. Reply in {language}. Cite every entry you use as [FAQ-n]. If the entries do "
    f"not answer the message, reply exactly {REFUSAL} and nothing else."
)
LANGUAGES = {"zh": "Simplified Chinese", "en": "English"}


@dataclass(frozen=True)
class Source:
    faq_id: str
    question: str
    answer: str


@dataclass(frozen=True)
class Phrased:
    text: str | None  # None: the model refused (the FAQs don't cover the message)
    cited: tuple[str, ...]


def configured(settings: Settings) -> bool:
    return bool(settings.llm_base_url and settings.llm_model)


def _prompt(message: str, sources: list[Source], language: str) -> list[dict[str, str]]:
    entries = "\n\n".join(
        f"[FAQ-{i}] Q: {s.question}\nA: {s.answer}" for i, s in enumerate(sources, start=1)
    )
    return [
        {"role": "system", "content": SYSTEM.format(language=LANGUAGES.get(language, "English"))},
        {"role": "user", "content": f"FAQ entries:\n{entries}\n\nCustomer message:\n{message}"},
    ]


def _parse(content: str, sources: list[Source]) -> Phrased | None:
    content = content.strip()
    if content == REFUSAL or content.startswith(REFUSAL):
        return Phrased(None, ())
    numbers = {int(n) for n in CITATION.findall(content)}
    cited = tuple(sources[n - 1].faq_id for n in sorted(numbers) if 1 <= n <= len(sources))
    if not cited:
        return None  # an uncited answer may not be grounded: don't use it
    return Phrased(CITATION.sub("", content).strip(), cited)


async def phrase(
    settings: Settings, message: str, sources: list[Source], language: str
) -> Phrased | None:
    """The model's grounded answer, its refusal, or None when it is off or failed."""
    if not configured(settings) or not sources:
        return None
    url = f"{str(settings.llm_base_url).rstrip('/')}/chat/completions"
    body = {
        "model": settings.llm_model,
        "messages": _prompt(message, sources, language),
        "temperature": 0,
    }
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    try:
        response = await outbound(
            "POST",
            url,
            allow_private=True,
            timeout_seconds=settings.llm_timeout,
            json=body,
            headers=headers,
        )
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, OutboundBlocked, KeyError, IndexError, ValueError, TypeError):
        log.warning("LLM phrasing failed; using the FAQ answer")
        return None
    return _parse(str(content), sources)
