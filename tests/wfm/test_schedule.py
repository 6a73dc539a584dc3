"""Schedules cover the requirement at least cost; exports are readable."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from kefu.wfm.schedule import (
    Agent,
    ScheduleProblem,
    ShiftTemplate,
    build_schedule,
    export_csv,
    export_xlsx,
)


def _small() -> ScheduleProblem:
    # 8 hourly intervals; 4-hour shifts starting 0..4: the optimum is 3 shifts (at 0, 2, 4).
    return ScheduleProblem(
        requirement={"q": (1, 1, 2, 2, 2, 2, 1, 1)},
        templates=(ShiftTemplate("4h", length=4, earliest_start=0, latest_start=4),),
        agents=tuple(Agent(f"a{i}", frozenset({"q"})) for i in range(5)),
        intervals_per_day=8,
        days=1,
        interval_minutes=60,
    )


def test_known_optimum_covers_exactly() -> None:
    s = build_schedule(_small())
    assert s.optimal
    assert s.cost == 12
    assert sorted(a.start for a in s.assignments) == [0, 2, 4]
    assert all(c.under == 0 and c.over == 0 for c in s.coverage)


def test_understaffing_reported_when_agents_run_out() -> None:
    p = _small()
    s = build_schedule(ScheduleProblem(p.requirement, p.templates, p.agents[:1], 8, 1, 60))
    assert sum(c.under for c in s.coverage) == 8  # 12 needed agent-hours, 4 scheduled


def test_multi_skill_coverage_and_breaks() -> None:
    req = {"sales": (2,) * 8, "vip": (1,) * 8}
    agents = (
        Agent("both", frozenset({"sales", "vip"})),
        *(Agent(f"s{i}", frozenset({"sales"})) for i in range(3)),
    )
    tpl = ShiftTemplate("8h", 8, 0, 0, break_length=1, break_after=(3, 4))
    s = build_schedule(ScheduleProblem(req, (tpl,), agents, 8, 1, 60))
    # vip needs "both" all day, breaks included, so it cannot be fully covered
    assert any(c.under for c in s.coverage)
    assert any(a.agent == "both" for a in s.assignments)


def test_weekly_limits_respected() -> None:
    req = {"q": (1,) * 7}
    agents = (Agent("a", frozenset({"q"}), max_shifts=5), Agent("b", frozenset({"q"})))
    s = build_schedule(ScheduleProblem(req, (ShiftTemplate("d", 1, 0, 0),), agents, 1, 7, 60))
    per_agent = {a: sum(1 for x in s.assignments if x.agent == a) for a in ("a", "b")}
    assert sum(per_agent.values()) == 7
    assert max(per_agent.values()) <= 5


def test_exports(tmp_path: Path) -> None:
    s = build_schedule(_small())
    export_csv(s, tmp_path / "s.csv", tmp_path / "c.csv")
    with (tmp_path / "s.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["agent", "day", "template"]
    assert len(rows) == 4
    export_xlsx(s, tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == ["schedule", "coverage"]
    assert wb["coverage"].max_row == 9
