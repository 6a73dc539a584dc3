"""Explicit requests for a human agent, in Chinese and English."""

from __future__ import annotations

import re

_ZH = re.compile(
    r"转人工|人工客服|人工服务|人工坐席|找人工|要人工|接人工|转接人工|真人客服|找真人|"
    r"客服人员|人工(?:吧|啊|呢)?$|真人(?:吧|啊|呢)?$"
)
_EN_WHOLE = re.compile(
    r"(?:an? |the )?(?:human|agent|live agent|real person|person|representative|operator|"
    r"human agent|live person|customer service|someone real|live chat)(?: please| pls| now)?"
)
_ARTICLE = r"(?:(?:a|an|the|some|your|one of your)\s+)?(?:(?:real|live|human)\s+)?"
_EN_REQUEST = re.compile(
    r"\b(?:(?:talk|speak|chat)\s+(?:to|with)|(?:connect|transfer|put)\s+me\s+"
    rf"(?:to|with|through\s+to))\s+{_ARTICLE}"
    r"(?:human|person|agent|representative|operator|someone|somebody|people)\b"
    rf"|\b(?:want|need|get\s+me)\s+{_ARTICLE}"
    r"(?:human|person|agent|representative|operator)(?:\s+(?:please|now))?$"
)


def wants_human(normalised: str) -> bool:
    """Whether `normalised` (output of `normalise()`) asks for a human agent."""
    text = normalised.strip()
    if _ZH.search(text):
        return True
    return bool(_EN_WHOLE.fullmatch(text) or _EN_REQUEST.search(text))
