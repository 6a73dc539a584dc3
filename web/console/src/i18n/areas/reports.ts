/** Messages of the Reports screens (zh-CN is the schema; en must have the same keys). */
export const zhCN = {
  title: '报表',
}

export const en: typeof zhCN = {
  title: 'Reports',
}
