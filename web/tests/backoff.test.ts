import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../shared/backoff'

const opts = { baseMs: 500, maxMs: 30_000 }

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the exponential step', () => {
    expect(backoffDelay(0, opts, () => 0)).toBe(250)
    expect(backoffDelay(0, opts, () => 0.999999)).toBe(500)
    expect(backoffDelay(1, opts, () => 0)).toBe(500)
    expect(backoffDelay(3, opts, () => 0)).toBe(2000)
    expect(backoffDelay(3, opts, () => 0.5)).toBe(3000)
  })

  it('is capped at maxMs', () => {
    expect(backoffDelay(6, opts, () => 0.999999)).toBe(30_000)
    expect(backoffDelay(50, opts, () => 0.999999)).toBe(30_000)
    expect(backoffDelay(1e9, opts, () => 0)).toBe(15_000)
  })

  it('spreads reconnects (jitter) and never goes negative', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, opts)))
    expect(delays.size).toBeGreaterThan(10)
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(4000)
    for (const d of delays) expect(d).toBeLessThanOrEqual(8000)
    expect(backoffDelay(-3, opts, () => 0)).toBe(250)
  })
})
