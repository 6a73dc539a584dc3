/** Reconnect delays: exponential growth capped at `maxMs`, with "equal jitter" (half fixed, half random). */

export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 }

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry).
 * `random` is injectable so tests can pin it; it must return a number in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  const half = exp / 2
  return Math.round(half + random() * half)
}
