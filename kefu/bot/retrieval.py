"""Candidate retrieval over phrasings: BM25 on tokens (bm25s) and dense cosine (embeddings).

Both score every phrasing, then keep the best phrasing per label (FAQ), so that the standard
question and each similar question count as equal ways in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vector = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class LabelGroups:
    """Phrasings sorted by label; `starts` are where the rows of each label in `present` begin."""

    order: NDArray[np.intp]
    starts: NDArray[np.intp]
    present: NDArray[np.bool_]
    n_labels: int

    def best_per_label(self, phrasing_scores: NDArray[Any]) -> Vector:
        """The maximum score of each label's phrasings (labels without phrasings get 0)."""
        import numpy as np

        out = np.zeros(self.n_labels, dtype=np.float64)
        if len(self.order) == 0:
            return out
        out[self.present] = np.maximum.reduceat(phrasing_scores[self.order], self.starts)
        return out


def group_by_label(label_index: Sequence[int], n_labels: int) -> LabelGroups:
    """Groups for phrasings whose label positions are `label_index`."""
    import numpy as np

    index = np.asarray(label_index, dtype=np.intp)
    order = np.argsort(index, kind="stable")
    counts = np.bincount(index, minlength=n_labels)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    present = counts > 0
    return LabelGroups(order, starts[present].astype(np.intp), present, n_labels)


@dataclass(frozen=True, slots=True)
class Bm25Index:
    """bm25s over the tokenised phrasings."""

    retriever: Any  # bm25s.BM25 (untyped library)
    groups: LabelGroups

    def label_scores(self, tokens: Sequence[str]) -> Vector:
        """Best BM25 score per label for a tokenised query."""
        import numpy as np

        known = [t for t in tokens if t in self.retriever.vocab_dict]
        if not known:
            return np.zeros(self.groups.n_labels, dtype=np.float64)
        return self.groups.best_per_label(np.asarray(self.retriever.get_scores(known)))


def build_bm25(tokens: Sequence[Sequence[str]], groups: LabelGroups) -> Bm25Index:
    """Index tokenised phrasings (an empty phrasing gets a placeholder token)."""
    import bm25s  # lazy

    retriever = bm25s.BM25()
    retriever.index([list(t) or ["\u0000"] for t in tokens], show_progress=False)
    return Bm25Index(retriever, groups)


@dataclass(frozen=True, slots=True)
class DenseIndex:
    """L2-normalised phrasing embeddings; cosine is a dot product."""

    vectors: NDArray[np.float32]
    groups: LabelGroups

    def label_scores(self, query: NDArray[np.float32]) -> Vector:
        """Best cosine similarity per label for an embedded query."""
        return self.groups.best_per_label(self.vectors @ query)
