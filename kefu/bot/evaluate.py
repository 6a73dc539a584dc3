"""`kefu bot eval`: accuracy and latency of the engine (or a baseline) on labelled CSV files.

Files are CSV with header `text,label`; `oos` marks out-of-scope rows. Each training label
becomes one FAQ whose phrasings are its training texts; training `oos` rows become negatives.
Thresholds are picked on the validation file when one is given, never on the test file.

Scoring: when the test file has `oos` rows, a message counts as predicted `oos` unless the system
answered it, and accuracy is over all rows. Without `oos` rows the task is closed-set, and
accuracy is that of the top-1 candidate whatever the decision (clarify and fallback rates are
reported beside it).
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kefu.bot.types import DecisionKind, EngineSettings, FaqDoc

if TYPE_CHECKING:
    from kefu.bot.embed import EmbeddingCache

OOS = "oos"
ROUTED: tuple[DecisionKind, ...] = ("answer", "clarify", "fallback")
# Out-of-scope detection may cost at most this much in-scope accuracy on the validation file.
MAX_IN_SCOPE_LOSS = 0.01


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a system did with one message: its top label, confidence, decision and time."""

    top: str | None
    score: float
    kind: DecisionKind
    ms: float


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Answer and clarify thresholds on the system's confidence."""

    answer: float
    clarify: float


class System(Protocol):
    """Anything that can be asked one message at a time under given thresholds."""

    def ask(self, text: str, thresholds: Thresholds) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Metrics of one system on one test file."""

    system: str
    n: int
    accuracy: float
    in_scope_accuracy: float | None
    oos_recall: float | None
    clarify_rate: float
    fallback_rate: float
    handoff_rate: float
    p50_ms: float
    p95_ms: float
    build_s: float
    answer_threshold: float
    clarify_threshold: float


def read_examples(path: Path) -> tuple[Example, ...]:
    """Rows of a `text,label` CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"text", "label"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: expected a header with columns text,label")
        return tuple(Example(r["text"], r["label"]) for r in reader if r["text"].strip())


def faqs_from_examples(train: Sequence[Example]) -> tuple[list[FaqDoc], list[str]]:
    """One FAQ per in-scope label (its texts as phrasings) and the `oos` texts as negatives."""
    texts: dict[str, list[str]] = {}
    negatives: list[str] = []
    for example in train:
        if example.label == OOS:
            negatives.append(example.text)
        else:
            texts.setdefault(example.label, []).append(example.text)
    faqs = [
        FaqDoc(label, rows[0], tuple(rows[1:]), {"en": label, "zh": label})
        for label, rows in texts.items()
    ]
    return faqs, negatives


def route(score: float, thresholds: Thresholds) -> DecisionKind:
    """The decision a confidence leads to."""
    if score >= thresholds.answer:
        return "answer"
    return "clarify" if score >= thresholds.clarify else "fallback"


def predicted_label(outcome: Outcome, open_set: bool) -> str | None:
    """The label a decision stands for: answered FAQ, `oos`, or (closed set) the top-1."""
    if not open_set:
        return outcome.top
    return outcome.top if outcome.kind == "answer" else OOS


def ask_all(system: System, examples: Sequence[Example], th: Thresholds) -> list[Outcome]:
    """Ask each message in turn, as contacts would send them."""
    return [system.ask(e.text, th) for e in examples]


def pick_thresholds(
    examples: Sequence[Example], outcomes: Sequence[Outcome], default: Thresholds
) -> Thresholds:
    """The answer threshold with the best oos recall that costs at most `MAX_IN_SCOPE_LOSS`.

    In-scope accuracy is measured against answering everything (threshold 0); the clarify
    threshold is half the answer threshold. Without `oos` rows there is nothing to trade off,
    and `default` stands.
    """
    gold = [e.label for e in examples]
    if OOS not in gold:
        return default
    floor = _accuracies(gold, [_reroute(o, Thresholds(0.0, 0.0)) for o in outcomes])[1] or 0.0
    best_recall, best = -1.0, Thresholds(0.0, 0.0)
    for step in range(1, 100):
        candidate = Thresholds(step / 100, step / 200)
        _, in_scope, recall = _accuracies(gold, [_reroute(o, candidate) for o in outcomes])
        if (in_scope or 0.0) >= floor - MAX_IN_SCOPE_LOSS and (recall or 0.0) > best_recall:
            best_recall, best = recall or 0.0, candidate
    return best


def _reroute(outcome: Outcome, thresholds: Thresholds) -> Outcome:
    if outcome.kind not in ROUTED:
        return outcome
    kind = route(outcome.score, thresholds)
    return Outcome(outcome.top, outcome.score, kind, outcome.ms)


def _accuracies(
    gold: Sequence[str], outcomes: Sequence[Outcome]
) -> tuple[float, float | None, float | None]:
    open_set = OOS in gold
    predicted = [predicted_label(o, open_set) for o in outcomes]
    hits = [p == g for p, g in zip(predicted, gold, strict=True)]
    accuracy = sum(hits) / max(len(hits), 1)
    if not open_set:
        return accuracy, None, None
    inside = [h for h, g in zip(hits, gold, strict=True) if g != OOS]
    outside = [h for h, g in zip(hits, gold, strict=True) if g == OOS]
    return accuracy, sum(inside) / max(len(inside), 1), sum(outside) / max(len(outside), 1)


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0–100), nearest-rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def summarise(
    name: str,
    examples: Sequence[Example],
    outcomes: Sequence[Outcome],
    build_s: float,
    thresholds: Thresholds,
) -> EvalReport:
    """Metrics of `outcomes` against the gold labels of `examples`."""
    gold = [e.label for e in examples]
    accuracy, in_scope, oos_recall = _accuracies(gold, outcomes)
    n = max(len(outcomes), 1)
    times = [o.ms for o in outcomes]
    return EvalReport(
        system=name,
        n=len(outcomes),
        accuracy=accuracy,
        in_scope_accuracy=in_scope,
        oos_recall=oos_recall,
        clarify_rate=sum(o.kind == "clarify" for o in outcomes) / n,
        fallback_rate=sum(o.kind == "fallback" for o in outcomes) / n,
        handoff_rate=sum(o.kind == "handoff" for o in outcomes) / n,
        p50_ms=percentile(times, 50),
        p95_ms=percentile(times, 95),
        build_s=build_s,
        answer_threshold=thresholds.answer,
        clarify_threshold=thresholds.clarify,
    )


def evaluate(
    system_name: str,
    train: Sequence[Example],
    test: Sequence[Example],
    val: Sequence[Example] = (),
    cache: EmbeddingCache | None = None,
) -> EvalReport:
    """Build `system_name` ("engine", "tfidf" or "embedding") on `train` and score it."""
    from kefu.bot.baselines import build_system

    started = time.perf_counter()
    system = build_system(system_name, train, cache)
    build_s = time.perf_counter() - started
    defaults = EngineSettings()
    thresholds = Thresholds(defaults.answer_threshold, defaults.clarify_threshold)
    if val:
        thresholds = pick_thresholds(val, ask_all(system, val, thresholds), thresholds)
    outcomes = ask_all(system, test, thresholds)
    return summarise(system_name, test, outcomes, build_s, thresholds)
