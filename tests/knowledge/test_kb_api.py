"""Knowledge base over the API: edit drafts, import/export, publish and roll back."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from tests.factories import Factory, World

FAQ = {
    "question_zh": "多久发货？",
    "question_en": "When will my order ship?",
    "similar_zh": ["什么时候发货", "几天发货", "什么时候发货"],
    "similar_en": ["how soon do you ship"],
    "answer_zh": "付款后 48 小时内发货。",
    "answer_en": "Within 48 hours of payment.",
    "tags": ["shipping"],
}


def csv_file(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    fields = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(buf, fieldnames=fields, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


async def faq_count(client: httpx.AsyncClient, world: World) -> int:
    r = await client.get("/api/v1/kb/faqs", headers=world.agent.headers)
    total: int = r.json()["total"]
    return total


async def test_faq_crud_and_validation(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.supervisor.headers
    r = await client.post("/api/v1/kb/faqs", json=FAQ, headers=h)
    assert r.status_code == 201, r.text
    faq = r.json()
    assert faq["similar_zh"] == ["什么时候发货", "几天发货"], "duplicates removed"
    r = await client.put(
        f"/api/v1/kb/faqs/{faq['id']}", json={**FAQ, "answer_en": "Within 24 hours."}, headers=h
    )
    assert r.json()["answer_en"] == "Within 24 hours."
    found = await client.get("/api/v1/kb/faqs?q=24 hours", headers=world.agent.headers)
    assert [f["id"] for f in found.json()["items"]] == [faq["id"]]

    bad = [
        {**FAQ, "answer_en": ""},
        {"question_zh": "", "question_en": "", "answer_zh": "x"},
        {**FAQ, "valid_from": "2026-12-01T00:00:00Z", "valid_to": "2026-11-01T00:00:00Z"},
        {**FAQ, "similar_zh": "not a list"},
    ]
    for body in bad:
        r = await client.post("/api/v1/kb/faqs", json=body, headers=h)
        assert r.status_code == 422, body
        assert r.json()["code"] == "validation_error"
    assert await faq_count(client, world) == 1
    forbidden = await client.post("/api/v1/kb/faqs", json=FAQ, headers=world.agent.headers)
    assert forbidden.status_code == 403


async def test_csv_import_and_a_bad_file_changes_nothing(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.admin.headers
    good = [
        {
            "category": "Shipping 配送",
            "question_zh": "多久发货",
            "question_en": "",
            "similar_zh": "几天发货\n啥时候发",
            "answer_zh": "48 小时内",
            "answer_en": "",
            "enabled": "",
        },
        {
            "category": "Payment 支付",
            "question_zh": "",
            "question_en": "Can I pay by card?",
            "similar_en": "credit card ok?|visa?",
            "answer_zh": "",
            "answer_en": "Yes.",
            "enabled": "true",
        },
    ]
    r = await client.post(
        "/api/v1/kb/import", files={"file": ("faqs.csv", csv_file(good))}, headers=h
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 2, "updated": 0}
    cats = (await client.get("/api/v1/kb/categories", headers=h)).json()
    assert sorted(c["name"] for c in cats) == ["Payment 支付", "Shipping 配送"]

    broken = [
        {
            "question_zh": "好问题",
            "question_en": "",
            "answer_zh": "好答案",
            "answer_en": "",
            "enabled": "yes",
        },
        {
            "question_zh": "没有答案",
            "question_en": "",
            "answer_zh": "",
            "answer_en": "",
            "enabled": "true",
        },
        {
            "question_zh": "坏日期",
            "question_en": "",
            "answer_zh": "答",
            "answer_en": "",
            "enabled": "maybe",
            "valid_from": "tomorrow",
        },
    ]
    r = await client.post(
        "/api/v1/kb/import",
        files={"file": ("faqs.csv", csv_file(broken))},
        headers={**h, "Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "import_invalid" and "未导入" in r.json()["message"]
    errors = {(e["row"], e["column"], e["code"]) for e in r.json()["errors"]}
    assert errors == {
        (3, "answer_zh", "import_no_answer"),
        (4, "enabled", "import_not_bool"),
        (4, "valid_from", "import_not_date"),
    }
    reasons = {e["code"]: e["reason"] for e in r.json()["errors"]}
    assert reasons["import_not_bool"] == "请填写 true 或 false", "reasons follow Accept-Language"
    assert await faq_count(client, world) == 2

    missing = await client.post(
        "/api/v1/kb/import", files={"file": ("f.csv", b"question,answer\nq,a\n")}, headers=h
    )
    assert missing.status_code == 422
    assert {e["reason"] for e in missing.json()["errors"]} == {"Missing column"}
    assert {e["column"] for e in missing.json()["errors"]} == {
        "question_zh",
        "question_en",
        "answer_zh",
        "answer_en",
    }
    wrong_type = await client.post(
        "/api/v1/kb/import", files={"file": ("f.pdf", b"%PDF")}, headers=h
    )
    assert wrong_type.status_code == 422 and wrong_type.json()["code"] == "import_format"
    assert await faq_count(client, world) == 2


async def test_xlsx_export_import_round_trip(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.admin.headers
    await client.post("/api/v1/kb/faqs", json=FAQ, headers=h)
    export = await client.get("/api/v1/kb/export?format=xlsx", headers=h)
    assert export.status_code == 200
    assert export.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert first["similar_zh"] == "什么时候发货\n几天发货"
    first["answer_en"] = "Edited in Excel."
    book = Workbook()
    book.active.append(list(header))
    book.active.append([first[c] for c in header])
    buf = io.BytesIO()
    book.save(buf)
    r = await client.post(
        "/api/v1/kb/import", files={"file": ("edited.xlsx", buf.getvalue())}, headers=h
    )
    assert r.json() == {"created": 0, "updated": 1}
    faq = (await client.get("/api/v1/kb/faqs", headers=h)).json()["items"][0]
    assert faq["answer_en"] == "Edited in Excel." and faq["similar_zh"] == [
        "什么时候发货",
        "几天发货",
    ]
    template = await client.get("/api/v1/kb/template?format=csv", headers=h)
    assert template.text.lstrip("\ufeff").startswith("id,category,question_zh")


async def test_publish_and_rollback_switch_the_live_version(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.supervisor.headers
    faq = (await client.post("/api/v1/kb/faqs", json=FAQ, headers=h)).json()
    assert (await client.get("/api/v1/kb/status", headers=h)).json()["unpublished_changes"] is True
    v1 = (await client.post("/api/v1/kb/publish", json={"note": "first"}, headers=h)).json()
    assert v1["number"] == 1 and v1["faq_count"] == 1 and v1["live"]
    status = (await client.get("/api/v1/kb/status", headers=h)).json()
    assert status["unpublished_changes"] is False and status["live_version"]["id"] == v1["id"]

    disabled = {**FAQ, "enabled": False}
    await client.put(f"/api/v1/kb/faqs/{faq['id']}", json=disabled, headers=h)
    v2 = (await client.post("/api/v1/kb/publish", json={}, headers=h)).json()
    assert v2["number"] == 2 and v2["faq_count"] == 0, "disabled FAQs are not published"
    r = await client.post(f"/api/v1/kb/versions/{v1['id']}/rollback", headers=h)
    assert r.status_code == 200
    versions = (await client.get("/api/v1/kb/versions", headers=h)).json()
    assert [(v["number"], v["live"]) for v in versions] == [(2, False), (1, True)]
    kinds = [e.type for e in await factory.events(world.tenant_id)]
    assert kinds.count("kb.published") == 3


async def test_dictionary(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    body: dict[str, Any] = {
        "words": [
            {"word": "小米手环", "synonyms": ["手环", "mi band"]},
            {"word": "小米手环", "synonyms": ["band"]},
        ]
    }
    r = await client.put("/api/v1/kb/dictionary", json=body, headers=world.admin.headers)
    assert r.json() == [{"word": "小米手环", "synonyms": ["手环", "mi band", "band"]}]
    assert (
        await client.put(
            "/api/v1/kb/dictionary", json={"words": [{"word": ""}]}, headers=world.admin.headers
        )
    ).status_code == 422


async def test_kb_command_line_import_export_publish(factory: Factory, tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from kefu.cli import app
    from kefu.core.settings import get_settings

    world = await factory.world()
    rt = factory.rt
    env = {
        "KEFU_DATABASE_URL": rt.settings.database_url,
        "KEFU_VAR_DIR": str(rt.settings.var_dir),
        "KEFU_SECRET_KEY": "x" * 32,
    }
    good = tmp_path / "faqs.csv"
    good.write_bytes(
        csv_file(
            [{"question_zh": "能开发票吗", "question_en": "", "answer_zh": "可以", "answer_en": ""}]
        )
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_file([{"question_zh": "缺答案", "question_en": "", "answer_zh": "", "answer_en": ""}])
    )
    runner, tenant = CliRunner(), str(world.tenant_id)
    get_settings.cache_clear()
    try:
        refused = await asyncio.to_thread(
            runner.invoke, app, ["kb", "import", str(bad), "--tenant", tenant], env=env
        )
        assert refused.exit_code == 1 and "row 2, column answer_zh" in refused.output
        ok = await asyncio.to_thread(
            runner.invoke, app, ["kb", "import", str(good), "--tenant", tenant], env=env
        )
        assert ok.exit_code == 0 and "created 1" in ok.output
        out = tmp_path / "out.xlsx"
        exported = await asyncio.to_thread(
            runner.invoke, app, ["kb", "export", "--tenant", tenant, "--out", str(out)], env=env
        )
        assert exported.exit_code == 0 and load_workbook(out).worksheets[0].max_row == 2
        published = await asyncio.to_thread(
            runner.invoke, app, ["kb", "publish", "--tenant", tenant], env=env
        )
        assert "version 1 is live" in published.output
    finally:
        get_settings.cache_clear()
