/** A small fetch wrapper: JSON in and out, `Accept-Language`, bearer token, typed API errors. */
import type { Locale } from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The decoded error body (e.g. `errors` of a rejected import), when there was one. */
    readonly payload: unknown = null,
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
  const response = await send(base, path, options, headers)
  const text = await response.text()
  const payload: unknown = text ? safeJson(text) : null
  if (!response.ok) {
    const p = (payload ?? {}) as { code?: unknown; message?: unknown }
    throw new ApiError(
      response.status,
      typeof p.code === 'string' ? p.code : `http_${response.status}`,
      typeof p.message === 'string' ? p.message : response.statusText,
      payload,
    )
  }
  return payload as T
}

const isForm = (body: unknown): body is FormData => typeof FormData !== 'undefined' && body instanceof FormData

/** One fetch: JSON bodies are serialised, FormData (uploads) is sent as multipart. */
async function send(base: string, path: string, options: RequestOptions, headers: Record<string, string>): Promise<Response> {
  const form = isForm(options.body)
  if (options.body !== undefined && !form) headers['Content-Type'] = 'application/json'
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  let body: BodyInit | undefined
  if (form) body = options.body as FormData
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  try {
    return await fetch(buildUrl(base, path, options.query), { method: options.method ?? 'GET', headers, body })
  } catch (err) {
    throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err))
  }
}

/** A binary download (export, attachment) with the same headers and errors as `requestJson`. */
export async function requestBlob(base: string, path: string, options: RequestOptions): Promise<Blob> {
  const response = await send(base, path, options, { 'Accept-Language': options.locale })
  if (!response.ok) {
    const payload = safeJson(await response.text()) as { code?: unknown; message?: unknown } | null
    throw new ApiError(
      response.status,
      typeof payload?.code === 'string' ? payload.code : `http_${response.status}`,
      typeof payload?.message === 'string' ? payload.message : response.statusText,
      payload,
    )
  }
  return response.blob()
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
