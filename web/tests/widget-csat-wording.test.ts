// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { pickWording, withCsatWording } from '../widget/src/csat'
import { translator } from '../widget/src/i18n'
import { renderCsat } from '../widget/src/view'

const wording = {
  question: { 'zh-CN': '这次服务您满意吗？', en: '<b>Happy</b> with us?' },
  thanks: { en: 'Cheers!' },
}

describe('widget CSAT wording', () => {
  it('uses the tenant text for the contact locale, else the built-in strings', () => {
    const zh = withCsatWording(translator('zh-CN'), wording, 'zh-CN')
    expect(zh('csatTitle')).toBe('这次服务您满意吗？')
    expect(zh('csatThanks')).toBe(translator('zh-CN')('csatThanks'))
    const en = withCsatWording(translator('en'), wording, 'en')
    expect(en('csatTitle')).toBe('<b>Happy</b> with us?')
    expect(en('csatThanks')).toBe('Cheers!')
    expect(en('csatSubmit')).toBe(translator('en')('csatSubmit'))
  })

  it('falls back when nothing, blank or another language is set', () => {
    const t = translator('en')
    expect(withCsatWording(t, undefined, 'en')('csatTitle')).toBe(t('csatTitle'))
    expect(withCsatWording(t, { question: { en: '  ' } }, 'en')('csatTitle')).toBe(t('csatTitle'))
    expect(withCsatWording(t, { question: { 'zh-CN': '好' } }, 'en')('csatTitle')).toBe(t('csatTitle'))
    expect(pickWording({ en: 'Hi' }, 'en')).toBe('Hi')
    expect(pickWording(undefined, 'en')).toBeNull()
  })

  it('renders the tenant question as text only', () => {
    const t = withCsatWording(translator('en'), wording, 'en')
    const form = renderCsat({ t, state: 'open', onSubmit: vi.fn() })
    expect(form.querySelector('.csat__title')!.textContent).toBe('<b>Happy</b> with us?')
    expect(form.querySelector('b')).toBeNull()
    const done = renderCsat({ t, state: 'done', onSubmit: vi.fn() })
    expect(done.textContent).toBe('Cheers!')
  })
})
