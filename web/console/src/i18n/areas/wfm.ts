/** Messages of the Workforce screens (zh-CN is the schema; en must have the same keys). */
export const zhCN = {
  title: '排班与预测',
}

export const en: typeof zhCN = {
  title: 'Workforce',
}
