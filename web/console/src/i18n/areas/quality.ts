/** Messages of the Quality screens (zh-CN is the schema; en must have the same keys). */
export const zhCN = {
  title: '质检',
}

export const en: typeof zhCN = {
  title: 'Quality',
}
