// Contract tests against a running kefu server (not part of `npm test`):
//   KEFU_LIVE_URL=http://127.0.0.1:8000 KEFU_LIVE_WIDGET_KEY=... npm run test:live
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const env = process.env

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests-live/**/*.live.ts'],
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: env.KEFU_LIVE_URL ?? 'http://127.0.0.1:8000' } },
    provide: {
      liveUrl: env.KEFU_LIVE_URL ?? 'http://127.0.0.1:8000',
      widgetKey: env.KEFU_LIVE_WIDGET_KEY ?? '',
      agentEmail: env.KEFU_LIVE_AGENT ?? 'agent1@demo.kefu.dev',
      password: env.KEFU_LIVE_PASSWORD ?? 'kefu-demo',
    },
    testTimeout: 20_000,
  },
})
