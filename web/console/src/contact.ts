/** Helpers of the customer 360° panel. */

export interface AttributeRow {
  key: string
  value: string
}

/** Attributes as display rows, sorted by key; non-string values are shown as JSON. */
export function attributeRows(attributes: Record<string, unknown>): AttributeRow[] {
  return Object.entries(attributes)
    .map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }))
    .sort((a, b) => a.key.localeCompare(b.key))
}

/** A copy with one attribute set (key trimmed; numbers and booleans typed in stay numbers / booleans). */
export function setAttribute(attributes: Record<string, unknown>, key: string, raw: string): Record<string, unknown> {
  const text = raw.trim()
  let value: unknown = text
  if (text === 'true' || text === 'false') value = text === 'true'
  else if (text !== '' && /^-?\d+(\.\d+)?$/.test(text)) value = Number(text)
  return { ...attributes, [key.trim()]: value }
}
