"""Knowledge base endpoints: FAQs, categories, dictionary, import/export, publish, rollback."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import TooLarge, error_body
from kefu.core.i18n import negotiate
from kefu.core.pagination import Cursor
from kefu.knowledge import repository as repo
from kefu.knowledge import service
from kefu.knowledge.schemas import (
    CategoryIn,
    CategoryOut,
    DictionaryIn,
    FaqIn,
    FaqOut,
    FaqPage,
    ImportResult,
    KbStatusOut,
    PublishIn,
    VersionOut,
    WordIn,
)
from kefu.knowledge.transfer import TEMPLATE_ROW, parse_rows, read_table, write_table
from kefu.knowledge.views import export_rows
from kefu.tenants.auth import AnyPrincipal, ManagerPrincipal

router = APIRouter(prefix="/api/v1/kb", tags=["knowledge"])
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Fmt = Literal["csv", "xlsx"]


@router.get("/categories", response_model=list[CategoryOut])
async def list_categories(principal: AnyPrincipal, session: DbSession) -> list[CategoryOut]:
    return [
        CategoryOut.model_validate(c) for c in await repo.categories(session, principal.tenant_id)
    ]


@router.post("/categories", response_model=CategoryOut, status_code=201)
async def create_category(
    body: CategoryIn, principal: ManagerPrincipal, session: DbSession
) -> CategoryOut:
    category = await service.create_category(session, principal, body)
    await commit(session)
    return CategoryOut.model_validate(category)


@router.delete("/categories/{category_id}", status_code=204)
async def delete_category(
    category_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await service.delete_category(
        session, await repo.get_category_for(session, principal, category_id)
    )
    await commit(session)
    return Response(status_code=204)


@router.get("/faqs", response_model=FaqPage)
async def list_faqs(
    principal: AnyPrincipal,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=200)] = None,
    category_id: uuid.UUID | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FaqPage:
    rows, total = await repo.list_faqs(
        session, principal, q, category_id, Cursor.decode(cursor), limit
    )
    rows = list(rows)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = Cursor(rows[-1].updated_at, rows[-1].id).encode()
    return FaqPage(
        items=[FaqOut.model_validate(f) for f in rows], next_cursor=next_cursor, total=total
    )


@router.post("/faqs", response_model=FaqOut, status_code=201)
async def create_faq(body: FaqIn, principal: ManagerPrincipal, session: DbSession) -> FaqOut:
    faq = await service.save_faq(session, principal, body)
    await commit(session)
    return FaqOut.model_validate(faq)


@router.get("/faqs/{faq_id}", response_model=FaqOut)
async def get_faq(faq_id: uuid.UUID, principal: AnyPrincipal, session: DbSession) -> FaqOut:
    return FaqOut.model_validate(await repo.get_faq_for(session, principal, faq_id))


@router.put("/faqs/{faq_id}", response_model=FaqOut)
async def update_faq(
    faq_id: uuid.UUID, body: FaqIn, principal: ManagerPrincipal, session: DbSession
) -> FaqOut:
    faq = await repo.get_faq_for(session, principal, faq_id)
    await service.save_faq(session, principal, body, faq)
    await commit(session)
    return FaqOut.model_validate(faq)


@router.delete("/faqs/{faq_id}", status_code=204)
async def delete_faq(
    faq_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await service.delete_faq(session, principal, await repo.get_faq_for(session, principal, faq_id))
    await commit(session)
    return Response(status_code=204)


@router.get("/dictionary", response_model=list[WordIn])
async def get_dictionary(principal: AnyPrincipal, session: DbSession) -> list[WordIn]:
    return [
        WordIn(word=w.word, synonyms=w.synonyms)
        for w in await repo.words(session, principal.tenant_id)
    ]


@router.put("/dictionary", response_model=list[WordIn])
async def put_dictionary(
    body: DictionaryIn, principal: ManagerPrincipal, session: DbSession
) -> list[WordIn]:
    await service.set_dictionary(session, principal, body.words)
    await commit(session)
    return [
        WordIn(word=w.word, synonyms=w.synonyms)
        for w in await repo.words(session, principal.tenant_id)
    ]


@router.post("/import", response_model=ImportResult)
async def import_faqs(
    file: UploadFile,
    request: Request,
    principal: ManagerPrincipal,
    session: DbSession,
    mode: Literal["append", "replace"] = "append",
) -> ImportResult | JSONResponse:
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise TooLarge("file_too_large", limit=MAX_IMPORT_BYTES)
    parsed = parse_rows(read_table(file.filename or "", data))
    if parsed.errors:
        body = error_body(request, "import_invalid", {"count": len(parsed.errors)})
        lang = negotiate(request.headers.get("accept-language"))
        body["errors"] = [e.translated(lang).model_dump() for e in parsed.errors[:1000]]
        return JSONResponse(body, status_code=422)
    result = await service.import_faqs(session, principal, parsed.faqs, replace=mode == "replace")
    await commit(session)
    return result


@router.get("/export")
async def export_faqs(
    principal: AnyPrincipal, session: DbSession, format: Fmt = "xlsx"
) -> Response:
    data = write_table(format, await export_rows(session, principal.tenant_id))
    return _download(data, format, "kefu-faqs")


@router.get("/template")
async def template(principal: AnyPrincipal, format: Fmt = "xlsx") -> Response:
    return _download(write_table(format, [TEMPLATE_ROW]), format, "kefu-faq-template")


def _download(data: bytes, fmt: Fmt, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(data, media_type=MEDIA[fmt], headers=headers)


@router.get("/status", response_model=KbStatusOut)
async def status(principal: AnyPrincipal, session: DbSession) -> KbStatusOut:
    kb = await repo.state(session, principal.tenant_id)
    live = await repo.live_version(session, principal.tenant_id)
    changed = kb.draft_changed_at if kb else None
    return KbStatusOut(
        live_version=VersionOut.model_validate(live).model_copy(update={"live": True})
        if live
        else None,
        draft_changed_at=changed,
        unpublished_changes=changed is not None,
    )


@router.get("/versions", response_model=list[VersionOut])
async def list_versions(principal: AnyPrincipal, session: DbSession) -> list[VersionOut]:
    kb = await repo.state(session, principal.tenant_id)
    live_id = kb.live_version_id if kb else None
    return [
        VersionOut.model_validate(v).model_copy(update={"live": v.id == live_id})
        for v in await repo.versions(session, principal.tenant_id)
    ]


@router.post("/publish", response_model=VersionOut, status_code=201)
async def publish(
    body: PublishIn, request: Request, principal: ManagerPrincipal, session: DbSession
) -> VersionOut:
    version = await service.publish(session, runtime_of(request), principal, body.note)
    await commit(session)
    return VersionOut.model_validate(version).model_copy(update={"live": True})


@router.post("/versions/{version_id}/rollback", response_model=VersionOut)
async def rollback(
    version_id: uuid.UUID, request: Request, principal: ManagerPrincipal, session: DbSession
) -> VersionOut:
    version = await repo.get_version_for(session, principal, version_id)
    await service.rollback(session, runtime_of(request), principal, version)
    await commit(session)
    return VersionOut.model_validate(version).model_copy(update={"live": True})
