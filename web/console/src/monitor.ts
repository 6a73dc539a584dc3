/** The supervisor monitor's figures, computed from conversation lists (pure, unit-tested). */
import type { Conversation } from '../../shared/types'

export interface QueueRow {
  teamId: string | null
  waiting: number
  longestWaitSeconds: number
}

/** Seconds a queued conversation has waited: since `queued_at`, else since it was created. */
export function waitedSeconds(conv: Conversation, now: number): number {
  const since = Date.parse(conv.queued_at ?? conv.created_at)
  return Number.isNaN(since) ? 0 : Math.max(0, (now - since) / 1000)
}

/** Waiting count and longest wait per team (conversations without a team form one queue), longest first. */
export function queueStats(queued: readonly Conversation[], now: number): QueueRow[] {
  const rows = new Map<string | null, QueueRow>()
  for (const conv of queued) {
    if (conv.status !== 'queued') continue
    const row = rows.get(conv.team_id) ?? { teamId: conv.team_id, waiting: 0, longestWaitSeconds: 0 }
    row.waiting += 1
    row.longestWaitSeconds = Math.max(row.longestWaitSeconds, waitedSeconds(conv, now))
    rows.set(conv.team_id, row)
  }
  return [...rows.values()].sort((a, b) => b.longestWaitSeconds - a.longestWaitSeconds)
}

export interface AgentInfo {
  id: string
  name: string
  role: string
  max_concurrent: number
  active?: boolean
}

export interface AgentRow extends AgentInfo {
  load: number
  /** load / capacity, 0..1+ */
  utilisation: number
  presence: string | null
}

/** Open (assigned) conversations per agent, busiest first; inactive users are left out. */
export function agentLoad(
  users: readonly AgentInfo[],
  assigned: readonly Conversation[],
  presence: ReadonlyMap<string, string> = new Map(),
): AgentRow[] {
  const counts = new Map<string, number>()
  for (const conv of assigned) {
    if (conv.status === 'assigned' && conv.assignee_id) counts.set(conv.assignee_id, (counts.get(conv.assignee_id) ?? 0) + 1)
  }
  return users
    .filter((u) => u.active !== false)
    .map((u) => {
      const load = counts.get(u.id) ?? 0
      return { ...u, load, utilisation: u.max_concurrent > 0 ? load / u.max_concurrent : 0, presence: presence.get(u.id) ?? null }
    })
    .sort((a, b) => b.utilisation - a.utilisation || a.name.localeCompare(b.name))
}
