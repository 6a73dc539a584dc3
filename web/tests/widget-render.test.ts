// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { mergeMessages } from '../shared/merge'
import { translator } from '../widget/src/i18n'
import { buildShell, renderMessage, suggestionsVisible } from '../widget/src/view'
import { message } from './fixtures'

const t = translator('en')
const item = (overrides = {}) => mergeMessages([], [message(overrides)])[0]!
const actions = (overrides = {}) => ({ t, showSuggestions: true, onSuggestion: vi.fn(), onRetry: vi.fn(), ...overrides })

describe('widget message rendering', () => {
  it('shows an HTML payload literally and creates no elements from it', () => {
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>'
    const node = renderMessage(item({ body: payload, sender_type: 'agent' }), actions())
    const bubble = node.querySelector('.msg__bubble')!
    expect(bubble.textContent).toBe(payload)
    expect(node.querySelector('img, script, b')).toBeNull()
    expect(bubble.innerHTML).toContain('&lt;img')
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined()
  })

  it('renders suggestion questions as text buttons that send the question', () => {
    const onSuggestion = vi.fn()
    const question = '<i>How do I get a refund?</i>'
    const node = renderMessage(
      item({ sender_type: 'bot', suggestions: [{ faq_id: 'f1', question }, { faq_id: 'f2', question: 'Shipping' }] }),
      actions({ onSuggestion }),
    )
    const buttons = [...node.querySelectorAll('button.chip')] as HTMLButtonElement[]
    expect(buttons.map((b) => b.textContent)).toEqual([question, 'Shipping'])
    expect(node.querySelector('i')).toBeNull()
    buttons[0]!.click()
    expect(onSuggestion).toHaveBeenCalledWith(question)
  })

  it('hides suggestions once the contact has written again', () => {
    const items = mergeMessages([], [
      message({ seq: 1, sender_type: 'bot', suggestions: [{ faq_id: 'f', question: 'q' }] }),
      message({ seq: 2, sender_type: 'contact' }),
      message({ seq: 3, sender_type: 'bot', suggestions: [{ faq_id: 'g', question: 'r' }] }),
    ])
    expect(items.map((_, i) => suggestionsVisible(items, i))).toEqual([false, true, true])
  })

  it('links only http(s) attachments, with the file name as text', () => {
    const node = renderMessage(
      item({
        attachments: [
          { id: 'a', filename: '<b>x</b>.pdf', content_type: 'application/pdf', size: 2048, url: '/files/a' },
          { id: 'b', filename: 'evil', content_type: 'text/html', size: 1, url: 'javascript:alert(1)' },
        ],
      }),
      actions(),
    )
    const links = [...node.querySelectorAll('a')]
    expect(links).toHaveLength(1)
    expect(links[0]!.textContent).toBe('📎 <b>x</b>.pdf (2.0 KB)')
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer')
  })

  it('labels senders and shows delivery state with a retry', () => {
    const onRetry = vi.fn()
    const failed = { ...item({ sender_type: 'contact' }), delivery: 'failed' as const }
    const node = renderMessage(failed, actions({ onRetry }))
    expect(node.querySelector('.msg__sender')).toBeNull()
    node.querySelector<HTMLButtonElement>('button.link')!.click()
    expect(onRetry).toHaveBeenCalledWith(failed)
    expect(renderMessage(item({ sender_type: 'bot' }), actions()).querySelector('.msg__sender')?.textContent).toBe(
      'Assistant',
    )
  })

  it('builds the shell inside a shadow root', () => {
    const host = document.createElement('div')
    const root = host.attachShadow({ mode: 'open' })
    const shell = buildShell(root, '.x{}', translator('zh-CN'))
    expect(root.querySelector('style')?.textContent).toBe('.x{}')
    expect(shell.launcher.getAttribute('aria-label')).toBe('打开客服对话')
    expect(shell.panel.hidden).toBe(true)
  })
})
