"""Small talk in Chinese and English: greetings, thanks, bye, "are you a robot".

A message is small talk only when it is nothing else: the pattern must match the whole
normalised message (after optional polite fillers), so "hi, my card is lost" goes to retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kefu.bot.types import Language, SmalltalkIntent

_FILL_EN = r"(?:(?:hi|hello|hey|ok|okay|well|oh|so|and|please|pls)\s+)*"
_FILL_ZH = r"(?:(?:那|好的|好|嗯|哦|请问|那么)\s*)*"
_TAIL_ZH = r"\s*(?:啊|呀|哈|哦|呢|吧|啦|了|吗|嘛)*"
_TAIL_EN = r"(?:\s+(?:there|everyone|all|guys|so much|a lot|very much|again|bot|robot|kefu))*"


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: SmalltalkIntent
    pattern: re.Pattern[str]


def _rule(intent: SmalltalkIntent, en: str, zh: str) -> _Rule:
    body = rf"{_FILL_EN}(?:{en}){_TAIL_EN}|{_FILL_ZH}(?:{zh}){_TAIL_ZH}"
    return _Rule(intent, re.compile(rf"(?:{body})"))


_RULES = (
    _rule(
        "bot_identity",
        r"are you (?:a |an )?(?:robot|bot|machine|human|real person|real|ai)"
        r"|am i (?:talking|chatting|speaking) (?:to|with) (?:a )?(?:robot|bot|machine|human)"
        r"|who are you|what are you",
        r"你是(?:不是)?(?:机器人|真人|人工|ai|人)|你是谁|你是机器人还是真人|是机器人吗|机器人吗",
    ),
    _rule(
        "thanks",
        r"thanks|thank you|thx|ty|cheers|much appreciated|appreciate it|great thanks",
        r"谢谢(?:你|您)?|多谢|感谢(?:你|您)?|谢了|辛苦了|太感谢了|非常感谢",
    ),
    _rule(
        "bye",
        r"bye|goodbye|bye bye|see you|see ya|good night|that's all|that is all",
        r"再见|拜拜|拜|回见|晚安|没有了|没事了|就这样",
    ),
    _rule(
        "greeting",
        r"hi|hello|hey|hiya|good (?:morning|afternoon|evening)|yo|greetings|how are you",
        r"你好|您好|嗨|哈喽|hello|在吗|在不在|早上好|下午好|晚上好|早|有人吗|你好呀",
    ),
)

_REPLIES: dict[SmalltalkIntent, dict[Language, str]] = {
    "greeting": {"zh": "您好！请问有什么可以帮您？", "en": "Hello! How can I help you?"},
    "thanks": {"zh": "不客气，很高兴能帮到您！", "en": "You're welcome, glad I could help!"},
    "bye": {"zh": "再见，祝您生活愉快！", "en": "Goodbye, have a nice day!"},
    "bot_identity": {
        "zh": "我是智能客服机器人。如需人工服务，请回复“转人工”。",
        "en": "I'm the virtual assistant. Type “agent” any time to talk to a person.",
    },
}


def detect_smalltalk(normalised: str) -> SmalltalkIntent | None:
    """The small-talk intent that the whole of `normalised` expresses, if any."""
    text = normalised.strip()
    if not text or len(text) > 40:
        return None
    for rule in _RULES:
        if rule.pattern.fullmatch(text):
            return rule.intent
    return None


def smalltalk_reply(intent: SmalltalkIntent, language: Language) -> str:
    """The canned reply to `intent` in `language`."""
    return _REPLIES[intent][language]
