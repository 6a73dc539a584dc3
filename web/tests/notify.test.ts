import { describe, expect, it, vi } from 'vitest'
import { shouldNotify, type AssignmentContext } from '../console/src/realtime/notify'
import { conversation } from './fixtures'

const ctx = (over: Partial<AssignmentContext> = {}): AssignmentContext => ({
  meId: 'me',
  previousAssigneeId: null,
  openConversationId: null,
  pageHidden: false,
  ...over,
})

describe('assignment notification', () => {
  const mine = conversation({ id: 'c1', assignee_id: 'me', status: 'assigned' })

  it('fires when a conversation becomes mine', () => {
    expect(shouldNotify(mine, ctx())).toBe(true)
    expect(shouldNotify(mine, ctx({ previousAssigneeId: 'other' }))).toBe(true)
  })

  it('stays quiet for others, repeats, and the conversation I am looking at', () => {
    expect(shouldNotify(conversation({ assignee_id: 'other' }), ctx())).toBe(false)
    expect(shouldNotify(mine, ctx({ previousAssigneeId: 'me' }))).toBe(false)
    expect(shouldNotify(mine, ctx({ openConversationId: 'c1' }))).toBe(false)
    expect(shouldNotify(mine, ctx({ meId: null }))).toBe(false)
  })

  it('fires for the open conversation when the tab is hidden', () => {
    expect(shouldNotify(mine, ctx({ openConversationId: 'c1', pageHidden: true }))).toBe(true)
  })
})

describe('alert mute', () => {
  it('is remembered in this browser', async () => {
    const { alertsMuted, setAlertsMuted } = await import('../console/src/realtime/notify')
    const store = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    })
    expect(alertsMuted()).toBe(false)
    setAlertsMuted(true)
    expect(alertsMuted()).toBe(true)
    setAlertsMuted(false)
    expect(alertsMuted()).toBe(false)
    vi.unstubAllGlobals()
  })
})
