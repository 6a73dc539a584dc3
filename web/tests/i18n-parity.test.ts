import { describe, expect, it } from 'vitest'
import en from '../console/src/i18n/en'
import zhCN from '../console/src/i18n/zh-CN'
import { WIDGET_MESSAGES } from '../widget/src/i18n'

/** key path → string, for nested message objects. */
function flatten(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else if (value && typeof value === 'object') for (const [k, v] of flatten(value, path)) out.set(k, v)
    else throw new Error(`${path} is not a string`)
  }
  return out
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe.each([
  ['console', zhCN, en],
  ['widget', WIDGET_MESSAGES['zh-CN'], WIDGET_MESSAGES.en],
])('%s messages', (_name, zh, english) => {
  const zhKeys = flatten(zh)
  const enKeys = flatten(english)

  it('have the same keys in zh-CN and en', () => {
    expect([...zhKeys.keys()].sort()).toEqual([...enKeys.keys()].sort())
  })

  it('have no empty strings and the same placeholders', () => {
    for (const [key, zhText] of zhKeys) {
      const enText = enKeys.get(key) ?? ''
      expect(zhText.trim(), key).not.toBe('')
      expect(enText.trim(), key).not.toBe('')
      expect(placeholders(enText), key).toEqual(placeholders(zhText))
    }
  })

  it('really are translated (zh-CN strings contain Chinese)', () => {
    const untranslated = [...zhKeys].filter(([, text]) => !/[\u4e00-\u9fff]/.test(text) && !/^[\W\d]*$/.test(text))
    expect(untranslated).toEqual([])
  })
})
