/** Messages of the satisfaction-survey settings (zh-CN is the schema; en must have the same keys). */
export const zhCN = {
  title: '满意度调查',
  hint: '留空则使用内置文案。网页挂件按访客语言显示，工单评价页按浏览器语言显示。',
  questionZh: '提问（中文）',
  questionEn: '提问（英文）',
  thanksZh: '致谢（中文）',
  thanksEn: '致谢（英文）',
  saved: '满意度调查文案已保存',
}

export const en: typeof zhCN = {
  title: 'Satisfaction survey',
  hint: 'Leave blank to use the built-in text. The widget shows the visitor’s language, the ticket rating page the browser’s.',
  questionZh: 'Question (Chinese)',
  questionEn: 'Question (English)',
  thanksZh: 'Thank-you text (Chinese)',
  thanksEn: 'Thank-you text (English)',
  saved: 'Survey wording saved',
}
