"""Bot settings (admins), answer feedback (contacts), and the knowledge-base learning list:
what the bot could not answer, grouped by question, to take into an FAQ or dismiss (managers)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kefu.bot import learning, service
from kefu.bot.live import Engines
from kefu.bot.models import BotConfig
from kefu.bot.schemas import (
    BotConfigIn,
    BotConfigOut,
    FeedbackIn,
    LearningCluster,
    LearningDismiss,
    LearningDismissed,
    LearningExample,
    LearningPage,
    LearningTake,
    LearningTaken,
)
from kefu.contacts.auth import CurrentContact
from kefu.core.context import runtime_of
from kefu.core.db import utcnow
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal, ManagerPrincipal

router = APIRouter(prefix="/api/v1", tags=["bot"])
DEFAULTS = BotConfigOut(
    answer_threshold=0.55,
    clarify_threshold=0.25,
    fallback_handoff_after=2,
    handoff_on_negative=True,
)


@router.get("/bot/config", response_model=BotConfigOut)
async def get_config(principal: AnyPrincipal, session: DbSession) -> BotConfigOut:
    config = await session.get(BotConfig, principal.tenant_id)
    return BotConfigOut.model_validate(config) if config else DEFAULTS


@router.put("/bot/config", response_model=BotConfigOut)
async def put_config(
    body: BotConfigIn, request: Request, principal: AdminPrincipal, session: DbSession
) -> BotConfigOut:
    config = await session.get(BotConfig, principal.tenant_id)
    if config is None:
        config = BotConfig(tenant_id=principal.tenant_id)
        session.add(config)
    for key, value in body.model_dump().items():
        setattr(config, key, value)
    await commit(session)
    Engines.of(runtime_of(request)).forget(principal.tenant_id)
    return BotConfigOut.model_validate(config)


@router.post("/widget/messages/{message_id}/feedback", status_code=204)
async def feedback(
    message_id: uuid.UUID, body: FeedbackIn, contact: CurrentContact, session: DbSession
) -> Response:
    if not await service.rate_answer(session, contact.contact_id, message_id, body.helpful):
        raise NotFound("message")
    await commit(session)
    return Response(status_code=204)


@router.get("/bot/learning", response_model=LearningPage)
async def learning_list(
    principal: ManagerPrincipal,
    session: DbSession,
    days: Annotated[int, Query(ge=1, le=365)] = learning.WINDOW_DAYS,
) -> LearningPage:
    """Unreviewed questions the bot could not answer in the last `days` days, by cluster."""
    since = utcnow() - timedelta(days=days)
    clusters = await learning.clusters_for(session, principal.tenant_id, since)
    questions = await learning.suggested_questions(session, principal.tenant_id, clusters)
    return LearningPage(since=since, items=[_cluster_out(c, questions) for c in clusters])


@router.post("/bot/learning/take", response_model=LearningTaken)
async def learning_take(
    body: LearningTake, principal: ManagerPrincipal, session: DbSession
) -> LearningTaken:
    """The cluster's messages become similar questions of the draft FAQ (publish to go live)."""
    faq, added, reviewed = await learning.take_into_faq(
        session, principal, body.turn_ids, body.faq_id
    )
    await commit(session)
    return LearningTaken(faq_id=faq.id, added=added, reviewed=reviewed)


@router.post("/bot/learning/dismiss", response_model=LearningDismissed)
async def learning_dismiss(
    body: LearningDismiss, principal: ManagerPrincipal, session: DbSession
) -> LearningDismissed:
    reviewed = await learning.dismiss(session, principal, body.turn_ids)
    await commit(session)
    return LearningDismissed(reviewed=reviewed)


def _cluster_out(c: learning.Cluster, questions: dict[str, str]) -> LearningCluster:
    known = c.suggested_faq if c.suggested_faq in questions else None
    return LearningCluster(
        question=c.question,
        count=c.count,
        examples=[LearningExample(text=t, count=n) for t, n in c.examples],
        turn_ids=c.turn_ids,
        suggested_faq_id=uuid.UUID(known) if known else None,
        suggested_question=questions.get(known) if known else None,
        suggested_score=c.suggested_score if known else None,
        last_seen_at=c.last_seen_at,
    )
