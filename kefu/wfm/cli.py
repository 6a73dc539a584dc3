"""`kefu wfm` commands: staffing (Erlang C / A) and forecasting from a CSV."""

from __future__ import annotations

import csv
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kefu.wfm.erlang import ServiceTarget, Workload, required_agents

if TYPE_CHECKING:
    from kefu.wfm.forecast import ForecastReport

app = typer.Typer(
    help="Workforce management: forecast, staffing, scheduling / 劳动力管理：预测、人力、排班",
    no_args_is_help=True,
)


@app.command()
def staff(
    calls: Annotated[float, typer.Option(help="Contacts offered in the interval / 来电量")],
    aht: Annotated[float, typer.Option(help="Average handle time, seconds / 平均处理时长")],
    interval: Annotated[int, typer.Option(help="Interval length, seconds / 时段长度")] = 1800,
    target_sl: Annotated[float, typer.Option(help="Target service level / 目标服务水平")] = 0.8,
    target_time: Annotated[float, typer.Option(help="Answer within, seconds / 目标应答时间")] = 20,
    patience: Annotated[
        float | None, typer.Option(help="Mean patience, seconds: Erlang A / 平均耐心")
    ] = None,
    shrinkage: Annotated[float, typer.Option(help="Shrinkage 0-1 / 缩减率")] = 0.0,
    max_occupancy: Annotated[float, typer.Option(help="Maximum occupancy / 最大占用率")] = 1.0,
) -> None:
    """Agents needed for a service level (Erlang C, or Erlang A with --patience)."""
    try:
        work = Workload(calls, interval, aht)
        target = ServiceTarget(target_sl, target_time, max_occupancy, shrinkage, patience)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    req = required_agents(work, target)
    m = req.metrics
    lines = [
        f"model / 模型:                     {'Erlang A' if patience else 'Erlang C'}",
        f"traffic / 话务量:                 {work.traffic:.2f} erlangs",
        f"agents needed / 所需坐席:         {req.agents}",
        f"scheduled (shrinkage) / 排班人数: {req.scheduled_agents}",
        f"service level / 服务水平:         {m.service_level:.3f} ({target_time:g} s)",
        f"ASA / 平均应答时间:               {m.asa_seconds:.1f} s",
        f"occupancy / 占用率:               {m.occupancy:.3f}",
        f"P(wait) / 等待概率:               {m.p_wait:.4f}",
    ]
    if patience:
        lines.append(f"P(abandon) / 放弃率:              {m.p_abandon:.4f}")
    typer.echo("\n".join(lines))


def _next_open_days(last: date, open_weekdays: set[int], n: int) -> list[date]:
    out: list[date] = []
    d = last
    while len(out) < n:
        d += timedelta(days=1)
        if d.weekday() in open_weekdays:
            out.append(d)
    return out


def _row(label: str, model: float, naive: float, fmt: str = ">10.4f") -> str:
    return f"{label:28}{model:{fmt}}{naive:{fmt}}"


def _print_report(queue: str, rep: ForecastReport) -> None:
    bt, sel = rep.backtest, rep.selection
    a, b = bt.accuracy, bt.baseline
    scores = ", ".join(f"{n}={w:.4f}" for n, w in sel.scores)
    rows = [
        f"queue / 队列: {queue}   model / 模型: {sel.model}   (selection WAPE: {scores})",
        f"test days / 测试天数: {len(bt.days)} ({bt.days[0]} .. {bt.days[-1]}), day-ahead",
        f"{'':28}{'model':>10}{'naive':>10}",
        _row("interval WAPE / 时段", a.interval_wape, b.interval_wape),
        _row("interval MAPE / 时段", a.interval_mape, b.interval_mape),
        _row("daily WAPE / 日", a.daily_wape, b.daily_wape),
        _row("daily MAPE / 日", a.daily_mape, b.daily_mape),
    ]
    for m, n in zip(a.months, b.months, strict=True):
        label = f"month {m.month} deviation / 月偏差"
        rows.append(_row(label, m.deviation, n.deviation, ">+10.2%"))
    rows.append(f"WAPE ratio vs seasonal naive / 相对季节朴素: {bt.wape_ratio:.3f}")
    typer.echo("\n".join(rows))


@app.command()
def forecast(
    input: Annotated[Path, typer.Option(help="CSV: timestamp,queue,contacts[,aht_seconds]")],
    report: Annotated[bool, typer.Option(help="Backtest accuracy report / 准确率报告")] = False,
    interval: Annotated[int, typer.Option(help="Bucket minutes: 15, 30, 60 / 时段")] = 30,
    tz: Annotated[str, typer.Option(help="Tenant time zone / 时区")] = "Asia/Shanghai",
    days: Annotated[int, typer.Option(help="Open days to forecast / 预测天数")] = 1,
    test_days: Annotated[int, typer.Option(help="Days held out for --report")] = 14,
    window_days: Annotated[int, typer.Option(help="Model selection window")] = 10,
    model: Annotated[str, typer.Option(help="auto, seasonal_naive, ets, sarima")] = "auto",
) -> None:
    """Forecast contacts per interval (CSV to stdout), or --report backtest accuracy."""
    from kefu.wfm.forecast import forecast_days, forecast_report, select_model
    from kefu.wfm.series import CsvImportError, bucket, read_contacts_csv

    try:
        series = bucket(read_contacts_csv(input, tz), interval, tz)
    except (CsvImportError, ValueError, OSError) as e:
        typer.echo(f"error / 错误: {e}", err=True)
        raise typer.Exit(2) from None
    if report:
        for q, s in series.items():
            _print_report(q, forecast_report(s, test_days, window_days))
        return
    out = csv.writer(sys.stdout)
    out.writerow(["timestamp", "queue", "contacts", "model"])
    for q, s in series.items():
        name = select_model(s, window_days).model if model == "auto" else model
        targets = _next_open_days(s.days[-1], {d.weekday() for d in s.days}, days)
        f = forecast_days(s, targets, name)
        for d, row in zip(targets, f, strict=True):
            for j, v in enumerate(row):
                out.writerow([f"{d.isoformat()}T{s.slot_label(j)}:00", q, f"{v:.1f}", name])


@app.command()
def simulate(
    calls: Annotated[float, typer.Option(help="Contacts per interval / 每时段来电量")],
    aht: Annotated[float, typer.Option(help="Average handle time, seconds / 平均处理时长")],
    agents: Annotated[int, typer.Option(help="Agents on duty / 在岗坐席")],
    patience: Annotated[float, typer.Option(help="Mean patience, seconds / 平均耐心")] = 300,
    interval: Annotated[int, typer.Option(help="Interval length, seconds / 时段长度")] = 1800,
    intervals: Annotated[int, typer.Option(help="Number of intervals / 时段数")] = 48,
    bot: Annotated[float, typer.Option(help="Bot containment 0-1 / 机器人解决率")] = 0.0,
    target_time: Annotated[float, typer.Option(help="Answer within, seconds")] = 20,
    replications: Annotated[int, typer.Option(help="Replications / 重复次数")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> None:
    """Simulate a queue and the standard what-ifs (bot +10 pts, 2 agents fewer in the last
    quarter of the day, volume +30 %) / 模拟与情景分析."""
    from kefu.wfm.scenarios import Scenario, compare_scenarios
    from kefu.wfm.simulate import AgentGroup, QueueSpec, SimConfig, SimModel

    model = SimModel(
        (QueueSpec("q", (calls,) * intervals, aht, patience, bot),),
        (AgentGroup("agents", frozenset({"q"}), (agents,) * intervals),),
        interval,
    )
    late = intervals * 3 // 4
    scenarios = [
        Scenario("bot +10 pts / 机器人+10%", bot_containment_delta=0.10),
        Scenario(f"-2 agents from #{late} / 减2人", staff_delta=-2, first_interval=late),
        Scenario("volume +30% / 话务+30%", volume_factor=1.3),
    ]
    config = SimConfig(target_time, replications=replications, seed=seed)
    typer.echo(f"{'scenario / 情景':34}{'SL':>7}{'ASA s':>8}{'aband.':>8}{'occ.':>7}  bottlenecks")
    for r in compare_scenarios(model, scenarios, config):
        t = r.result.total
        worst = ",".join(str(i) for i in r.result.bottlenecks) or "-"
        typer.echo(
            f"{r.scenario.name:34}{t.service_level:>7.3f}{t.asa_seconds:>8.1f}"
            f"{t.abandon_rate:>8.3f}{t.occupancy:>7.3f}  {worst}"
        )
