"""Index bytes for other processes: build once (worker), load everywhere (API processes).

The index holds fitted scikit-learn and bm25s objects, so the format is a pickle behind a magic
header and a format version. Only ever load bytes that kefu itself wrote to its own storage
(the knowledge-base version row or the shared index store): unpickling untrusted bytes runs code.
"""

from __future__ import annotations

import pickle

from kefu.bot.index import BotIndex

MAGIC = b"KEFUBOT"
# 2: word features; 3: MLP, sixth calibrator signal; 4: e5 ⊕ MiniLM; 5: unknown-intent calibration;
# 6: row labels and drift, for incremental builds
FORMAT_VERSION = 6


class IndexFormatError(ValueError):
    """The bytes are not an index this version of kefu can read; rebuild it."""


def dump_index(index: BotIndex) -> bytes:
    """`index` as bytes."""
    header = MAGIC + FORMAT_VERSION.to_bytes(2, "big")
    return header + pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)


def load_index(data: bytes) -> BotIndex:
    """Inverse of `dump_index`; raises `IndexFormatError` on foreign or outdated bytes."""
    if not data.startswith(MAGIC):
        raise IndexFormatError("not a kefu bot index")
    version = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 2], "big")
    if version != FORMAT_VERSION:
        raise IndexFormatError(f"index format {version}, expected {FORMAT_VERSION}")
    index = pickle.loads(data[len(MAGIC) + 2 :])  # noqa: S301 -- bytes kefu wrote itself
    if not isinstance(index, BotIndex):
        raise IndexFormatError("the bytes do not hold a bot index")
    return index
