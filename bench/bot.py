"""Answer-engine benchmark: latency per query and build time on a synthetic FAQ catalogue, and
accuracy of the engine beside its two baselines on the public intent sets.

    OMP_NUM_THREADS=1 python bench/bot.py [--quick] [--json OUT] [--embedding-cache DIR]

--quick (< 90 s) uses a 300-FAQ catalogue, xsid_zh as the intent knowledge base and 100
xsid_zh test messages. The full run uses 5,000 FAQs (10,000 phrasings) and re-publishes after
50 edits; builds BANKING77's training file (77 FAQs, 10,003 phrasings) cold and re-publishes it
after 50 edits; and evaluates engine, tfidf and embedding on banking77, clinc150 (thresholds on
val), crosswoz_zh and xsid_zh (--sets, --systems, --skip-catalogue and --skip-intent-build
narrow it). --embedding-cache DIR keeps embeddings of training
texts between runs (<DIR>/<set>.cache); test queries are always embedded live, one at a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kefu.bot.baselines import EVAL_SETTINGS  # noqa: E402
from kefu.bot.embed import EmbeddingCache, embed_many, texts_embedded  # noqa: E402
from kefu.bot.engine import Engine, build_engine  # noqa: E402
from kefu.bot.evaluate import (  # noqa: E402
    EvalReport,
    evaluate,
    faqs_from_examples,
    percentile,
    read_examples,
)
from kefu.bot.types import EngineSettings, FaqDoc  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SETS = ("banking77", "clinc150", "crosswoz_zh", "xsid_zh")
PRODUCTS_EN = ("phone", "laptop", "tablet", "watch", "camera", "speaker", "router", "printer")
PRODUCTS_ZH = ("手机", "笔记本", "平板", "手表", "相机", "音箱", "路由器", "打印机")
ACTIONS = (
    ("reset", "重置"),
    ("return", "退货"),
    ("repair", "维修"),
    ("charge", "充电"),
    ("update", "升级"),
    ("register", "注册"),
    ("clean", "清洁"),
    ("insure", "投保"),
    ("unlock", "解锁"),
    ("pair", "配对"),
)


def synthetic_faqs(n: int) -> list[FaqDoc]:
    """`n` FAQs, each a (product model, action) pair asked in English and Chinese."""
    faqs = []
    per_model = len(PRODUCTS_EN) * len(ACTIONS)
    for i in range(n):
        model, rest = divmod(i, per_model)
        kind, action = divmod(rest, len(ACTIONS))
        en, zh = PRODUCTS_EN[kind], PRODUCTS_ZH[kind]
        verb_en, verb_zh = ACTIONS[action]
        name = f"k{model + 100}"
        faqs.append(
            FaqDoc(
                f"faq-{i}",
                f"How do I {verb_en} my {name} {en}?",
                (f"{name}{zh}怎么{verb_zh}",),
                {"en": f"Steps to {verb_en} the {name} {en}.", "zh": f"{name}{zh}{verb_zh}步骤。"},
            )
        )
    return faqs


def queries_for(faqs: list[FaqDoc], count: int) -> list[str]:
    """Paraphrased questions about FAQs spread over the catalogue, alternating languages."""
    step = max(1, len(faqs) // count)
    out = []
    for j, faq in enumerate(faqs[::step][:count]):
        zh = faq.similar[0]
        out.append(f"请问{zh}呢" if j % 2 else f"can you tell me how to {faq.question[9:-1]}")
    return out


def catalogue_bench(n_faqs: int, n_queries: int) -> dict[str, float]:
    """Cold build, 50-edit re-publish (warm cache) and latency per query on `n_faqs` FAQs."""
    faqs = synthetic_faqs(n_faqs)
    cache = EmbeddingCache()
    started = time.perf_counter()
    engine = build_engine(faqs, EngineSettings(), cache=cache)
    cold = time.perf_counter() - started
    edited = [
        dataclasses.replace(f, similar=(*f.similar, f"{f.question} (edited)")) if i < 50 else f
        for i, f in enumerate(faqs)
    ]
    started = time.perf_counter()
    build_engine(edited, EngineSettings(), cache=cache, previous=engine)
    republish = time.perf_counter() - started
    started = time.perf_counter()
    build_engine(edited, EngineSettings(), cache=cache)
    rebuild = time.perf_counter() - started
    return {
        "faqs": n_faqs,
        "phrasings": sum(len(f.phrasings()) for f in faqs),
        "build_cold_s": cold,
        "republish_50_edits_s": republish,
        "full_rebuild_cached_s": rebuild,
        **latency(engine, queries_for(faqs, n_queries), faqs),
    }


def intent_bench(name: str, edits: int) -> dict[str, float]:
    """An intent knowledge base (one FAQ per label of `name`'s training file): cold build, then
    a re-publish after `edits` edits (each adds to one FAQ a phrasing the first build did not
    have), and, as the baseline in the same run, the full rebuild with every embedding cached
    that each re-publish cost before incremental builds."""
    faqs, negatives = faqs_from_examples(read_examples(DATA / name / "train.csv"))
    held = {f.id for f in faqs[:edits] if f.similar}
    base = [dataclasses.replace(f, similar=f.similar[:-1]) if f.id in held else f for f in faqs]
    embed_many(["warm up the models", "先加载模型"])  # a running server has them loaded
    cache, embedded = EmbeddingCache(), texts_embedded()
    started = time.perf_counter()
    engine = build_engine(base, EVAL_SETTINGS, negatives, cache)
    cold, cold_embedded = time.perf_counter() - started, texts_embedded() - embedded
    embedded = texts_embedded()
    started = time.perf_counter()
    edited = build_engine(faqs, EVAL_SETTINGS, negatives, cache, previous=engine)
    republish, republish_embedded = time.perf_counter() - started, texts_embedded() - embedded
    started = time.perf_counter()
    build_engine(faqs, EVAL_SETTINGS, negatives, cache)
    rebuild = time.perf_counter() - started
    return {
        "faqs": len(faqs),
        "phrasings": len(edited.index.texts),
        "build_cold_s": cold,
        "cold_texts_embedded": cold_embedded,
        "republish_edits": len(held),
        "republish_s": republish,
        "republish_texts_embedded": republish_embedded,
        "republish_drift": edited.index.drift,
        "full_rebuild_cached_s": rebuild,
        "speedup": rebuild / republish,
    }


def latency(engine: Engine, queries: list[str], faqs: list[FaqDoc]) -> dict[str, float]:
    """p50/p95 per query (one at a time), per-stage p95 and the share answered correctly."""
    engine.warm_up()
    step = max(1, len(faqs) // len(queries))
    totals, stages, hits = [], dict[str, list[float]](), 0
    for j, text in enumerate(queries):
        started = time.perf_counter()
        decision = engine.answer(text)
        totals.append((time.perf_counter() - started) * 1000)
        hits += decision.faq_id == faqs[j * step].id
        for t in decision.timings:
            stages.setdefault(t.stage, []).append(t.ms)
    out = {"p50_ms": percentile(totals, 50), "p95_ms": percentile(totals, 95)}
    out |= {f"stage_{k}_p95_ms": percentile(v, 95) for k, v in stages.items()}
    out["top1_on_paraphrases"] = hits / len(queries)
    return out


def eval_set(name: str, system: str, cache_dir: Path | None, limit: int | None) -> EvalReport:
    folder = DATA / name
    train, test = read_examples(folder / "train.csv"), read_examples(folder / "test.csv")
    val = read_examples(folder / "val.csv") if (folder / "val.csv").exists() else ()
    if limit is not None:
        test = test[:: max(1, len(test) // limit)]
    path = cache_dir / f"{name}.cache" if cache_dir else None
    cache = EmbeddingCache()
    if path is not None and path.exists():
        cache = EmbeddingCache.from_bytes(path.read_bytes())
    report = evaluate(system, train, test, val, cache)
    if path is not None:
        path.write_bytes(cache.to_bytes())
    return report


def row(name: str, r: EvalReport) -> str:
    scope = "" if r.in_scope_accuracy is None else f"{r.in_scope_accuracy:.4f}"
    oos = "" if r.oos_recall is None else f"{r.oos_recall:.4f}"
    return (
        f"| {name} | {r.system} | {r.accuracy:.4f} | {scope} | {oos} | {r.clarify_rate:.3f} | "
        f"{r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.build_s:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--embedding-cache", type=Path)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--systems", default="engine,tfidf,embedding")
    parser.add_argument("--skip-catalogue", action="store_true")
    parser.add_argument("--skip-intent-build", action="store_true")
    args = parser.parse_args()
    if args.embedding_cache:
        args.embedding_cache.mkdir(parents=True, exist_ok=True)
    catalogue: dict[str, float] = {}
    if not args.skip_catalogue:
        catalogue = catalogue_bench(300 if args.quick else 5000, 60 if args.quick else 500)
        print("catalogue:", json.dumps({k: round(v, 3) for k, v in catalogue.items()}))
    intents: dict[str, float] = {}
    if not args.skip_intent_build:
        intents = intent_bench("xsid_zh", 10) if args.quick else intent_bench("banking77", 50)
        print("intent KB build:", json.dumps({k: round(v, 3) for k, v in intents.items()}))
    sets = ["xsid_zh"] if args.quick else args.sets.split(",")
    systems = ["engine"] if args.quick else args.systems.split(",")
    print(
        "| set | system | accuracy | in-scope | oos recall | clarify | p50 ms | p95 ms | build s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    results = []
    for name in sets:
        for system in systems:
            report = eval_set(name, system, args.embedding_cache, 100 if args.quick else None)
            results.append({"set": name, **dataclasses.asdict(report)})
            print(row(name, report), flush=True)
    if args.json:
        args.json.write_text(
            json.dumps({"catalogue": catalogue, "intent_build": intents, "eval": results}, indent=2)
        )


if __name__ == "__main__":
    main()
