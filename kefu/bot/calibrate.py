"""Turns raw per-label signals into one confidence: the probability that a label is right.

Signals per label: the classifier's decision value, its margin over the best other label
(including the negative class), the best dense cosine, the relative BM25 score, the cosine
margin over the best other label (negatives included) and the negative class's own decision
value (0 without negatives). A logistic
regression maps them to P(correct), fit at build time on out-of-fold predictions over the
tenant's own phrasings (negatives count as "never correct"). With too little data to
cross-validate, fixed coefficients fit on the public sets are used instead.

Negatives are few in a knowledge base (CLINC150: 100 of 15,100 phrasings) but off-topic messages
are common in real traffic, so the fit weights them up until they carry `OFF_TOPIC_SHARE` of the
total weight: the calibrator then learns to reject what they look like instead of treating them
as noise (docs/bot.md, "negatives weighted").

Most messages a bot must not answer are not look-alikes of a tenant's few negatives but
questions about something the knowledge base does not cover. Cross-validation with whole FAQs
left out makes such messages from the tenant's own phrasings ("unknown intents": their right
answer is not in the index); they carry `UNKNOWN_INTENT_SHARE` of the fit (docs/bot.md, fourth
round).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vector = NDArray[np.float64]
    Matrix = NDArray[np.float64]

N_SIGNALS = 6
# Fit out-of-fold on a small bilingual shop knowledge base (tests/bot/conftest.py, 6 FAQs x 7
# phrasings); used when a knowledge base is too small to cross-validate.
DEFAULT_WEIGHTS = (1.5, 1.6, 0.2, 0.05, 0.0, 0.0)
DEFAULT_BIAS = -0.4
# The share of the calibrator's training weight that negatives get, at least (never weighted
# down): about one message in five off-topic. Chosen on CLINC150's val file (docs/bot.md).
OFF_TOPIC_SHARE = 0.2
# The share of the fit that unknown-intent rows get (weighted up or down to it): picked on
# CLINC150's val file, where 0.1-0.5 all beat none (docs/bot.md, fourth round).
UNKNOWN_INTENT_SHARE = 0.2


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
    decision: Vector, cosine: Vector, bm25: Vector, labels: NDArray[np.intp], negative: int | None
) -> Matrix:
    """Signals (rows) for the labels at positions `labels`, given full per-label score vectors.

    `negative` is the position of the negative class, if the knowledge base has one.
    """
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
            np.full(len(labels), decision[negative] if negative is not None else 0.0),
        ]
    )


def fit_calibrator(
    signals: Matrix,
    correct: NDArray[np.bool_],
    negative: NDArray[np.bool_],
    unknown: NDArray[np.bool_] | None = None,
) -> Calibrator:
    """Fit on top-1 signals from out-of-fold predictions and whether each top-1 was right.

    `negative` marks the rows asked with a negative (off-topic) phrasing, `unknown` those asked
    with their FAQ left out of the fold's index.
    """
    from sklearn.linear_model import LogisticRegression

    if correct.all() or not correct.any():
        return default_calibrator()
    model = LogisticRegression(C=1.0, max_iter=500)
    model.fit(signals, correct, sample_weight=row_weights(negative, unknown))
    weights = tuple(float(w) for w in model.coef_[0])
    return Calibrator(weights, float(model.intercept_[0]))


def row_weights(negative: NDArray[np.bool_], unknown: NDArray[np.bool_] | None) -> Vector:
    """`negative_weights`, with unknown-intent rows carrying `UNKNOWN_INTENT_SHARE` of the fit."""
    import numpy as np

    if unknown is None or not unknown.any():
        return negative_weights(negative)
    weights = np.ones(len(negative))
    known = ~unknown
    weights[known] = negative_weights(negative[known])
    n_unknown = int(unknown.sum())
    share = UNKNOWN_INTENT_SHARE
    weights[unknown] = share / (1.0 - share) * float(weights[known].sum()) / n_unknown
    return weights


def negative_weights(negative: NDArray[np.bool_]) -> Vector:
    """Row weights giving negatives at least `OFF_TOPIC_SHARE` of the total (others weigh 1)."""
    import numpy as np

    n_negative = int(negative.sum())
    n_other = len(negative) - n_negative
    weight = 1.0
    if n_negative and n_other:
        weight = max(1.0, OFF_TOPIC_SHARE / (1.0 - OFF_TOPIC_SHARE) * n_other / n_negative)
    return np.where(negative, weight, 1.0)
