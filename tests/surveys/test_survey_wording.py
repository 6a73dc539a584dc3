"""Per-tenant CSAT wording: admins set it, the widget session and the ticket rating page use it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from kefu.surveys.models import SurveySettings
from tests.factories import Factory
from tests.surveys.test_ticket_csat import _solved

URL = "/api/v1/surveys/settings"
WORDING: dict[str, Any] = {
    "question": {"zh-CN": "这次<b>服务</b>您满意吗？", "en": "Happy with us?"},
    "thanks": {"zh-CN": "谢谢支持！", "en": "Cheers!"},
}


async def _rows(factory: Factory) -> int:
    async with factory.rt.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(SurveySettings)) or 0)


async def test_round_trip_and_isolation(factory: Factory, client: httpx.AsyncClient) -> None:
    w, other = await factory.world(), await factory.world()
    empty = await client.get(URL, headers=w.agent.headers)
    assert empty.status_code == 200 and empty.json() == {"question": {}, "thanks": {}}
    r = await client.put(URL, json=WORDING, headers=w.admin.headers)
    assert r.status_code == 200, r.text
    assert (await client.get(URL, headers=w.agent.headers)).json() == WORDING
    assert (await client.get(URL, headers=other.admin.headers)).json() == {
        "question": {},
        "thanks": {},
    }
    # blank texts fall back to the built-in wording
    r = await client.put(URL, json={"question": {"en": "  "}}, headers=w.admin.headers)
    assert r.json() == {"question": {}, "thanks": {}}


async def test_bad_input_and_agents_refused(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    before = await _rows(factory)
    bad: list[dict[str, Any]] = [
        {"question": {"fr": "Ça va ?"}},
        {"thanks": {"en": "x" * 301}},
        {"question": {"en": 5}},
        {"question": "hello"},
        {"colour": {}},
    ]
    for body in bad:
        r = await client.put(URL, json=body, headers=w.admin.headers)
        assert r.status_code == 422, (body, r.text)
    r = await client.put(URL, json=WORDING, headers=w.agent.headers)
    assert r.status_code == 403
    assert await _rows(factory) == before


async def test_widget_and_rating_page_use_wording(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w, other = await factory.world(), await factory.world()
    assert (await client.put(URL, json=WORDING, headers=w.admin.headers)).status_code == 200
    body = {"widget_key": w.widget_key, "locale": "en"}
    s = (await client.post("/api/v1/widget/sessions", json=body)).json()
    assert s["inbox"]["csat"] == WORDING
    body = {"widget_key": other.widget_key, "locale": "en"}
    s = (await client.post("/api/v1/widget/sessions", json=body)).json()
    assert s["inbox"]["csat"] == {"question": {}, "thanks": {}}
    _, token = await _solved(client, w)
    page = f"/portal/tickets/{token}/rating"
    zh = await client.get(page, headers={"Accept-Language": "zh-CN"})
    assert "这次&lt;b&gt;服务&lt;/b&gt;您满意吗？" in zh.text and "<b>" not in zh.text
    en = await client.get(page, headers={"Accept-Language": "en"})
    assert "Happy with us?" in en.text
    done = await client.post(page, data={"score": "5"}, headers={"Accept-Language": "en"})
    assert done.status_code == 200 and "Cheers!" in done.text
    _, token2 = await _solved(client, other)
    plain = await client.get(f"/portal/tickets/{token2}/rating", headers={"Accept-Language": "en"})
    assert "Happy with us?" not in plain.text and "How satisfied" in plain.text
    assert uuid.UUID(s["contact_id"])
