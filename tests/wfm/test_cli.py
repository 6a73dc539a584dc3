"""`kefu wfm` sub-commands through Typer's CliRunner."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from kefu.wfm.cli import app

runner = CliRunner()


def test_staff_textbook_case() -> None:
    args = ["staff", "--calls", "100", "--interval", "1800", "--aht", "180"]
    res = runner.invoke(app, [*args, "--target-sl", "0.8", "--target-time", "20"])
    assert res.exit_code == 0, res.output
    assert "agents needed / 所需坐席:         14" in res.output
    assert "0.888" in res.output
    assert "7.8 s" in res.output
    res = runner.invoke(app, [*args, "--shrinkage", "0.3"])
    assert "排班人数: 20" in res.output


def test_staff_erlang_a_and_bad_input() -> None:
    res = runner.invoke(app, ["staff", "--calls", "100", "--aht", "180", "--patience", "300"])
    assert res.exit_code == 0
    assert "Erlang A" in res.output
    assert "P(abandon)" in res.output
    res = runner.invoke(app, ["staff", "--calls", "100", "--aht", "180", "--shrinkage", "1.5"])
    assert res.exit_code != 0


def _csv(tmp_path: Path, days: int, bad: bool = False) -> Path:
    lines = ["timestamp,queue,contacts"]
    start = datetime(2026, 9, 7, 8, 0)
    for d in range(days):
        for k in range(8):
            t = start + timedelta(days=d, hours=k)
            lines.append(f"{t.isoformat()},sales,{100 + 10 * k + 5 * (d % 7)}")
    if bad:
        lines.append("2026-12-01T08:00:00,sales,many")
    p = tmp_path / "in.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_forecast_report_and_output(tmp_path: Path) -> None:
    p = _csv(tmp_path, 42)
    res = runner.invoke(app, ["forecast", "--input", str(p), "--report", "--interval", "60"])
    assert res.exit_code == 0, res.output
    assert "interval WAPE" in res.output
    assert "WAPE ratio vs seasonal naive" in res.output
    args = ["forecast", "--input", str(p), "--model", "seasonal_naive", "--days", "2"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "timestamp,queue,contacts,model"
    assert len(lines) == 1 + 2 * 8  # the 8 intervals that ever had data, for 2 open days
    assert lines[1] == "2026-10-19T08:00:00,sales,100.0,seasonal_naive"


def test_forecast_bad_csv_names_row(tmp_path: Path) -> None:
    p = _csv(tmp_path, 3, bad=True)
    res = runner.invoke(app, ["forecast", "--input", str(p)])
    assert res.exit_code == 2
    assert "row 26, column 'contacts'" in res.output


def test_simulate_prints_scenarios() -> None:
    args = ["simulate", "--calls", "100", "--aht", "180", "--agents", "14", "--intervals", "8"]
    res = runner.invoke(app, [*args, "--replications", "3", "--bot", "0.1"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("scenario")
    assert len(lines) == 5
    assert "volume +30%" in lines[4]
