import { createRouter, createWebHistory } from 'vue-router'
import { client } from './api/client'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/WorkspaceView.vue'),
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
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.beforeEach((to) => {
  if (!to.meta.public && !client.signedIn) return { name: 'login', query: { next: to.fullPath } }
  if (to.name === 'login' && client.signedIn) return { name: 'inbox' }
  return true
})
