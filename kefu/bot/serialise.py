"""Index bytes for other processes: build once (worker), load everywhere (API processes).

Layout: `MAGIC`, the format version (2 bytes), the length of the embeddings section (8 bytes),
the embeddings of the phrasings (`EmbeddingCache.to_bytes()`: a numpy archive, readable
whatever the format version), and a pickle of the index without its dense vectors (they come
from the embeddings section on load). The index holds fitted scikit-learn and bm25s objects,
hence the pickle; a kefu whose format moved on cannot load it, but still reads the embeddings,
so rebuilding every tenant's index after an upgrade embeds nothing (formats before
`EMBEDDINGS_SINCE` had no such section). Only ever load bytes that kefu itself wrote to its own
storage (the knowledge-base version row): unpickling untrusted bytes runs code.
"""

from __future__ import annotations

import dataclasses
import pickle
import zipfile
from typing import TYPE_CHECKING

from kefu.bot.index import BotIndex

if TYPE_CHECKING:
    from kefu.bot.embed import EmbeddingCache

MAGIC = b"KEFUBOT"
# 2: word features; 3: MLP, sixth calibrator signal; 4: e5 ⊕ MiniLM; 5: unknown-intent calibration;
# 6: row labels and drift (incremental builds), the embeddings section
FORMAT_VERSION = 6
EMBEDDINGS_SINCE = 6
_VERSION_END = len(MAGIC) + 2
_SECTION_START = _VERSION_END + 8


class IndexFormatError(ValueError):
    """The bytes are not an index this version of kefu can read; rebuild it."""


def dump_index(index: BotIndex) -> bytes:
    """`index` as bytes."""
    from kefu.bot.embed import EmbeddingCache, text_key
    from kefu.bot.retrieval import DenseIndex

    cache = EmbeddingCache()
    bare = index
    if index.dense is not None:
        cache.add((text_key(t) for t in index.texts), index.dense.vectors)
        bare = dataclasses.replace(
            index, dense=DenseIndex(index.dense.vectors[:0], index.dense.groups)
        )
    section = cache.to_bytes()
    header = MAGIC + FORMAT_VERSION.to_bytes(2, "big") + len(section).to_bytes(8, "big")
    return header + section + pickle.dumps(bare, protocol=pickle.HIGHEST_PROTOCOL)


def load_index(data: bytes) -> BotIndex:
    """Inverse of `dump_index`; raises `IndexFormatError` on foreign or outdated bytes."""
    from kefu.bot.retrieval import DenseIndex

    version = _version(data)
    if version != FORMAT_VERSION:
        raise IndexFormatError(f"index format {version}, expected {FORMAT_VERSION}")
    end = _SECTION_START + int.from_bytes(data[_VERSION_END:_SECTION_START], "big")
    index = pickle.loads(data[end:])  # noqa: S301 -- bytes kefu wrote itself
    if not isinstance(index, BotIndex):
        raise IndexFormatError("the bytes do not hold a bot index")
    if index.dense is None:
        return index
    try:
        vectors = stored_embeddings(data).cached(index.texts)
    except KeyError as missing:
        raise IndexFormatError("the embeddings section lacks a phrasing") from missing
    return dataclasses.replace(index, dense=DenseIndex(vectors, index.dense.groups))


def stored_embeddings(data: bytes) -> EmbeddingCache:
    """The phrasing embeddings in index bytes of any format since `EMBEDDINGS_SINCE` (an empty
    cache for older or foreign bytes): what an upgraded kefu rebuilds the index from."""
    from kefu.bot.embed import EmbeddingCache

    try:
        version = _version(data)
    except IndexFormatError:
        return EmbeddingCache()
    if version < EMBEDDINGS_SINCE:
        return EmbeddingCache()
    end = _SECTION_START + int.from_bytes(data[_VERSION_END:_SECTION_START], "big")
    try:
        return EmbeddingCache.from_bytes(data[_SECTION_START:end])
    except (ValueError, OSError, EOFError, zipfile.BadZipFile):  # damaged: embed again
        return EmbeddingCache()


def _version(data: bytes) -> int:
    if not data.startswith(MAGIC) or len(data) < _SECTION_START:
        raise IndexFormatError("not a kefu bot index")
    return int.from_bytes(data[len(MAGIC) : _VERSION_END], "big")
