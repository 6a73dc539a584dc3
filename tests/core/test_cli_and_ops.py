"""The `kefu` command and the load-balancer probes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kefu.cli import app
from kefu.core.i18n import MESSAGES
from kefu.core.settings import get_settings
from tests.conftest import LiveServer


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEFU_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("KEFU_DATABASE_URL", raising=False)
    monkeypatch.delenv("KEFU_REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_workers_without_redis_refuse_to_start(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "KEFU_REDIS_URL" in result.output


def test_scale_out_without_secret_refuses(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_REDIS_URL", "redis://127.0.0.1:6379/7")
    monkeypatch.delenv("KEFU_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "KEFU_SECRET_KEY" in result.output


def test_db_upgrade_and_demo_are_idempotent(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(app, ["demo", "--json", "--skip-index"])
    second = runner.invoke(app, ["demo", "--json", "--skip-index"])
    assert first.exit_code == 0, first.output
    a = json.loads(first.stdout.strip().splitlines()[-1])
    b = json.loads(second.stdout.strip().splitlines()[-1])
    assert a == b
    assert a["tenant"] == "Demo Shop" and a["password"] == "kefu-demo"
    assert sorted(u["role"] for u in a["users"]) == [
        "admin",
        "agent",
        "agent",
        "agent",
        "supervisor",
    ]
    assert (cli_env / "secret_key").exists(), "embedded mode keeps its generated secret in var/"


def test_the_reseal_command_reports_what_it_did(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["secrets", "reseal"])
    assert result.exit_code == 0, result.output
    assert "Resealed 0 stored credentials; 0 open with no configured key" in result.output
    assert "已用新密钥重新加密 0 个凭据" in result.output


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_unknown_route_is_a_bilingual_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/nothing-here", headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 404
    assert r.json()["code"] == "not_found" and r.json()["message"] == "未找到资源"


def test_every_message_has_both_languages() -> None:
    for code, (en, zh) in MESSAGES.items():
        assert en.strip() and zh.strip(), code
        assert en != zh, code


async def test_demo_page_embeds_the_demo_widget(
    client: httpx.AsyncClient, server: LiveServer
) -> None:
    from kefu.demo import seed_demo

    info = await seed_demo(server.runtime)
    r = await client.get("/demo")
    assert r.status_code == 200
    assert f'data-widget-key="{info.widget_key}"' in r.text
    assert '<script src="/widget/kefu-widget.js"' in r.text


async def test_widget_api_answers_cors_preflight_only_there(client: httpx.AsyncClient) -> None:
    preflight = {
        "Origin": "https://shop.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    r = await client.options("/api/v1/widget/messages", headers=preflight)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    r = await client.options("/api/v1/conversations", headers=preflight)
    assert "access-control-allow-origin" not in r.headers


def test_create_tenant_and_user_from_the_command_line(cli_env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    tenant = runner.invoke(app, ["create-tenant", "Acme 顶点"])
    assert tenant.exit_code == 0, tenant.output
    tenant_id = tenant.stdout.strip().splitlines()[-1]
    user = runner.invoke(
        app,
        ["create-user", tenant_id, "boss@acme.example", "Boss", "--role", "admin"],
        input="long enough password\nlong enough password\n",
    )
    assert user.exit_code == 0, user.output
    again = runner.invoke(
        app,
        ["create-user", tenant_id, "boss@acme.example", "Boss"],
        input="x" * 10 + "\n" + "x" * 10 + "\n",
    )
    assert again.exit_code == 1
    assert "This email is already in use" in again.output and "该邮箱已被使用" in again.output


def test_logs_mask_emails_and_phone_numbers() -> None:
    from kefu.core.logging import mask

    text = mask("contact alice.wong@example.com called from 13812345678")
    assert "alice.wong@" not in text and "13812345678" not in text
    assert "a***@example.com" in text and text.endswith("138******78")


async def test_prometheus_metrics(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    r = await client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'kefu_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "kefu_conversations_waiting" in text
    assert "kefu_http_request_seconds_bucket" in text
