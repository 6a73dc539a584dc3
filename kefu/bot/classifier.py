"""The intent classifier fit on the tenant's labelled phrasings at build (publish) time.

Features are character n-gram TF-IDF (1–4, word-bounded: robust to typos and to Chinese without
segmentation errors), word and word-pair TF-IDF over the engine's tokens (jieba for Chinese,
with the tenant's custom words and synonyms: what a bag of characters misses is which words
follow each other) and the sentence embedding scaled by `EMBEDDING_WEIGHT`; a linear SVM
(liblinear, one-vs-rest) separates the FAQs. Word features added 0.5 point on BANKING77 held-out
training rows (docs/bot.md). On the public sets this beat logistic
regression on either feature set alone, and on both together it fits 5–20× faster, which keeps
publishing within budget. Rows from `negatives` (what the bot must not answer) form one extra
class, `NEGATIVE_LABEL`.

Beside the SVM, a small neural network (one hidden layer) over the embedding alone adds
`MLP_WEIGHT` × its log-probability to each decision value: a non-linear view of the embedding
that a linear model over the same features cannot take (docs/bot.md, "MLP ensemble"). It needs
data: a knowledge base under `MIN_ROWS_FOR_NETWORK` phrasings goes without it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

NEGATIVE_LABEL = "\u0000negative"
EMBEDDING_WEIGHT = 4.0
SVM_C = 0.5
# liblinear visits rows in a random order: a fixed seed makes publishing the same knowledge base
# twice give the same index (and the same answers on borderline messages)
SVM_SEED = 20261127
MLP_WEIGHT = 0.2
MLP_HIDDEN = 512
MLP_EPOCHS = 30  # Adam epochs; more fit longer without gaining on held-out data
# ... but at least this many Adam steps (batches of 200): a knowledge base of 2,000 phrasings
# gets 10 steps an epoch, and crosswoz_zh's 5-fold CV gained 0.25 point from 1,000 steps over 30
# epochs (the larger sets already take more than 1,000 steps in 30 epochs; docs/bot.md)
MLP_MIN_STEPS = 1000
_MLP_BATCH = 200
MLP_SEED = 20261127
# Below this many phrasings the network is left out: on xsid_zh (300 phrasings, 15 FAQs) it
# cost 2 points in 5-fold cross-validation of the training file, where crosswoz_zh (2,800) and
# the larger sets gained (docs/bot.md).
MIN_ROWS_FOR_NETWORK = 1000
_LOG_FLOOR = 1e-9


@dataclass(frozen=True, slots=True)
class IntentClassifier:
    """A fitted classifier; `labels[i]` is the FAQ id of score column i."""

    vectorizer: Any  # sklearn TfidfVectorizer over characters (untyped library)
    words: Any  # sklearn TfidfVectorizer over `word_grams` of the tokens
    model: Any  # sklearn LinearSVC
    labels: tuple[str, ...]
    uses_embeddings: bool
    network: Any = None  # sklearn MLPClassifier over the embeddings, same label order, or None

    def scores(
        self,
        texts: Sequence[str],
        tokens: Sequence[Sequence[str]],
        vectors: NDArray[np.float32] | None,
    ) -> NDArray[Any]:
        """Decision values, one row per text and one column per label."""
        import numpy as np

        features = self.features(texts, tokens, vectors)
        values = np.asarray(self.model.decision_function(features), dtype=np.float64)
        if values.ndim == 1:  # two classes: liblinear returns one column
            values = np.stack([-values, values], axis=1)
        if self.network is not None and vectors is not None:
            probabilities = self.network.predict_proba(vectors)
            values = values + MLP_WEIGHT * np.log(probabilities + _LOG_FLOOR)
        return values

    def features(
        self,
        texts: Sequence[str],
        tokens: Sequence[Sequence[str]],
        vectors: NDArray[np.float32] | None,
    ) -> Any:
        """The SVM's sparse feature rows (scipy CSR) of `texts`."""
        lexical = (self.vectorizer.transform(texts), self.words.transform(tokens))
        return _features(lexical, vectors, self.uses_embeddings)


def word_grams(tokens: Sequence[str]) -> list[str]:
    """The tokens and each pair of neighbouring tokens (a placeholder for a text without any)."""
    return [*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))] or ["\u0000"]


def _features(
    lexical: tuple[Any, Any], vectors: NDArray[np.float32] | None, use_vectors: bool
) -> Any:
    from scipy.sparse import csr_matrix, hstack

    parts = list(lexical)
    if use_vectors and vectors is not None:
        parts.append(csr_matrix(vectors * EMBEDDING_WEIGHT))
    return hstack(parts, format="csr")


def fit_classifier(
    texts: Sequence[str],
    tokens: Sequence[Sequence[str]],
    labels: Sequence[str],
    vectors: NDArray[np.float32] | None,
) -> IntentClassifier:
    """Fit on normalised `texts` and their `tokens`; `vectors` are their embeddings, or None."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, dtype=_float32()
    )
    words = TfidfVectorizer(analyzer=word_grams, sublinear_tf=True, dtype=_float32())
    lexical = (vectorizer.fit_transform(texts), words.fit_transform(tokens))
    features = _features(lexical, vectors, vectors is not None)
    if len(set(labels)) < 2:
        raise ValueError("the classifier needs at least two distinct labels")
    network = None
    if vectors is not None and len(texts) >= MIN_ROWS_FOR_NETWORK:
        # on the other core meanwhile: the SVM is single-threaded C, the network mostly BLAS
        network = network_thread().submit(fit_network, vectors, labels)
    model = LinearSVC(C=SVM_C, random_state=SVM_SEED).fit(features, list(labels))
    model.coef_ = model.coef_.astype(_float32())  # halves the index; scores barely move
    classes = tuple(str(c) for c in model.classes_)
    fitted = network.result() if network is not None else None
    return IntentClassifier(vectorizer, words, model, classes, vectors is not None, fitted)


@lru_cache(maxsize=1)
def network_thread() -> ThreadPoolExecutor:
    """Networks fit here while the SVM fits on the build thread (one of each at a time: the
    SVM's random generator is global to liblinear, so two at once would not be reproducible)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-bot-network")


def fit_network(vectors: NDArray[np.float32], labels: Sequence[str]) -> Any:
    """One hidden layer over the embeddings; a fixed seed and epoch budget keep builds stable."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    batch = min(_MLP_BATCH, len(labels))
    steps_per_epoch = math.ceil(len(labels) / batch)
    network = MLPClassifier(
        hidden_layer_sizes=(MLP_HIDDEN,),
        alpha=1e-3,
        batch_size=batch,
        max_iter=max(MLP_EPOCHS, math.ceil(MLP_MIN_STEPS / steps_per_epoch)),
        random_state=MLP_SEED,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the epoch budget is deliberate
        network.fit(vectors, list(labels))
    return slim_network(network)


def slim_network(network: Any) -> Any:
    """`network` as the index keeps it: float32 weights, and without the optimiser's state and
    the copy of the weights kept for early stopping (a fifth of the index bytes; a later
    `fit` makes both anew)."""
    network.coefs_ = [w.astype(_float32()) for w in network.coefs_]
    for name in ("_optimizer", "_best_coefs", "_best_intercepts"):
        if hasattr(network, name):
            delattr(network, name)
    return network


def _float32() -> Any:
    import numpy as np

    return np.float32
