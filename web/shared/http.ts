/** A small fetch wrapper: JSON in and out, `Accept-Language`, bearer token, typed API errors. */
import type { Locale } from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  token?: string | null
  locale: Locale
  query?: Record<string, string | number | null | undefined>
}

export function buildUrl(base: string, path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return base + path + (qs ? `?${qs}` : '')
}

export async function requestJson<T>(base: string, path: string, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': options.locale }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  let response: Response
  try {
    response = await fetch(buildUrl(base, path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
  } catch (err) {
    throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err))
  }
  const text = await response.text()
  const payload: unknown = text ? safeJson(text) : null
  if (!response.ok) {
    const p = (payload ?? {}) as { code?: unknown; message?: unknown }
    throw new ApiError(
      response.status,
      typeof p.code === 'string' ? p.code : `http_${response.status}`,
      typeof p.message === 'string' ? p.message : response.statusText,
    )
  }
  return payload as T
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** http(s) base → ws(s) base, e.g. for `new WebSocket(...)`. */
export function toWebSocketBase(httpBase: string): string {
  return httpBase.replace(/^http/, 'ws')
}
