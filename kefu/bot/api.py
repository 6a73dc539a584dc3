"""Bot settings (admins) and answer feedback (contacts)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from kefu.bot import service
from kefu.bot.live import Engines
from kefu.bot.models import BotConfig
from kefu.bot.schemas import BotConfigIn, BotConfigOut, FeedbackIn
from kefu.contacts.auth import CurrentContact
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal

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
