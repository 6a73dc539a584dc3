"""A supervisor in the workforce console: history import (with a refused file first), a forecast
with its chart and accuracy report, the Erlang calculator on the textbook case, a what-if
comparison, and a schedule grid. Small data (3 weeks × 8 half-hours) keeps it fast."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright")

from playwright.async_api import Page, expect

from tests.e2e.conftest import Demo, Shots
from tests.e2e.helpers import LONG, console_login
from tests.wfm.api_data import csv_history, today

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1400, "height": 1000}
SLOTS = tuple(f"{9 + i // 2:02d}:{30 * (i % 2):02d}" for i in range(8))
FORECAST = 120_000  # ms: model selection backtests three models on a shared machine


def _history_csv(path: Path) -> Path:
    """21 days of queue `calls` ending yesterday, with a fixed wiggle so the band has width."""
    text = csv_history(today() - timedelta(days=21), 21, slots=SLOTS, base=40)
    rows = text.strip().split("\n")
    out = [rows[0]]
    for i, row in enumerate(rows[1:]):
        stamp, queue, contacts, aht = row.split(",")
        out.append(f"{stamp},{queue},{float(contacts) + (i * 7) % 5 - 2:g},{aht}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


async def _fill_number(page: Page, test_id: str, value: str) -> None:
    box = page.locator(f"[data-test={test_id}] input")
    await box.fill(value)
    await box.press("Tab")


async def _import(page: Page, tmp_path: Path, shots: Shots) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,queue,contacts\n2026-11-02T09:00,calls,many\nyesterday,calls,3\n")
    await page.set_input_files("[data-test=wfm-import-file]", str(bad))
    errors = page.locator("[data-test=wfm-import-errors]")
    await expect(errors).to_contain_text("contacts", timeout=LONG)
    await expect(errors).to_contain_text("timestamp")
    await shots.take(page, "import-refused")
    await page.set_input_files("[data-test=wfm-import-file]", str(_history_csv(tmp_path / "h.csv")))
    await expect(page.locator("[data-test=wfm-imported]")).to_contain_text("168", timeout=LONG)
    await expect(page.locator("[data-test=wfm-queue]")).to_contain_text("calls")


async def _forecast(page: Page, shots: Shots) -> None:
    await page.click("[data-test=wfm-run-forecast]")
    await expect(page.locator("[data-test=wfm-forecast-chart] canvas")).to_be_visible(
        timeout=FORECAST
    )
    shown = page.locator("[data-test=wfm-forecast]")
    await expect(shown).to_contain_text("History: 21 days")
    await expect(shown).not_to_contain_text("Too few backtest cells")  # the band is drawn
    accuracy = page.locator("[data-test=wfm-accuracy]")
    await expect(accuracy).to_contain_text("Interval WAPE")
    await expect(accuracy).to_contain_text("Seasonal naive baseline")
    await expect(accuracy).to_contain_text(re.compile(r"\d{4}-\d{2}"))  # a month row
    await shots.take(page, "forecast")


async def _calculator(page: Page, shots: Shots) -> None:
    await page.get_by_role("tab", name="Staffing").click()
    for test_id, value in (
        ("calc-calls", "100"),
        ("calc-interval", "1800"),
        ("calc-aht", "180"),
        ("calc-sl", "80"),
        ("calc-time", "20"),
    ):
        await _fill_number(page, test_id, value)
    await page.click("[data-test=calc-run]")
    await expect(page.locator("[data-test=calc-agents-needed]")).to_have_text("14", timeout=LONG)
    await expect(page.locator("[data-test=calc-sl-out]")).to_have_text("88.8 %")
    await expect(page.locator("[data-test=wfm-requirement-rows]")).to_contain_text("09:30")
    await shots.take(page, "staffing")


async def _scenarios(page: Page, shots: Shots) -> None:
    await page.get_by_role("tab", name="Scenarios").click()
    await page.click("[data-test=preset-staff]")
    await page.click("[data-test=preset-volume]")
    await expect(page.locator("[data-test=wfm-scenarios] .el-table__row")).to_have_count(2)
    await page.click("[data-test=wfm-simulate]")
    comparison = page.locator("[data-test=wfm-comparison]")
    await expect(comparison).to_contain_text("Baseline", timeout=LONG)
    await expect(comparison).to_contain_text("2 agents fewer")
    await expect(comparison).to_contain_text("Volume +30 %")
    await expect(comparison).to_contain_text("Service level")
    await expect(page.locator("[data-test=wfm-scenario-chart] canvas")).to_be_visible()
    await expect(page.locator("[data-test=wfm-interval-table]")).to_contain_text("12:30")
    await shots.take(page, "scenarios")


async def _schedule(page: Page, demo: Demo, shots: Shots) -> None:
    admin = demo.login("admin@demo.kefu.dev")
    for user in admin.get("/users").json():
        if user["role"] == "agent":
            admin.patch(f"/users/{user['id']}", json={"skills": ["calls"]}).raise_for_status()
    template = {
        "name": "Morning 早班",
        "length_minutes": 240,
        "earliest_start": "09:00",
        "latest_start": "09:00",
    }
    admin.post("/wfm/shift-templates", json=template).raise_for_status()
    await page.get_by_role("tab", name="Schedule").click()
    await expect(page.locator("[data-test=wfm-templates]")).to_contain_text("Morning 早班")
    await page.click("[data-test=wfm-build]")
    grid = page.locator("[data-test=wfm-grid]")
    await expect(grid).to_contain_text("09:00–13:00", timeout=LONG)
    await expect(page.locator("[data-test=wfm-coverage-chart] canvas")).to_be_visible()
    await shots.take(page, "schedule")


async def test_supervisor_forecasts_staffs_and_compares_scenarios(
    demo: Demo, browser: Any, shots: Shots, tmp_path: Path
) -> None:
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-US")
    try:
        page = await ctx.new_page()
        await console_login(page, demo, "supervisor@demo.kefu.dev")
        await page.click("text=Workforce")
        await expect(page.locator("[data-test=wfm]")).to_be_visible(timeout=LONG)
        await _import(page, tmp_path, shots)
        await _forecast(page, shots)
        await _calculator(page, shots)
        await _scenarios(page, shots)
        await _schedule(page, demo, shots)
    finally:
        await ctx.close()
