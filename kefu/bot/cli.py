"""`kefu bot …` commands; the foundation mounts `app` under the `kefu` command."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer

from kefu.bot.embed import EmbeddingCache
from kefu.bot.evaluate import EvalReport

app = typer.Typer(help="Answer engine tools.", no_args_is_help=True)


@app.callback()
def bot() -> None:
    """Answer engine tools."""


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _print_report(report: EvalReport) -> None:
    typer.echo(f"system:            {report.system}")
    typer.echo(f"test messages:     {report.n}")
    typer.echo(f"build time:        {report.build_s:.1f} s")
    typer.echo(f"thresholds:        answer={report.answer_threshold:.2f}")
    typer.echo(f"                   clarify={report.clarify_threshold:.3f}")
    typer.echo(f"accuracy (top-1):  {_fmt(report.accuracy)}")
    if report.oos_recall is not None:
        typer.echo(f"in-scope accuracy: {_fmt(report.in_scope_accuracy)}")
        typer.echo(f"oos recall:        {_fmt(report.oos_recall)}")
    typer.echo(f"clarify rate:      {_fmt(report.clarify_rate)}")
    typer.echo(f"fallback rate:     {_fmt(report.fallback_rate)}")
    typer.echo(f"handoff rate:      {_fmt(report.handoff_rate)}")
    typer.echo(f"latency per query: p50={report.p50_ms:.1f} ms p95={report.p95_ms:.1f} ms")
    oos = report.oos_recall if report.oos_recall is not None else 0.0
    typer.echo(
        f"eval: accuracy={report.accuracy:.4f} oos_recall={oos:.4f} p95_ms={report.p95_ms:.1f}"
    )


@app.command("eval")
def eval_command(
    train: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="text,label CSV")],
    test: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="text,label CSV")],
    val: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="picks the thresholds")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the report here")] = None,
    baseline: Annotated[
        str | None, typer.Option(help="evaluate a baseline instead: tfidf | embedding")
    ] = None,
    embedding_cache: Annotated[
        Path | None, typer.Option(help="reuse (and update) embeddings of training texts")
    ] = None,
) -> None:
    """Build a knowledge base from TRAIN, ask every TEST message, report accuracy and latency."""
    from kefu.bot.evaluate import evaluate, read_examples

    if baseline not in (None, "tfidf", "embedding"):
        raise typer.BadParameter("choose tfidf or embedding", param_hint="--baseline")
    cache = _load_cache(embedding_cache)
    report = evaluate(
        baseline or "engine",
        read_examples(train),
        read_examples(test),
        read_examples(val) if val else (),
        cache,
    )
    if embedding_cache is not None and cache is not None:
        embedding_cache.write_bytes(cache.to_bytes())
    if json_out is not None:
        json_out.write_text(json.dumps(dataclasses.asdict(report), indent=2), encoding="utf-8")
    _print_report(report)


def _load_cache(path: Path | None) -> EmbeddingCache | None:
    from kefu.bot.embed import EmbeddingCache

    if path is None:
        return None
    return EmbeddingCache.from_bytes(path.read_bytes()) if path.exists() else EmbeddingCache()
