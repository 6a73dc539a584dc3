"""The requester's side: the widget's leave-a-message form, and the ticket page reached by a
signed link (JSON endpoints plus a small server-rendered HTML page; everything escaped)."""

from __future__ import annotations

import html
import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.auth import CurrentContact
from kefu.contacts.models import Contact
from kefu.core.context import Runtime, runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.core.i18n import negotiate
from kefu.tickets import actions, portal_live, service
from kefu.tickets import repository as repo
from kefu.tickets.models import Ticket
from kefu.tickets.schemas import PortalReply, PortalReplyIn, PortalTicketOut, WidgetTicketIn

router = APIRouter()
STATUS_LABELS = {
    "new": ("Received", "已受理"),
    "open": ("In progress", "处理中"),
    "pending": ("Waiting for your reply", "等待您的回复"),
    "on-hold": ("In progress", "处理中"),
    "solved": ("Solved", "已解决"),
    "closed": ("Closed", "已关闭"),
}


async def portal_view(
    session: AsyncSession, rt: Runtime, t: Ticket, base_url: str = ""
) -> PortalTicketOut:
    comments = await repo.comments_of(session, t, public_only=True)
    token = actions.portal_token(rt.secret, t)
    return PortalTicketOut(
        id=t.id,
        number=t.number,
        subject=t.subject,
        description=t.description,
        status=t.status,
        created_at=t.created_at,
        updated_at=t.updated_at,
        replies=[
            PortalReply(
                from_requester=c.author_type == "contact", body=c.body, created_at=c.created_at
            )
            for c in comments
        ],
        link=f"{base_url}/portal/tickets/{token}",
        rating_link=actions.rating_url(base_url, rt.secret, t),
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.post(
    "/api/v1/widget/tickets", response_model=PortalTicketOut, status_code=201, tags=["widget"]
)
async def leave_message(
    body: WidgetTicketIn, request: Request, contact: CurrentContact, session: DbSession
) -> PortalTicketOut:
    rt = runtime_of(request)
    requester = await session.get(Contact, contact.contact_id)
    if requester is None:
        raise NotFound("contact")
    if body.name and not requester.name:
        requester.name = body.name
    if body.email and not requester.email:
        requester.email = str(body.email).strip().lower()
    new = service.NewTicket(
        subject=body.subject,
        requester=requester,
        description=body.description,
        channel="widget",
        inbox_id=contact.inbox_id,
        requester_texts=[body.subject, body.description],
    )
    t = await service.create_ticket(session, rt, new, service.Actor("contact", requester.id))
    await commit(session)
    return await portal_view(session, rt, t, _base(request))


@router.get("/api/v1/widget/tickets", response_model=list[PortalTicketOut], tags=["widget"])
async def my_tickets(
    request: Request, contact: CurrentContact, session: DbSession
) -> list[PortalTicketOut]:
    rt = runtime_of(request)
    rows = await repo.tickets_of_contact(session, contact)
    return [await portal_view(session, rt, t, _base(request)) for t in rows]


@router.get(
    "/api/v1/portal/tickets/{portal_token}", response_model=PortalTicketOut, tags=["portal"]
)
async def portal_ticket(portal_token: str, request: Request, session: DbSession) -> PortalTicketOut:
    rt = runtime_of(request)
    t = await actions.ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    return await portal_view(session, rt, t, _base(request))


@router.get(
    "/api/v1/portal/tickets/{portal_token}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
    tags=["portal"],
)
async def portal_events(portal_token: str, request: Request) -> StreamingResponse:
    """Server-Sent Events: `{"type": "reply"|"status"}` when the ticket gets a public reply or
    changes status. A short read session checks the link (a stream must not hold a connection)."""
    rt = runtime_of(request)
    async with rt.db.read_sessions() as session:
        t = await actions.ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    return await portal_live.ticket_stream(request.app.state.hub, t)


async def _requester_reply(session: AsyncSession, rt: Runtime, t: Ticket, text: str) -> None:
    actor = service.Actor("contact", t.requester_id)
    await service.add_comment(session, rt, t, actor, service.CommentDraft(text, True, "portal"))


@router.post(
    "/api/v1/portal/tickets/{portal_token}/replies",
    response_model=PortalTicketOut,
    status_code=201,
    tags=["portal"],
)
async def portal_reply(
    portal_token: str, body: PortalReplyIn, request: Request, session: DbSession
) -> PortalTicketOut:
    rt = runtime_of(request)
    t = await actions.ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    await _requester_reply(session, rt, t, body.body)
    await commit(session)
    return await portal_view(session, rt, t, _base(request))


CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; connect-src 'self'; "
    f"script-src 'sha256-{portal_live.SCRIPT_HASH}'"
)
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>#{number} {subject}</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}}
.r{{border-left:3px solid #ccd;padding:.2rem .8rem;margin:1rem 0;white-space:pre-wrap}}
.me{{border-color:#1f6feb}} small{{color:#666}} textarea{{width:100%;min-height:6rem}}</style>
</head><body data-labels="{labels}"><h1>#{number} {subject}</h1>
<p><strong id="status">{status}</strong></p><div class="r me">{description}</div>
<div id="replies">{replies}</div><div id="rating">{rating}</div>{form}<script>{script}</script>
</body></html>"""
FORM = """<form method="post"><label for="b">{label}</label>
<textarea id="b" name="body" required maxlength="20000"></textarea><button>{send}</button></form>"""


def _rate_label(zh: bool) -> str:
    return "评价本次服务" if zh else "Rate our service"


def _rating(link: str | None, zh: bool) -> str:
    if link is None:
        return ""
    return f'<p><a href="{html.escape(link)}">{_rate_label(zh)}</a></p>'


def _labels(zh: bool) -> str:
    """What the page's script needs to re-render in the page's language (an escaped attribute)."""
    status = {key: names[1 if zh else 0] for key, names in STATUS_LABELS.items()}
    return html.escape(json.dumps({"status": status, "rate": _rate_label(zh)}, ensure_ascii=False))


def render_page(view: PortalTicketOut, lang: str) -> str:
    zh = lang == "zh-CN"
    esc = html.escape
    replies = "".join(
        f'<div class="r{" me" if r.from_requester else ""}"><small>'
        f"{esc(r.created_at.strftime('%Y-%m-%d %H:%M UTC'))}</small>\n{esc(r.body)}</div>"
        for r in view.replies
    )
    form = ""
    if view.status != "closed":
        form = FORM.format(label="回复" if zh else "Your reply", send="发送" if zh else "Send")
    return PAGE.format(
        lang="zh-CN" if zh else "en",
        number=view.number,
        subject=esc(view.subject),
        status=esc(STATUS_LABELS[view.status][1 if zh else 0]),
        description=esc(view.description),
        replies=replies,
        rating=_rating(view.rating_link, zh),
        form=form,
        labels=_labels(zh),
        script=portal_live.SCRIPT,
    )


@router.get("/portal/tickets/{portal_token}", include_in_schema=False)
async def portal_page(portal_token: str, request: Request, session: DbSession) -> HTMLResponse:
    rt = runtime_of(request)
    t = await actions.ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    view = await portal_view(session, rt, t)
    lang = negotiate(request.headers.get("accept-language"))
    return HTMLResponse(render_page(view, lang), headers={"Content-Security-Policy": CSP})


@router.post("/portal/tickets/{portal_token}", include_in_schema=False)
async def portal_form(
    portal_token: str,
    body: Annotated[str, Form(min_length=1, max_length=20_000)],
    request: Request,
    session: DbSession,
) -> RedirectResponse:
    rt = runtime_of(request)
    t = await actions.ticket_by_portal_token(session, rt.verifying_secrets, portal_token)
    await _requester_reply(session, rt, t, body)
    await commit(session)
    return RedirectResponse(f"/portal/tickets/{portal_token}", status_code=303)
