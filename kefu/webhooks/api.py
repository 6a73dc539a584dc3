"""Admin API of outbound webhook endpoints (`docs/webhooks.md`)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.pagination import Cursor
from kefu.tenants.auth import AdminPrincipal
from kefu.webhooks import service
from kefu.webhooks.repository import (
    deliveries_of,
    get_delivery_for,
    get_webhook_for,
    webhooks_of,
)
from kefu.webhooks.schemas import (
    SecretRotation,
    WebhookCreated,
    WebhookDeliveryOut,
    WebhookDeliveryPage,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@router.get("", response_model=list[WebhookOut])
async def list_webhooks(principal: AdminPrincipal, session: DbSession) -> list[WebhookOut]:
    return [service.webhook_out(w) for w in await webhooks_of(session, principal.tenant_id)]


@router.post("", response_model=WebhookCreated, status_code=201)
async def create_webhook(
    body: WebhookIn, principal: AdminPrincipal, session: DbSession
) -> WebhookCreated:
    webhook = await service.create_webhook(session, principal.tenant_id, body)
    await commit(session)
    out = service.webhook_out(webhook)
    return WebhookCreated(**out.model_dump(), secret=webhook.secret)


@router.get("/{webhook_id}", response_model=WebhookOut)
async def get_webhook(
    webhook_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> WebhookOut:
    return service.webhook_out(await get_webhook_for(session, principal, webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookOut)
async def update_webhook(
    webhook_id: uuid.UUID, body: WebhookPatch, principal: AdminPrincipal, session: DbSession
) -> WebhookOut:
    webhook = await get_webhook_for(session, principal, webhook_id)
    service.update_webhook(webhook, body)
    await commit(session)
    return service.webhook_out(webhook)


@router.post("/{webhook_id}/secret", response_model=WebhookCreated)
async def rotate_secret(
    webhook_id: uuid.UUID,
    principal: AdminPrincipal,
    session: DbSession,
    body: SecretRotation | None = None,
) -> WebhookCreated:
    """Replace the signing secret (a leaked one, or routine rotation); the new one is shown once.
    With `grace_hours`, the old secret keeps signing beside it that long."""
    webhook = await get_webhook_for(session, principal, webhook_id)
    service.rotate_secret(webhook, timedelta(hours=body.grace_hours if body else 0))
    await commit(session)
    return WebhookCreated(**service.webhook_out(webhook).model_dump(), secret=webhook.secret)


@router.delete("/{webhook_id}", status_code=204)
async def delete_webhook(
    webhook_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> Response:
    webhook = await get_webhook_for(session, principal, webhook_id)
    await service.delete_webhook(session, webhook)
    await commit(session)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=WebhookDeliveryPage)
async def list_deliveries(
    webhook_id: uuid.UUID,
    principal: AdminPrincipal,
    session: DbSession,
    before: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> WebhookDeliveryPage:
    """The endpoint's recent deliveries, newest first; `before` is the previous `next_cursor`."""
    webhook = await get_webhook_for(session, principal, webhook_id)
    rows = await deliveries_of(session, webhook, Cursor.decode(before), limit)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = Cursor(rows[-1].attempted_at, rows[-1].id).encode()
    items = [WebhookDeliveryOut.model_validate(r, from_attributes=True) for r in rows]
    return WebhookDeliveryPage(items=items, next_cursor=next_cursor)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response_model=WebhookDeliveryOut,
    status_code=201,
)
async def redeliver(
    webhook_id: uuid.UUID,
    delivery_id: uuid.UUID,
    request: Request,
    principal: AdminPrincipal,
    session: DbSession,
) -> WebhookDeliveryOut:
    """POST that event again now (current secret); logged as a redelivery, the cursor stays."""
    webhook = await get_webhook_for(session, principal, webhook_id)
    delivery = await get_delivery_for(session, webhook, delivery_id)
    record = await service.logged_event(session, runtime_of(request), webhook, delivery)
    await commit(session)  # nothing written yet: hold no connection while the receiver answers
    row = await service.redeliver(session, runtime_of(request), webhook, record)
    await commit(session)
    return WebhookDeliveryOut.model_validate(row, from_attributes=True)
