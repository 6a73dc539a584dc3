"""Browser end-to-end tests: a real `kefu serve` on a fresh SQLite var dir, Debian's Chromium via Playwright.

They run once, on SQLite (skipped when KEFU_TEST_DATABASE_URL points the suite at PostgreSQL), and
are skipped when Chromium, Playwright or the built front end is missing. Screenshots of every step go
to test-artifacts/e2e/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
KEFU = str(Path(sys.executable).with_name("kefu"))
PASSWORD_KEY = "password"


def _skip_reason() -> str | None:
    if os.environ.get("KEFU_TEST_DATABASE_URL"):
        return "browser tests run once, on SQLite"
    if shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install -y chromium)"
    if not (ROOT / "kefu" / "static" / "console" / "index.html").exists():
        return "front end not built (cd web && npm run build)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    for item in items:
        if "e2e" in item.keywords and reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Demo:
    base: str
    widget_key: str
    password: str
    var_dir: Path
    clients: list[httpx.Client] = field(default_factory=list)

    def login(self, email: str) -> httpx.Client:
        """An API client signed in as one of the demo users (closed when the server stops)."""
        client = httpx.Client(base_url=f"{self.base}/api/v1", timeout=30)
        self.clients.append(client)
        tokens = client.post("/auth/login", json={"email": email, "password": self.password})
        tokens.raise_for_status()
        client.headers["Authorization"] = f"Bearer {tokens.json()['access_token']}"
        return client


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["KEFU_VAR_DIR"] = str(var_dir)
    return env


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kefu serve exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"kefu serve did not become healthy:\n{log.read_text()[-3000:]}")


def _warm_bot(demo: Demo) -> None:
    """Waits until the bot answers a first message: the server builds the bot's index on first use
    (`kefu demo --skip-index`), and while it builds the server hardly answers anything else."""
    with httpx.Client(base_url=f"{demo.base}/api/v1", timeout=120) as c:
        session = c.post("/widget/sessions", json={"widget_key": demo.widget_key, "locale": "en"})
        session.raise_for_status()
        c.headers["Authorization"] = f"Bearer {session.json()['contact_token']}"
        c.post(
            "/widget/messages",
            json={"client_msg_id": "warm-up", "body": "How do I return an item?"},
        ).raise_for_status()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            r = c.get("/widget/messages", params={"after_seq": 0})
            if r.status_code == 200 and any(m["sender_type"] == "bot" for m in r.json()["items"]):
                return
            time.sleep(1)
    raise RuntimeError("the bot did not answer the warm-up message")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = _env(var_dir)
    subprocess.run([KEFU, "db", "upgrade"], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [KEFU, "demo", "--json", "--skip-index"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    info: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    log = var_dir / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [KEFU, "serve", "--port", str(port)], env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    d = Demo(base, info["widget_key"], info[PASSWORD_KEY], var_dir)
    try:
        _wait_healthy(base, proc, log)
        _warm_bot(d)
        yield d
    finally:
        for client in d.clients:
            client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        await b.close()


class Shots:
    """Numbered screenshots of one test's steps under test-artifacts/e2e/<test>/."""

    def __init__(self, name: str) -> None:
        self.dir = ARTIFACTS / name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.n = 0

    async def take(self, page: Any, step: str) -> None:
        self.n += 1
        await page.screenshot(path=str(self.dir / f"{self.n:02d}-{step}.png"))


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name)
