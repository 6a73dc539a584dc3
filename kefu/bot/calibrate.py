"""Turns raw per-label signals into one confidence: the probability that a label is right.

Signals per label: the classifier's decision value, its margin over the best other label
(including the negative class), the best dense cosine, the relative BM25 score and the cosine
margin over the best other label (negatives included). A logistic
regression maps them to P(correct), fit at build time on out-of-fold predictions over the
tenant's own phrasings (negatives count as "never correct"). With too little data to
cross-validate, fixed coefficients fit on the public sets are used instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vector = NDArray[np.float64]
    Matrix = NDArray[np.float64]

N_SIGNALS = 5
# Fit out-of-fold on a small bilingual shop knowledge base (tests/bot/conftest.py, 6 FAQs x 7
# phrasings); used when a knowledge base is too small to cross-validate.
DEFAULT_WEIGHTS = (1.5, 1.6, 0.2, 0.05, 0.0)
DEFAULT_BIAS = -0.4


@dataclass(frozen=True, slots=True)
class Calibrator:
    """A logistic map from the signals of one label to P(that label is right)."""

    weights: tuple[float, ...]
    bias: float

    def confidence(self, signals: Matrix) -> Vector:
        """P(correct) for each row of `signals` (shape n × N_SIGNALS)."""
        import numpy as np

        logits = signals @ np.asarray(self.weights) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0))), dtype=np.float64)


def default_calibrator() -> Calibrator:
    """The fixed calibrator for small knowledge bases."""
    return Calibrator(DEFAULT_WEIGHTS, DEFAULT_BIAS)


def label_signals(
    decision: Vector, cosine: Vector, bm25: Vector, labels: NDArray[np.intp]
) -> Matrix:
    """Signals (rows) for the labels at positions `labels`, given full per-label score vectors."""
    import numpy as np

    order = np.argsort(-decision)
    best, runner_up = decision[order[0]], decision[order[1]] if len(order) > 1 else 0.0
    others_best = np.where(labels == order[0], runner_up, best)
    top_bm25 = float(bm25.max()) if len(bm25) else 0.0
    relative_bm25 = bm25[labels] / top_bm25 if top_bm25 > 0 else np.zeros(len(labels))
    by_cosine = np.argsort(-cosine)
    first, second = cosine[by_cosine[0]], cosine[by_cosine[1]] if len(by_cosine) > 1 else 0.0
    cosine_others = np.where(labels == by_cosine[0], second, first)
    return np.column_stack(
        [
            decision[labels],
            decision[labels] - others_best,
            cosine[labels],
            relative_bm25,
            cosine[labels] - cosine_others,
        ]
    )


def fit_calibrator(signals: Matrix, correct: NDArray[np.bool_]) -> Calibrator:
    """Fit on top-1 signals from out-of-fold predictions and whether each top-1 was right."""
    from sklearn.linear_model import LogisticRegression

    if correct.all() or not correct.any():
        return default_calibrator()
    model = LogisticRegression(C=1.0, max_iter=500).fit(signals, correct)
    weights = tuple(float(w) for w in model.coef_[0])
    return Calibrator(weights, float(model.intercept_[0]))
