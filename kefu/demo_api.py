"""The demo shop's "business system": order status and parcel tracking for the demo task flows.

Deterministic fake data keyed by the number, so that `make run` can show a task flow end to end.
Order numbers ending in 0 do not exist (404). Not part of the kefu API (hidden from OpenAPI).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kefu.core.db import utcnow

router = APIRouter(prefix="/demo-api", include_in_schema=False)
STATUSES = [
    {"zh": "待发货", "en": "awaiting shipment"},
    {"zh": "已发货", "en": "shipped"},
    {"zh": "运输中", "en": "in transit"},
    {"zh": "已签收", "en": "delivered"},
]
CITIES = [
    ("上海转运中心", "Shanghai hub"),
    ("杭州分拨中心", "Hangzhou depot"),
    ("北京朝阳站", "Beijing Chaoyang"),
]


def _digest(value: str) -> int:
    return int(hashlib.sha256(value.encode()).hexdigest(), 16)


def _missing() -> JSONResponse:
    return JSONResponse({"error": "not_found"}, status_code=404)


@router.get("/orders/{order_no}", response_model=None)
async def order(order_no: str) -> dict[str, Any] | JSONResponse:
    if not order_no.isdigit() or order_no.endswith("0"):
        return _missing()
    h = _digest(order_no)
    eta = (utcnow() + timedelta(days=1 + h % 4)).date().isoformat()
    return {
        "order_no": order_no,
        "status": STATUSES[h % len(STATUSES)],
        "eta": eta,
        "carrier": "SF Express 顺丰",
        "tracking_no": f"SF{h % 10**12:012d}",
    }


@router.get("/parcels/{tracking_no}", response_model=None)
async def parcel(tracking_no: str) -> dict[str, Any] | JSONResponse:
    if not tracking_no.upper().startswith("SF") or tracking_no.endswith("0"):
        return _missing()
    h = _digest(tracking_no.upper())
    zh, en = CITIES[h % len(CITIES)]
    return {
        "tracking_no": tracking_no.upper(),
        "location": {"zh": zh, "en": en},
        "updated": utcnow().isoformat(),
    }
