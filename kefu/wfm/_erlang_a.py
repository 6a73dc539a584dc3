"""Erlang A (M/M/n+M) in log space.

State k = contacts in the system.  For k <= n the stationary weights are A^k / k!; above n,
each extra waiting contact multiplies by lambda / (n mu + j theta).  A contact that arrives
to find j contacts waiting ahead (all agents busy) is served with probability
n mu / (n mu + (j+1) theta), and, given that it is served, waits a sum of exponentials with
rates n mu + m theta, m = 1..j+1 (its own patience thins every stage by theta).  The service
level needs P(that wait <= T), which is computed for all j at once by uniformisation of the
pure-death chain on the number of remaining stages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ErlangAResult:
    p_wait: float
    p_abandon: float
    service_level: float
    asa: float
    mean_queue: float


def _log_weights(lam: float, mu: float, theta: float, n: int) -> tuple[FloatArray, FloatArray]:
    """Unnormalised log stationary weights of states 0..n-1 and of n+j, j = 0..J."""
    k = np.arange(n + 1, dtype=np.float64)
    lw_low = k * math.log(lam / mu) - np.array([math.lgamma(x + 1.0) for x in k])
    peak = max(0.0, (lam - n * mu) / theta)
    cap = int(peak + 40.0 * math.sqrt(lam / theta + 1.0) + 60.0)
    j = np.arange(1, cap + 1, dtype=np.float64)
    steps = np.log(lam / (n * mu + j * theta))
    lw_queue = np.concatenate(([lw_low[-1]], lw_low[-1] + np.cumsum(steps)))
    return lw_low[:-1], lw_queue


def _absorbed_by(w: FloatArray, n_mu: float, theta: float, t: float) -> float:
    """Mass absorbed by time t of a pure-death chain started with w (stages 1..M)."""
    if t <= 0.0:
        return 0.0
    m = np.arange(1, w.size + 1, dtype=np.float64)
    rates = n_mu + m * theta
    big = float(rates[-1])
    jump = rates / big
    lt = big * t
    steps = int(lt + 10.0 * math.sqrt(lt) + 25.0)
    v = w.copy()
    absorbed, total = 0.0, 0.0
    log_p = -lt
    for k in range(steps + 1):
        total += math.exp(log_p) * absorbed
        flow = v * jump
        absorbed += float(flow[0])
        v -= flow
        v[:-1] += flow[1:]
        log_p += math.log(lt) - math.log(k + 1.0)
    return total


def solve(
    arrival_rate: float,
    service_rate: float,
    abandon_rate: float,
    agents: int,
    target_seconds: float,
) -> ErlangAResult:
    lam, mu, theta, n = arrival_rate, service_rate, abandon_rate, agents
    if n == 0:
        return ErlangAResult(1.0, 1.0, 0.0, 0.0, lam / theta)
    lw_low, lw_queue = _log_weights(lam, mu, theta, n)
    top = max(float(lw_low.max(initial=-math.inf)), float(lw_queue.max()))
    p_low, p_q = np.exp(lw_low - top), np.exp(lw_queue - top)
    norm = float(p_low.sum() + p_q.sum())
    p_low, p_q = p_low / norm, p_q / norm
    stages = np.arange(1, p_q.size + 1, dtype=np.float64)
    served = n * mu / (n * mu + stages * theta)
    w = p_q * served
    mean_stage = np.cumsum(1.0 / (n * mu + stages * theta))
    p_wait = float(p_q.sum())
    p_ab = float((p_q * (1.0 - served)).sum())
    within = _absorbed_by(w, n * mu, theta, target_seconds)
    wait_served = float((w * mean_stage).sum())
    asa = wait_served / (1.0 - p_ab) if p_ab < 1.0 else math.inf
    mean_queue = float((p_q * (stages - 1.0)).sum())
    return ErlangAResult(p_wait, p_ab, float(p_low.sum()) + within, asa, mean_queue)
