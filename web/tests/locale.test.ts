import { describe, expect, it } from 'vitest'
import { matchLocale, pickLocale } from '../shared/locale'
import { pickWidgetLocale } from '../widget/src/i18n'

function page(lang: string, languages: string[], language = languages[0] ?? '') {
  return [{ documentElement: { lang } } as Document, { languages, language } as unknown as Navigator] as const
}

describe('widget language pick', () => {
  it('follows the host page <html lang> first', () => {
    expect(pickWidgetLocale(...page('zh-CN', ['en-US']))).toBe('zh-CN')
    expect(pickWidgetLocale(...page('zh-Hant-TW', ['en-US']))).toBe('zh-CN')
    expect(pickWidgetLocale(...page('en-GB', ['zh-CN']))).toBe('en')
  })

  it('falls back to the browser languages, in order', () => {
    expect(pickWidgetLocale(...page('', ['fr-FR', 'zh-CN', 'en']))).toBe('zh-CN')
    expect(pickWidgetLocale(...page('ja', ['en-US', 'zh']))).toBe('en')
    expect(pickWidgetLocale(...page('', [], 'zh-TW'))).toBe('zh-CN')
  })

  it('uses English when nothing matches', () => {
    expect(pickWidgetLocale(...page('de', ['fr-FR']))).toBe('en')
  })
})

describe('matchLocale / pickLocale', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['zh_HK', 'zh-CN'],
    ['en', 'en'],
    ['en-AU', 'en'],
    ['zhx', null],
    ['english', null],
    ['', null],
    [null, null],
  ])('%s → %s', (tag, expected) => {
    expect(matchLocale(tag)).toBe(expected)
  })

  it('honours the fallback', () => {
    expect(pickLocale([null, 'fr'], 'zh-CN')).toBe('zh-CN')
  })
})
