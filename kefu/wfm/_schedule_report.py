"""Schedule results: assignments, under/over-staffing per interval, CSV and XLSX export."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Assignment:
    """One shift; ``start``/``end``/break are absolute intervals from the week's start."""

    agent: str
    day: int
    template: str
    start: int
    end: int
    break_start: int | None
    break_end: int | None


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """Staffing of one interval, all skills together.

    ``under`` is the exact shortfall when agents are assigned to skills optimally
    (max over skill sets S of demand(S) - agents able to serve S); ``over`` counts agents on
    duty beyond what the met demand needs.
    """

    interval: int
    required: int
    scheduled: int
    under: int
    over: int


@dataclass(frozen=True, slots=True)
class Schedule:
    assignments: tuple[Assignment, ...]
    coverage: tuple[CoverageRow, ...]
    cost: float
    optimal: bool
    interval_minutes: int = 30
    intervals_per_day: int = 48

    def clock(self, t: int) -> str:
        """'Mon 08:30' for an absolute interval."""
        day, i = divmod(t, self.intervals_per_day)
        minutes = i * self.interval_minutes
        return f"{WEEKDAYS[day % 7]} {minutes // 60:02d}:{minutes % 60:02d}"


def coverage_report(
    requirement: Mapping[str, Sequence[int]],
    on_duty: Sequence[Sequence[str]],
    skills: Mapping[str, frozenset[str]],
    horizon: int,
) -> tuple[CoverageRow, ...]:
    names = sorted(requirement)
    subsets = [frozenset(c) for r in range(1, len(names) + 1) for c in combinations(names, r)]
    rows = []
    for t in range(horizon):
        need = sum(requirement[s][t] for s in names)
        under = 0
        for sub in subsets:
            able = sum(1 for a in on_duty[t] if skills[a] & sub)
            under = max(under, sum(requirement[s][t] for s in sub) - able)
        staffed = len(on_duty[t])
        rows.append(CoverageRow(t, need, staffed, under, max(0, staffed - (need - under))))
    return tuple(rows)


def _assignment_rows(s: Schedule) -> list[list[str]]:
    rows = [["agent", "day", "template", "start", "end", "break_start", "break_end"]]
    for a in s.assignments:
        brk = (
            ("", "")
            if a.break_start is None or a.break_end is None
            else (
                s.clock(a.break_start),
                s.clock(a.break_end),
            )
        )
        rows.append(
            [a.agent, WEEKDAYS[a.day % 7], a.template, s.clock(a.start), s.clock(a.end), *brk]
        )
    return rows


def _coverage_rows(s: Schedule) -> list[list[str | int]]:
    rows: list[list[str | int]] = [["interval", "required", "scheduled", "under", "over"]]
    rows += [[s.clock(c.interval), c.required, c.scheduled, c.under, c.over] for c in s.coverage]
    return rows


def export_csv(s: Schedule, assignments_path: Path, coverage_path: Path | None = None) -> None:
    """Write the shifts (and optionally the per-interval coverage) as UTF-8 CSV."""
    with assignments_path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(_assignment_rows(s))
    if coverage_path is not None:
        with coverage_path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(_coverage_rows(s))


def export_xlsx(s: Schedule, path: Path) -> None:
    """Write a workbook with sheets 'schedule' (shifts) and 'coverage' (per interval)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "schedule"
    for row in _assignment_rows(s):
        ws.append(row)
    cov = wb.create_sheet("coverage")
    for crow in _coverage_rows(s):
        cov.append(crow)
    wb.save(path)
