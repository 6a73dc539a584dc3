/** Who and what the ticket screens name: users, teams, custom fields (fetched once per page load). */
import { computed, ref } from 'vue'
import { adminApi, type Team, type User } from '../../api/admin'
import { ticketsApi, type TicketField } from '../../api/tickets'

const users = ref<User[]>([])
const teams = ref<Team[]>([])
const fields = ref<TicketField[]>([])
let loading: Promise<void> | null = null

async function load(): Promise<void> {
  const [u, t, f] = await Promise.all([adminApi.users(), adminApi.teams(), ticketsApi.fields()])
  users.value = u
  teams.value = t
  fields.value = f
}

export function useDirectory() {
  loading ??= load().catch((err: unknown) => {
    loading = null
    throw err
  })
  const userName = computed(() => new Map(users.value.map((u) => [u.id, u.name])))
  const teamName = computed(() => new Map(teams.value.map((x) => [x.id, x.name])))
  return {
    ready: loading,
    users,
    teams,
    fields,
    activeUsers: computed(() => users.value.filter((u) => u.active)),
    userName: (id: string | null | undefined): string => (id ? (userName.value.get(id) ?? id.slice(0, 8)) : ''),
    teamName: (id: string | null | undefined): string => (id ? (teamName.value.get(id) ?? id.slice(0, 8)) : ''),
    reloadFields: async () => {
      fields.value = await ticketsApi.fields()
    },
  }
}
