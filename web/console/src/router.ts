import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { client } from './api/client'
import { ADMIN_PAGES, adminPagesFor, roleAllows, rolesOf } from './admin/logic'
import { useSessionStore } from './stores/session'
import type { Role } from '../../shared/types'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: readonly Role[]
  }
}

const adminViews = {
  users: () => import('./views/admin/UsersView.vue'),
  teams: () => import('./views/admin/TeamsView.vue'),
  routing: () => import('./views/admin/RoutingSettingsView.vue'),
  hours: () => import('./views/admin/BusinessHoursView.vue'),
  widget: () => import('./views/admin/WidgetSettingsView.vue'),
  kb: () => import('./views/admin/KnowledgeView.vue'),
  'quick-replies': () => import('./views/admin/QuickRepliesView.vue'),
  bot: () => import('./views/admin/BotSettingsView.vue'),
  sla: () => import('./views/admin/SlaView.vue'),
  'ticket-fields': () => import('./views/admin/TicketFieldsView.vue'),
  'quality-rules': () => import('./views/admin/QualityRulesView.vue'),
  alerts: () => import('./views/admin/AlertRulesView.vue'),
  webhooks: () => import('./views/admin/WebhooksView.vue'),
}

const adminRoutes: RouteRecordRaw[] = ADMIN_PAGES.map((page) => ({
  path: page,
  name: `admin-${page}`,
  component: adminViews[page],
  meta: { roles: rolesOf(page) },
}))

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/WorkspaceView.vue'),
      children: [
        {
          path: '',
          component: () => import('./views/InboxLayout.vue'),
          children: [
            { path: '', name: 'inbox', component: () => import('./views/EmptyConversation.vue') },
            {
              path: 'conversations/:id',
              name: 'conversation',
              component: () => import('./views/ConversationView.vue'),
              props: true,
            },
          ],
        },
        {
          path: 'tickets/:id?',
          name: 'tickets',
          component: () => import('./views/tickets/TicketsView.vue'),
          props: true,
        },
        { path: 'quality', name: 'quality', component: () => import('./views/quality/QualityView.vue') },
        {
          path: 'reports',
          name: 'reports',
          component: () => import('./views/reports/ReportsView.vue'),
          meta: { roles: ['supervisor', 'admin'] },
        },
        {
          path: 'wfm',
          name: 'wfm',
          component: () => import('./views/wfm/WfmView.vue'),
          meta: { roles: ['supervisor', 'admin'] },
        },
        {
          path: 'monitor',
          name: 'monitor',
          component: () => import('./views/MonitorView.vue'),
          meta: { roles: ['supervisor', 'admin'] },
        },
        {
          path: 'admin',
          name: 'admin',
          component: () => import('./views/admin/AdminLayout.vue'),
          redirect: () => {
            const first = adminPagesFor(useSessionStore().me?.role)[0]
            return first ? { name: `admin-${first}` } : { name: 'inbox' }
          },
          children: adminRoutes,
        },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!to.meta.public && !client.signedIn) return { name: 'login', query: { next: to.fullPath } }
  if (to.name === 'login' && client.signedIn) return { name: 'inbox' }
  const roles = to.matched.flatMap((r) => r.meta.roles ?? [])
  if (roles.length === 0) return true
  const session = useSessionStore()
  if (!session.me) await session.loadMe().catch(() => undefined)
  return roleAllows(session.me?.role, to.meta.roles) ? true : { name: 'inbox' }
})
