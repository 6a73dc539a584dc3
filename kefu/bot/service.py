"""The bot in conversations: answer each contact message in state `bot`, or hand off.

Triggered inline (once, by the process that stored the message) through `core.listeners`;
`tasks.answer_missed` re-runs it for messages a crashed process never answered. A unique
(conversation, message) key on `BotTurn` makes the reply happen at most once.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics.metrics import BOT_TURNS
from kefu.bot import llm
from kefu.bot.flows import service as flows
from kefu.bot.handoff import wants_human
from kefu.bot.language import detect_language
from kefu.bot.live import Engines, LiveEngine
from kefu.bot.models import BotTurn
from kefu.bot.normalise import normalise
from kefu.conversations import service as conversations
from kefu.conversations.lifecycle import Status
from kefu.conversations.messages import Draft, post_message
from kefu.conversations.models import Conversation
from kefu.conversations.service import Actor
from kefu.core.business_hours import is_open
from kefu.core.business_hours_db import load_schedule
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit, rollback

BOT = Actor("bot")
TEXTS: dict[str, dict[str, str]] = {
    "fallback": {
        "zh": "抱歉，我没有理解您的问题。您可以换个说法，或输入“人工”联系客服。",
        "en": (
            "Sorry, I didn't catch that. Could you rephrase it, "
            "or type “agent” to talk to a person?"
        ),
    },
    "clarify": {"zh": "您是想问以下哪个问题？", "en": "Did you mean one of these?"},
    "handoff_negative": {
        "zh": "非常抱歉给您带来不好的体验，正在为您转接人工客服。",
        "en": "I'm sorry about this experience. Let me connect you to an agent right away.",
    },
    "handoff": {
        "zh": "正在为您转接人工客服，请稍候。",
        "en": "Connecting you to an agent, one moment please.",
    },
    # outside business hours nobody is "one moment" away: routing's off-hours notice follows
    # (the tenant's message, with leaving a message), so these only say the question was passed on
    "handoff_negative_closed": {
        "zh": "非常抱歉给您带来不好的体验，我已把您的问题转给人工客服。",
        "en": "I'm sorry about this experience. I have passed your question on to our team.",
    },
    "handoff_closed": {
        "zh": "我已把您的问题转给人工客服。",
        "en": "I have passed your question on to our team.",
    },
}
CLOSED_VARIANTS = {
    text: TEXTS[f"{key}_closed"][lang]
    for key in ("handoff", "handoff_negative")
    for lang, text in TEXTS[key].items()
}
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en"}


@dataclass
class Plan:
    """What the bot will post, and whether it hands off afterwards."""

    outcome: str
    language: str
    text: str
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    handoff_reason: str | None = None
    faq_id: str | None = None
    score: float = 0.0
    sentiment: float = 0.0
    candidates: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float = 0.0


def _plan_decision(decision: Any, live: LiveEngine, fallbacks_before: int, after: int) -> Plan:
    lang = decision.language
    plan = Plan(
        outcome=decision.kind,
        language=lang,
        text=decision.reply or "",
        faq_id=decision.faq_id,
        score=float(decision.score),
        sentiment=float(decision.sentiment.score),
        candidates=[
            {"faq_id": c.faq_id, "score": round(float(c.score), 4)} for c in decision.candidates
        ],
        latency_ms=float(decision.total_ms),
    )
    if plan.outcome == "answer" and not (plan.text and live.valid_now(plan.faq_id, utcnow())):
        plan.outcome = "fallback"
    if plan.outcome == "clarify":
        plan.text = TEXTS["clarify"][lang]
        plan.suggestions = [
            {"faq_id": c.faq_id, "question": live.question(c.faq_id, lang)}
            for c in decision.candidates[:3]
            if live.valid_now(c.faq_id, utcnow())
        ]
    if plan.outcome == "handoff":
        key = "handoff_negative" if decision.handoff_reason == "negative_sentiment" else "handoff"
        plan.text, plan.handoff_reason = TEXTS[key][lang], decision.handoff_reason
    if plan.outcome == "fallback":
        plan.text = TEXTS["fallback"][lang]
        if fallbacks_before + 1 >= after:
            plan.text, plan.handoff_reason = TEXTS["handoff"][lang], "repeated_fallback"
    return plan


async def _fallbacks_in_a_row(session: AsyncSession, c: Conversation) -> int:
    stmt = (
        select(BotTurn.outcome)
        .where(BotTurn.conversation_id == c.id)
        .order_by(BotTurn.created_at.desc())
        .limit(10)
    )
    count = 0
    for outcome in (await session.execute(stmt)).scalars():
        if outcome != "fallback":
            break
        count += 1
    return count


@dataclass(frozen=True)
class TurnContext:
    fallbacks: int
    fallback_limit: int
    language: str | None  # the conversation's, "zh" / "en"

    def language_of(self, text: str) -> str:
        """The message's language; digits-only messages keep the conversation's."""
        if self.language and not any(ch.isalpha() for ch in text):
            return self.language
        return detect_language(text)


async def _load_turn_context(
    rt: Runtime, tenant_id: uuid.UUID, conversation_id: uuid.UUID, message_id: uuid.UUID
) -> TurnContext | None:
    """What the bot needs to know before answering this message (None: it should not)."""
    from kefu.bot.models import BotConfig

    # read-only: a reader connection, so the check never waits for (or holds) SQLite's writer
    async with rt.db.read_sessions() as session:
        c = await session.get(Conversation, conversation_id)
        if c is None or c.tenant_id != tenant_id or c.status != Status.BOT:
            return None
        done = await session.execute(
            select(BotTurn.id).where(
                BotTurn.conversation_id == conversation_id, BotTurn.message_id == message_id
            )
        )
        if done.first() is not None:
            return None
        config = await session.get(BotConfig, tenant_id)
        language = {"zh-CN": "zh", "en": "en"}.get(c.language or "")
        limit = config.fallback_handoff_after if config else 2
        return TurnContext(await _fallbacks_in_a_row(session, c), limit, language)


async def answer_message(
    rt: Runtime, tenant_id: uuid.UUID, conversation_id: uuid.UUID, message_id: uuid.UUID, text: str
) -> BotTurn | None:
    context = await _load_turn_context(rt, tenant_id, conversation_id, message_id)
    if context is None:
        return None
    language = context.language_of(text)
    flow = None
    if not wants_human(normalise(text)):
        flow = await flows.turn(rt, tenant_id, conversation_id, text, language)
    live = await Engines.of(rt).for_tenant(rt, tenant_id)
    if flow is not None:
        plan = _plan_flow(flow, language)
    elif live is None:
        plan = Plan("handoff", language, TEXTS["handoff"][language], handoff_reason="no_knowledge")
    else:
        decision = await asyncio.to_thread(live.engine.answer, text)
        plan = _plan_decision(decision, live, context.fallbacks, context.fallback_limit)
        await _phrase_with_llm(rt, plan, decision, live, text, context)
    return await _carry_out(rt, tenant_id, conversation_id, message_id, plan, live, flow)


async def _phrase_with_llm(
    rt: Runtime, plan: Plan, decision: Any, live: LiveEngine, text: str, context: TurnContext
) -> None:
    """With an LLM configured, word answers from the top FAQs; a refusal becomes a fallback."""
    if plan.outcome not in ("answer", "clarify") or not llm.configured(rt.settings):
        return
    lang = plan.language
    sources = [
        llm.Source(c.faq_id, live.question(c.faq_id, lang), live.answer(c.faq_id, lang))
        for c in decision.candidates[:3]
        if live.valid_now(c.faq_id, utcnow())
    ]
    phrased = await llm.phrase(rt.settings, text, sources, lang)
    if phrased is None:
        return
    if phrased.text is None:
        plan.outcome, plan.suggestions, plan.text = "fallback", [], TEXTS["fallback"][lang]
        if context.fallbacks + 1 >= context.fallback_limit:
            plan.text, plan.handoff_reason = TEXTS["handoff"][lang], "repeated_fallback"
        return
    plan.outcome, plan.suggestions, plan.text = "answer", [], phrased.text
    plan.faq_id = phrased.cited[0]
    plan.candidates = [{**c, "cited": c["faq_id"] in phrased.cited} for c in plan.candidates]


def _plan_flow(flow: flows.FlowTurn, language: str) -> Plan:
    return Plan(
        outcome="task",
        language=language,
        text=flow.step.text,
        handoff_reason=flow.step.handoff_reason,
        candidates=[{"flow": str(flow.flow_id), "result": flow.step.result}],
    )


async def _word_for_off_hours(session: AsyncSession, tenant_id: uuid.UUID, plan: Plan) -> None:
    """Outside business hours the bot's own handoff texts do not promise an agent "in a moment";
    routing's off-hours notice (once per stay in the queue) says the team is away and offers to
    leave a message. A flow's own wording is kept."""
    if not plan.handoff_reason or plan.text not in CLOSED_VARIANTS:
        return
    if not is_open(await load_schedule(session, tenant_id), utcnow()):
        plan.text = CLOSED_VARIANTS[plan.text]


async def _carry_out(
    rt: Runtime,
    tenant_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    plan: Plan,
    live: LiveEngine | None,
    flow: flows.FlowTurn | None = None,
) -> BotTurn | None:
    async with rt.db.sessions() as session:
        stmt = select(Conversation).where(Conversation.id == conversation_id).with_for_update()
        c = (await session.execute(stmt)).scalar_one_or_none()
        if c is None or c.status != Status.BOT:
            return None  # an agent took over meanwhile
        turn = _turn(tenant_id, c, message_id, plan, live)
        try:
            session.add(turn)
            await session.flush()
        except IntegrityError:
            await rollback(session)
            return None  # another process answered this message already
        await _word_for_off_hours(session, tenant_id, plan)
        reply, _ = await post_message(
            session, rt, c, BOT, Draft(body=plan.text, suggestions=plan.suggestions)
        )
        turn.reply_message_id = reply.id
        if flow is not None:
            await flows.save_run(session, tenant_id, c.id, flow)
        c.language = LANGUAGE_TAGS.get(plan.language, c.language)
        if plan.handoff_reason:
            await conversations.handoff(session, rt, c, BOT, plan.handoff_reason)
        await commit(session)
        BOT_TURNS.labels(turn.outcome).inc()
        return turn


def _turn(
    tenant_id: uuid.UUID,
    c: Conversation,
    message_id: uuid.UUID,
    plan: Plan,
    live: LiveEngine | None,
) -> BotTurn:
    return BotTurn(
        tenant_id=tenant_id,
        conversation_id=c.id,
        message_id=message_id,
        outcome="handoff" if plan.handoff_reason else plan.outcome,
        faq_id=plan.faq_id,
        score=plan.score,
        language=plan.language,
        sentiment=plan.sentiment,
        handoff_reason=plan.handoff_reason,
        kb_version=live.version_number if live else None,
        candidates=plan.candidates,
        latency_ms=plan.latency_ms,
    )


async def on_message_created(tenant_id: uuid.UUID, data: dict[str, Any], rt: Runtime) -> None:
    message = data["message"]
    if message["sender_type"] != "contact" or message["private"] or not message["body"].strip():
        return
    if data.get("context", {}).get("conversation_status", Status.BOT) != Status.BOT:
        return  # posted to a conversation a person handles: nothing to read back
    await answer_message(
        rt,
        tenant_id,
        uuid.UUID(message["conversation_id"]),
        uuid.UUID(message["id"]),
        message["body"],
    )


async def rate_answer(
    session: AsyncSession, contact_id: uuid.UUID, reply_id: uuid.UUID, helpful: bool
) -> bool:
    """Record a contact's helpful / not helpful on one bot reply; False if it is not theirs."""
    stmt = (
        select(BotTurn)
        .join(Conversation, Conversation.id == BotTurn.conversation_id)
        .where(BotTurn.reply_message_id == reply_id, Conversation.contact_id == contact_id)
    )
    turn = (await session.execute(stmt)).scalar_one_or_none()
    if turn is None:
        return False
    turn.helpful = helpful
    return True


def install(rt: Runtime) -> None:
    """Answer contact messages in bot conversations as they are stored."""

    async def listener(tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        await on_message_created(tenant_id, data, rt)

    async def prewarm(tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        await Engines.of(rt).for_tenant(rt, tenant_id)  # build the new version's index now

    rt.listeners.listen("message.created", listener)
    rt.listeners.listen("kb.published", prewarm)
