"""Per-label signals for one query, shared by the engine and build-time cross-validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kefu.bot.calibrate import Calibrator, label_signals
from kefu.bot.classifier import NEGATIVE_LABEL
from kefu.bot.retrieval import Bm25Index, DenseIndex

RETRIEVAL_COSINE_WEIGHT = 4.0

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vector = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Full per-label score vectors, in classifier label order."""

    decision: Vector
    cosine: Vector
    bm25: Vector


def retrieval_scores(
    decision: Vector | None,
    tokens: Sequence[str],
    vector: NDArray[np.float32] | None,
    bm25: Bm25Index,
    dense: DenseIndex | None,
) -> LabelScores:
    """Add BM25 and dense scores to a row of classifier decision values.

    Without a classifier (`decision` None: a large KB), retrieval alone makes the decision.
    """
    import numpy as np

    lexical = bm25.label_scores(tokens)
    cosine = dense.label_scores(vector) if dense is not None and vector is not None else None
    if cosine is None:
        cosine = np.zeros(len(lexical), dtype=np.float64)
    if decision is None:
        decision = retrieval_decision(cosine, lexical)
    return LabelScores(decision, cosine, lexical)


def retrieval_decision(cosine: Vector, bm25: Vector) -> Vector:
    """A decision value from retrieval alone: dense cosine plus relative BM25."""
    import numpy as np

    top = float(bm25.max()) if len(bm25) else 0.0
    relative = bm25 / top if top > 0 else np.zeros(len(bm25))
    return np.asarray(RETRIEVAL_COSINE_WEIGHT * cosine + relative, dtype=np.float64)


def ranked_labels(scores: LabelScores, labels: Sequence[str], k: int) -> NDArray[np.intp]:
    """Positions of the `k` best FAQ labels by decision value (the negative class left out)."""
    import numpy as np

    decision = scores.decision.copy()
    for position, label in enumerate(labels):
        if label == NEGATIVE_LABEL:
            decision[position] = -np.inf
    order = np.argsort(-decision, kind="stable")[:k]
    return np.asarray([p for p in order if np.isfinite(decision[p])], dtype=np.intp)


def negative_position(labels: Sequence[str]) -> int | None:
    """Where the negative class is among `labels`, if there is one."""
    return labels.index(NEGATIVE_LABEL) if NEGATIVE_LABEL in labels else None


def confidences(
    scores: LabelScores, positions: NDArray[np.intp], calibrator: Calibrator, negative: int | None
) -> Vector:
    """Calibrated P(correct) for the labels at `positions` (`negative`: see `label_signals`)."""
    signals = label_signals(scores.decision, scores.cosine, scores.bm25, positions, negative)
    return calibrator.confidence(signals)
