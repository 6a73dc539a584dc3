"""Vectorised Erlang C staffing for many intervals at once (numpy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from kefu.wfm.erlang import ServiceTarget

FloatArray = NDArray[np.float64]
_EPS = 1e-12

Columns = tuple[
    tuple[int, ...],
    tuple[int, ...],
    tuple[float, ...],
    tuple[float, ...],
    tuple[float, ...],
    tuple[float, ...],
]


def _search(
    a_all: FloatArray, decay_all: FloatArray, target: ServiceTarget
) -> tuple[NDArray[np.int64], FloatArray]:
    """Smallest n per interval meeting SL and occupancy, and P(wait) there."""
    found = np.zeros(a_all.size, dtype=np.int64)
    p_wait = np.zeros_like(a_all)
    idx = np.flatnonzero(a_all > 0)
    a, decay = a_all[idx], decay_all[idx]
    floor_n = np.maximum(np.ceil(a / target.max_occupancy - _EPS), np.floor(a) + 1)
    b, k = np.ones_like(a), 0
    while idx.size:
        k += 1
        b = a * b / (k + a * b)
        cand = k >= floor_n
        if not cand.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            c = k * b / (k - a * (1.0 - b))
            ok = cand & (1.0 - c * np.exp(-(k - a) * decay) >= target.service_level - _EPS)
        if ok.any():
            found[idx[ok]], p_wait[idx[ok]] = k, c[ok]
            keep = ~ok
            idx, a, decay, floor_n, b = idx[keep], a[keep], decay[keep], floor_n[keep], b[keep]
    return found, p_wait


def erlang_c_table(
    calls: Sequence[float],
    interval_seconds: Sequence[float],
    aht_seconds: Sequence[float],
    target: ServiceTarget,
) -> Columns:
    aht = np.asarray(aht_seconds, dtype=np.float64)
    a = np.asarray(calls, dtype=np.float64) / np.asarray(interval_seconds, dtype=np.float64) * aht
    n, c = _search(a, target.target_seconds / aht, target)
    busy = n > 0
    safe_n = np.where(busy, n, 1)
    gap = np.where(busy, safe_n - a, 1.0)
    sl = np.where(busy, np.maximum(0.0, 1.0 - c * np.exp(-gap * target.target_seconds / aht)), 1.0)
    asa = np.where(busy, c * aht / gap, 0.0)
    occ = np.where(busy, a / safe_n, 0.0)
    scheduled = np.ceil(n / (1.0 - target.shrinkage) - 1e-9).astype(np.int64)
    return (
        tuple(n.tolist()),
        tuple(scheduled.tolist()),
        tuple(sl.tolist()),
        tuple(asa.tolist()),
        tuple(c.tolist()),
        tuple(occ.tolist()),
    )
