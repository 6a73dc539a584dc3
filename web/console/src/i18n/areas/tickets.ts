/** Messages of the Tickets screens (zh-CN is the schema; en must have the same keys). */
export const zhCN = {
  title: '工单',
}

export const en: typeof zhCN = {
  title: 'Tickets',
}
