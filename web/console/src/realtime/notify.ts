/** Sound and browser notification when a conversation is newly assigned to me (issue 4). */
import type { Conversation } from '../../../shared/types'

export interface AssignmentContext {
  meId: string | null
  previousAssigneeId: string | null | undefined
  openConversationId: string | null
  pageHidden: boolean
}

/** New to me, and not the conversation I am looking at (e.g. I just took it myself). */
export function shouldNotify(conv: Conversation, ctx: AssignmentContext): boolean {
  if (ctx.meId === null || conv.assignee_id !== ctx.meId || ctx.previousAssigneeId === ctx.meId) return false
  return ctx.pageHidden || conv.id !== ctx.openConversationId
}

/** Asks once, from a user gesture (sign-in), for permission to show notifications. */
export function requestNotificationPermission(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => undefined)
  }
}

let audio: AudioContext | null = null

/** A short two-tone chime synthesised with Web Audio (no sound file to ship). */
function chime(): void {
  try {
    audio ??= new AudioContext()
    const now = audio.currentTime
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, now + i * 0.15)
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.15 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.15 + 0.3)
      osc.connect(gain).connect(audio.destination)
      osc.start(now + i * 0.15)
      osc.stop(now + i * 0.15 + 0.3)
    }
  } catch {
    // audio unavailable or blocked until the first user gesture
  }
}

const MUTE_KEY = 'kefu.console.alertsMuted'

/** The agent's choice to silence assignment alerts (sound and notification), kept in this browser. */
export function alertsMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1'
  } catch {
    return false
  }
}

export function setAlertsMuted(muted: boolean): void {
  try {
    if (muted) localStorage.setItem(MUTE_KEY, '1')
    else localStorage.removeItem(MUTE_KEY)
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

export function announceAssignment(title: string, body: string, onClick: () => void): void {
  if (alertsMuted()) return
  chime()
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  const n = new Notification(title, { body, tag: 'kefu-assignment' })
  n.onclick = () => {
    window.focus()
    onClick()
    n.close()
  }
}
