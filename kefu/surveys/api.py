"""CSAT endpoints: contacts rate, agents read."""

from __future__ import annotations

import html
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from kefu.contacts.auth import CurrentContact
from kefu.conversations.repository import get_conversation_for
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.core.i18n import negotiate
from kefu.surveys import service
from kefu.surveys.schemas import (
    CsatIn,
    CsatOut,
    SurveySettingsIn,
    SurveySettingsOut,
    TicketCsatIn,
    TicketCsatOut,
)
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal
from kefu.tickets.actions import ticket_by_portal_token

router = APIRouter(prefix="/api/v1", tags=["surveys"])


@router.post("/widget/csat", response_model=CsatOut, status_code=201)
async def rate(
    body: CsatIn, request: Request, contact: CurrentContact, session: DbSession
) -> CsatOut:
    answer = await service.rate_conversation(session, runtime_of(request), contact, body)
    await commit(session)
    return CsatOut.model_validate(answer)


@router.get("/conversations/{conversation_id}/csat", response_model=CsatOut)
async def get_csat(
    conversation_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> CsatOut:
    c = await get_conversation_for(session, principal, conversation_id)
    answer = await service.csat_of(session, c)
    if answer is None:
        raise NotFound("csat")
    return CsatOut.model_validate(answer)


@router.get("/surveys/settings", response_model=SurveySettingsOut)
async def get_settings(principal: AnyPrincipal, session: DbSession) -> SurveySettingsOut:
    """The tenant's survey wording (empty texts: the built-in wording is used)."""
    return await service.survey_wording(session, principal.tenant_id)


@router.put("/surveys/settings", response_model=SurveySettingsOut)
async def put_settings(
    body: SurveySettingsIn, principal: AdminPrincipal, session: DbSession
) -> SurveySettingsOut:
    out = await service.save_wording(session, principal.tenant_id, body)
    await commit(session)
    return out


@router.post(
    "/portal/tickets/{portal_token}/csat",
    response_model=TicketCsatOut,
    status_code=201,
    tags=["portal"],
)
async def rate_ticket(
    portal_token: str, body: TicketCsatIn, request: Request, session: DbSession
) -> TicketCsatOut:
    """The requester rates a solved ticket through its signed link (no login)."""
    rt = runtime_of(request)
    t = await ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    answer = await service.rate_ticket(session, rt, t, body)
    await commit(session)
    return TicketCsatOut.model_validate(answer)


pages = APIRouter(include_in_schema=False)
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
WORDING = {
    "en": ("How satisfied are you with how we handled #{n}?", "Comment (optional)", "Send"),
    "zh-CN": ("您对工单 #{n} 的处理满意吗？", "意见（可选）", "提交"),
}
THANKS = {"en": "Thank you for your rating.", "zh-CN": "感谢您的评价。"}
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{title}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
textarea{{width:100%;min-height:5rem}}</style></head><body>{body}</body></html>"""


def _page(lang: str, title: str, body: str) -> HTMLResponse:
    text = PAGE.format(lang=lang, title=html.escape(title), body=body)
    return HTMLResponse(text, headers={"Content-Security-Policy": CSP})


@pages.get("/portal/tickets/{portal_token}/rating")
async def rating_page(portal_token: str, request: Request, session: DbSession) -> HTMLResponse:
    t = await ticket_by_portal_token(session, runtime_of(request).verifying_secrets, portal_token)
    lang = negotiate(request.headers.get("accept-language"))
    question, comment, send = WORDING["zh-CN" if lang == "zh-CN" else "en"]
    custom = (await service.survey_wording(session, t.tenant_id)).question.get(lang)
    title = custom or question.format(n=t.number)
    radios = "".join(
        f'<label><input type="radio" name="score" value="{i}" required> {i}</label> '
        for i in range(1, 6)
    )
    form = (
        f'<h1>{html.escape(title)}</h1><form method="post"><p>{radios}</p>'
        f'<label for="c">{comment}</label><textarea id="c" name="comment" maxlength="2000">'
        f"</textarea><button>{send}</button></form>"
    )
    return _page(lang, title, form)


@pages.post("/portal/tickets/{portal_token}/rating")
async def rating_form(
    portal_token: str,
    score: Annotated[int, Form(ge=1, le=5)],
    request: Request,
    session: DbSession,
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    rt = runtime_of(request)
    t = await ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    await service.rate_ticket(session, rt, t, TicketCsatIn(score=score, comment=comment))
    await commit(session)
    lang = negotiate(request.headers.get("accept-language"))
    thanks = (await service.survey_wording(session, t.tenant_id)).thanks.get(lang) or THANKS[lang]
    return _page(lang, thanks, f"<p>{html.escape(thanks)}</p>")
