// @vitest-environment happy-dom
import { createPinia } from 'pinia'
import { createApp, type Component } from 'vue'
import { describe, expect, it } from 'vitest'
import ConversationHeader from '../console/src/components/ConversationHeader.vue'
import MessageItem from '../console/src/components/MessageItem.vue'
import { i18n } from '../console/src/i18n'
import { mergeMessages } from '../shared/merge'
import { conversation, message } from './fixtures'

const PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

function render(component: Component, props: Record<string, unknown>): HTMLElement {
  const el = document.createElement('div')
  document.body.append(el)
  createApp(component, props).use(createPinia()).use(i18n).mount(el)
  return el
}

describe('console renders user content as text', () => {
  it('message bodies, notes, suggestions and file names', () => {
    const item = mergeMessages([], [
      message({
        body: PAYLOAD,
        private: true,
        sender_type: 'agent',
        suggestions: [{ faq_id: 'f', question: PAYLOAD }],
        attachments: [{ id: 'a', filename: PAYLOAD, content_type: 'text/html', size: 10, url: '/files/a' }],
      }),
    ])[0]!
    const el = render(MessageItem, { item, contactName: PAYLOAD, meId: null })
    expect(el.querySelector('img, script')).toBeNull()
    expect(el.querySelector('.msg__bubble')?.textContent).toBe(PAYLOAD)
    expect(el.querySelector('.msg__chip')?.textContent).toBe(PAYLOAD)
    expect(el.querySelector('a')?.textContent).toContain(PAYLOAD)
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('bold runs of bot answers hold text only', () => {
    const item = mergeMessages([], [message({ sender_type: 'bot', body: `Refunds take **${PAYLOAD}** days` })])[0]!
    const el = render(MessageItem, { item, contactName: 'c', meId: null })
    expect(el.querySelector('.msg__bubble strong')?.textContent).toBe(PAYLOAD)
    expect(el.querySelector('img, script')).toBeNull()
  })

  it('contact names', () => {
    const el = render(MessageItem, { item: mergeMessages([], [message()])[0]!, contactName: PAYLOAD, meId: null })
    expect(el.querySelector('.msg__sender')?.textContent).toBe(PAYLOAD)
    expect(el.querySelector('img')).toBeNull()
  })

  it('conversation header (name, tags)', () => {
    const conv = conversation({ contact: { id: 'x', name: PAYLOAD }, tags: [PAYLOAD] })
    const el = render(ConversationHeader, { conversation: conv, meId: 'me', busy: false })
    expect(el.querySelector('h2')?.textContent).toBe(PAYLOAD)
    expect(el.querySelector('img, script')).toBeNull()
  })

  it('refuses javascript: attachment links', () => {
    const item = mergeMessages([], [
      message({ attachments: [{ id: 'a', filename: 'x', content_type: 'text/html', size: 1, url: 'javascript:alert(1)' }] }),
    ])[0]!
    expect(render(MessageItem, { item, contactName: 'c', meId: null }).querySelector('a')).toBeNull()
  })
})

describe('source guard', () => {
  it('no v-html or innerHTML assignment anywhere in the front end', async () => {
    const files = import.meta.glob(['../console/src/**/*.{ts,vue}', '../widget/src/**/*.ts', '../shared/**/*.ts'], {
      query: '?raw',
      import: 'default',
    })
    expect(Object.keys(files).length).toBeGreaterThan(20)
    for (const [path, load] of Object.entries(files)) {
      const source = (await load()) as string
      expect(source, path).not.toMatch(/v-html|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write/)
    }
  })
})
