/** Typed endpoints of the tenant's satisfaction-survey wording (`/api/v1/surveys/settings`). */
import { client } from './client'

export type SurveyLang = 'zh-CN' | 'en'
/** Text per language; a missing language uses the built-in wording. */
export type SurveyText = Partial<Record<SurveyLang, string>>

export interface SurveySettings {
  question: SurveyText
  thanks: SurveyText
}

/** The longest question or thank-you text the server takes. */
export const SURVEY_TEXT_MAX = 300

export const surveysApi = {
  settings: () => client.call<SurveySettings>('/surveys/settings'),
  saveSettings: (body: SurveySettings) => client.call<SurveySettings>('/surveys/settings', { method: 'PUT', body }),
}
