"""Re-publishing after a few edits: the previous index, updated, instead of a full refit.

A full build of a 10,000-phrasing intent knowledge base refits the SVM, the network and the
calibrator's four cross-validation folds: 90 s with every embedding cached, most of it repeating
the last build. While the phrasings added and removed since the tenant's last full build stay
within `MAX_DRIFT` of the knowledge base, a build starts from the previous index instead:

- the text vectorisers (vocabulary and idf) and the calibrator are kept;
- the SVM is updated one class at a time, to the optimum a refit would reach: a one-vs-rest
  class keeps its weights when every added or removed phrasing lies outside its margin (squared
  hinge: such a row has neither loss nor gradient, so it cannot move the optimum); otherwise it
  is refit on its working set (its own phrasings and those inside or near its margin), grown
  until no phrasing outside the set violates the margin;
- the network trains `NETWORK_UPDATE_EPOCHS` more epochs from its weights (on the network
  thread, while the SVM updates); a new FAQ gets new output units.

Retrieval (BM25, dense) is rebuilt whole: it is cheap. A tenant's custom words or synonyms
changing, the classifier coming or going, or drift past the limit mean a full build.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kefu.bot.classifier import (
    MIN_ROWS_FOR_NETWORK,
    MLP_SEED,
    SVM_C,
    SVM_SEED,
    IntentClassifier,
    fit_network,
    network_thread,
    slim_network,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from kefu.bot.index import BotIndex, Phrasings
    from kefu.bot.tokenise import Tokeniser

# Rows added plus rows removed since the last full build, as a share of the knowledge base's
# phrasings, past which the next build is a full one (new words reach the vectorisers, the
# calibrator is refit).
MAX_DRIFT = 0.05
NETWORK_UPDATE_EPOCHS = 3
# A row counts as inside a class's margin below 1 + SLACK (the working set) and as violating it
# below 1 - TOLERANCE (liblinear stops at a tolerance: margins of its solution are not exact).
SLACK = 0.25
TOLERANCE = 1e-3
MAX_ROUNDS = 4  # working-set growths before a class is refit on every row


@dataclass(frozen=True, slots=True)
class Change:
    """How the phrasings differ from those of `previous`, the index they update."""

    previous: BotIndex
    added: tuple[int, ...]  # positions in the new phrasings
    removed: tuple[int, ...]  # positions in the previous index's phrasings
    drift: int  # rows changed since the last full build, these included


def plan_change(
    previous: BotIndex | None,
    phrasings: Phrasings,
    tokeniser: Tokeniser,
    use_embeddings: bool,
    wants_classifier: bool,
) -> Change | None:
    """The update from `previous` to `phrasings`, or None when a full build is due."""
    if previous is None or previous.tokeniser != tokeniser:
        return None
    if (previous.dense is not None) != use_embeddings:
        return None
    if (previous.classifier is not None) != wants_classifier:
        return None
    if (
        previous.classifier is not None
        and min(len(previous.classifier.labels), len(set(phrasings.labels))) < 3
    ):
        return None  # two classes: liblinear keeps one weight row, not one per class
    added, removed = _difference(previous.phrasings, phrasings)
    drift = previous.drift + len(added) + len(removed)
    if drift > MAX_DRIFT * len(phrasings.texts):
        return None
    return Change(previous, added, removed, drift)


def _difference(before: Phrasings, after: Phrasings) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Positions of the (text, label) rows only `after` has, and of those only `before` has."""
    old = list(zip(before.texts, before.labels, strict=True))
    new = list(zip(after.texts, after.labels, strict=True))
    old_rows, new_rows = set(old), set(new)
    added = tuple(i for i, row in enumerate(new) if row not in old_rows)
    removed = tuple(i for i, row in enumerate(old) if row not in new_rows)
    return added, removed


def update_classifier(
    change: Change,
    phrasings: Phrasings,
    tokens: Sequence[Sequence[str]],
    vectors: NDArray[np.float32] | None,
) -> IntentClassifier:
    """The previous classifier updated to `phrasings` (see the module docstring)."""
    import numpy as np

    old = change.previous.classifier
    assert old is not None
    features = old.features(phrasings.texts, tokens, vectors)
    labels = np.asarray(phrasings.labels)
    removed = _removed_rows(change, old)
    added = np.asarray(change.added, dtype=np.intp)
    network = None
    if vectors is not None and len(labels) >= MIN_ROWS_FOR_NETWORK:
        network = (
            network_thread().submit(fit_network, vectors, phrasings.labels)
            if old.network is None
            else network_thread().submit(_update_network, old.network, vectors, labels)
        )
    model = _update_svm(old.model, features, labels, added, removed)
    classes = tuple(str(c) for c in model.classes_)
    fitted = network.result() if network is not None else None
    return IntentClassifier(old.vectorizer, old.words, model, classes, old.uses_embeddings, fitted)


def _removed_rows(change: Change, old: IntentClassifier) -> tuple[Any, NDArray[Any]]:
    """The SVM features and labels of the phrasings that were removed."""
    import numpy as np

    previous = change.previous
    rows = list(change.removed)
    if not rows:
        from scipy.sparse import csr_matrix

        empty = csr_matrix((0, old.model.coef_.shape[1]), dtype=np.float32)
        return empty, np.asarray([], dtype=object)
    texts = [previous.phrasings.texts[i] for i in rows]
    labels = np.asarray([previous.phrasings.labels[i] for i in rows], dtype=object)
    vectors = previous.dense.vectors[rows] if previous.dense is not None else None
    tokens = [previous.tokeniser.tokens(t) for t in texts]
    return old.features(texts, tokens, vectors), labels


def _update_svm(
    model: Any, features: Any, labels: NDArray[Any], added: NDArray[np.intp], removed: Any
) -> Any:
    """A copy of the one-vs-rest `model` at the optimum over the new rows."""
    import numpy as np

    removed_features, removed_labels = removed
    added_features, added_labels = features[added], labels[added]
    classes = np.unique(labels)
    where = {str(c): i for i, c in enumerate(model.classes_)}
    coef = np.zeros((len(classes), features.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(classes), dtype=np.float64)
    for j, label in enumerate(classes):
        i = where.get(str(label))
        start = (model.coef_[i], float(model.intercept_[i])) if i is not None else None
        if start is not None and _unmoved(
            start,
            (added_features, added_labels == label),
            (removed_features, removed_labels == label),
        ):
            coef[j], intercept[j] = start
        else:
            coef[j], intercept[j] = _fit_class(features, labels == label, start)
    updated = copy.copy(model)
    updated.coef_, updated.intercept_, updated.classes_ = coef, intercept, classes
    return updated


def _margins(weights: tuple[Any, float], features: Any, positive: NDArray[np.bool_]) -> Any:
    """y · f(x) of each row under `weights` (y = +1 for the class, -1 for the rest)."""
    import numpy as np

    values = features @ np.asarray(weights[0], dtype=np.float64) + weights[1]
    return np.where(positive, values, -values)


def _unmoved(
    start: tuple[Any, float],
    added: tuple[Any, NDArray[np.bool_]],
    removed: tuple[Any, NDArray[np.bool_]],
) -> bool:
    """Whether every added and removed row (features, is-positive) lies outside the margin."""
    return all(
        rows.shape[0] == 0 or bool((_margins(start, rows, positive) >= 1 - TOLERANCE).all())
        for rows, positive in (added, removed)
    )


def _fit_class(
    features: Any, positive: NDArray[np.bool_], start: tuple[Any, float] | None
) -> tuple[Any, float]:
    """The class's binary SVM over every row, fit on a working set that holds its optimum."""
    import numpy as np

    if start is None:
        return _fit_rows(features, positive, np.arange(len(positive)))
    inside = (_margins(start, features, positive) < 1 + SLACK) | positive
    for _ in range(MAX_ROUNDS):
        rows = np.flatnonzero(inside)
        if positive[rows].all():
            break  # no negative in reach: refit on every row
        weights = _fit_rows(features, positive, rows)
        margins = _margins(weights, features, positive)
        violators = (margins < 1 - TOLERANCE) & ~inside
        if not violators.any():
            return weights
        inside |= violators | (margins < 1 + SLACK)
    return _fit_rows(features, positive, np.arange(len(positive)))


def _fit_rows(
    features: Any, positive: NDArray[np.bool_], rows: NDArray[np.intp]
) -> tuple[Any, float]:
    import numpy as np
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=SVM_C, random_state=SVM_SEED).fit(features[rows], positive[rows])
    return svm.coef_[0].astype(np.float32), float(svm.intercept_[0])


def _update_network(network: Any, vectors: NDArray[np.float32], labels: NDArray[Any]) -> Any:
    """`network` trained `NETWORK_UPDATE_EPOCHS` more epochs on the new rows."""
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    updated = copy.deepcopy(network)
    classes = np.unique(labels)
    if list(classes) != [str(c) for c in updated.classes_]:
        _relabel_outputs(updated, classes)
    updated.warm_start = True
    updated.max_iter = NETWORK_UPDATE_EPOCHS
    updated._no_improvement_count = 0  # else a converged fit stops at once
    updated.best_loss_ = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the epoch budget is deliberate
        updated.fit(vectors, list(labels))
    return slim_network(updated)


def _relabel_outputs(network: Any, classes: NDArray[Any]) -> None:
    """Output units follow `classes`: kept FAQs keep theirs, new ones start small and random."""
    import numpy as np
    from sklearn.preprocessing import LabelBinarizer

    old = {str(c): i for i, c in enumerate(network.classes_)}
    weights, biases = network.coefs_[-1], network.intercepts_[-1]
    hidden = weights.shape[0]
    bound = np.sqrt(6.0 / (hidden + len(classes)))  # sklearn's (Glorot) initialisation
    rng = np.random.default_rng(MLP_SEED)
    new_weights = rng.uniform(-bound, bound, (hidden, len(classes))).astype(weights.dtype)
    new_biases = np.zeros(len(classes), dtype=biases.dtype)
    for j, label in enumerate(classes):
        if (i := old.get(str(label))) is not None:
            new_weights[:, j], new_biases[j] = weights[:, i], biases[i]
    network.coefs_[-1], network.intercepts_[-1] = new_weights, new_biases
    network.classes_ = classes
    network._label_binarizer = LabelBinarizer().fit(classes)
    network.n_outputs_ = len(classes)
