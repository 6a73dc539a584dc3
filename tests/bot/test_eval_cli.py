"""`kefu bot eval` on tiny CSV files written by the test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.bot.cli import app
from kefu.bot.evaluate import Example, Outcome, Thresholds, percentile, pick_thresholds

TRAIN = [
    ("怎么申请退款", "refund"),
    ("我想退款", "refund"),
    ("refund my order", "refund"),
    ("I want my money back", "refund"),
    ("多久能发货", "shipping"),
    ("什么时候发货", "shipping"),
    ("when will my order ship", "shipping"),
    ("how long does delivery take", "shipping"),
    ("怎么开发票", "invoice"),
    ("可以开发票吗", "invoice"),
    ("can I get an invoice", "invoice"),
    ("I need a VAT invoice", "invoice"),
    ("what's the weather tomorrow", "oos"),
    ("tell me a joke", "oos"),
]
TEST = [
    ("退款多久到账", "refund"),
    ("how do I get a refund", "refund"),
    ("下单后几天发货", "shipping"),
    ("when does my parcel ship", "shipping"),
    ("发票怎么申请", "invoice"),
    ("please send me an invoice", "invoice"),
    ("who won the football game", "oos"),
    ("红烧肉怎么做", "oos"),
]
LAST_LINE = re.compile(r"^eval: accuracy=(\d\.\d{4}) oos_recall=(\d\.\d{4}) p95_ms=(\d+\.\d)$")


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["text,label", *(f"{text},{label}" for text, label in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write_csv(tmp_path / "train.csv", TRAIN), write_csv(tmp_path / "test.csv", TEST)


def test_eval_reports_accuracy_and_latency(files: tuple[Path, Path], tmp_path: Path) -> None:
    train, test = files
    out = tmp_path / "report.json"
    args = ["eval", "--train", str(train), "--test", str(test), "--json", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    match = LAST_LINE.match(last)
    assert match, last
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["system"] == "engine"
    assert report["n"] == len(TEST)
    assert float(match.group(1)) == pytest.approx(report["accuracy"], abs=1e-4)
    assert report["accuracy"] >= 0.75
    assert report["in_scope_accuracy"] >= 0.8
    assert report["p95_ms"] >= report["p50_ms"] > 0
    assert "in-scope accuracy" in result.output and "clarify rate" in result.output


def test_eval_runs_the_tfidf_baseline_with_val_thresholds(files: tuple[Path, Path]) -> None:
    train, test = files
    args = ["eval", "--train", str(train), "--test", str(test), "--val", str(test)]
    result = CliRunner().invoke(app, [*args, "--baseline", "tfidf"])
    assert result.exit_code == 0, result.output
    assert "system:            tfidf" in result.output
    assert LAST_LINE.match(result.output.strip().splitlines()[-1])


def test_eval_refuses_an_unknown_baseline(files: tuple[Path, Path]) -> None:
    train, test = files
    args = ["eval", "--train", str(train), "--test", str(test), "--baseline", "bert"]
    assert CliRunner().invoke(app, args).exit_code != 0


def test_thresholds_are_picked_to_catch_oos_at_little_in_scope_cost() -> None:
    examples = [Example("", "a"), Example("", "b"), Example("", "oos"), Example("", "oos")]
    outcomes = [
        Outcome("a", 0.9, "answer", 1.0),
        Outcome("b", 0.7, "answer", 1.0),
        Outcome("a", 0.6, "answer", 1.0),
        Outcome("b", 0.2, "fallback", 1.0),
    ]
    picked = pick_thresholds(examples, outcomes, Thresholds(0.5, 0.25))
    assert 0.6 < picked.answer <= 0.7
    closed = [Example("", "a")]
    assert pick_thresholds(closed, outcomes[:1], Thresholds(0.5, 0.25)) == Thresholds(0.5, 0.25)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([], 95) == 0.0
