/**
 * The console's HTTP transport: same-origin `/api/v1`, bearer access token, one transparent
 * refresh on 401 (shared by concurrent requests), then sign-out when the refresh token is refused.
 */
import { ApiError, requestBlob, requestJson, type RequestOptions } from '../../../shared/http'
import type { TokenPair } from '../../../shared/types'
import { currentLocale } from '../i18n'

const TOKENS_KEY = 'kefu.console.tokens'
const API_BASE = '/api/v1'

type CallOptions = Omit<RequestOptions, 'locale' | 'token'>

function readTokens(): TokenPair | null {
  try {
    const raw = localStorage.getItem(TOKENS_KEY)
    return raw ? (JSON.parse(raw) as TokenPair) : null
  } catch {
    return null
  }
}

export class ApiClient {
  private tokens: TokenPair | null = readTokens()
  private refreshing: Promise<boolean> | null = null
  /** Set by the session store: called when the session cannot be renewed. */
  onSessionExpired: () => void = () => undefined

  get signedIn(): boolean {
    return this.tokens !== null
  }

  setTokens(tokens: TokenPair | null): void {
    this.tokens = tokens
    try {
      if (tokens) localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens))
      else localStorage.removeItem(TOKENS_KEY)
    } catch {
      // storage unavailable: keep tokens in memory
    }
  }

  /** An unauthenticated call (login, refresh). */
  anonymous<T>(path: string, options: CallOptions = {}): Promise<T> {
    return requestJson<T>(API_BASE, path, { ...options, locale: currentLocale() })
  }

  call<T>(path: string, options: CallOptions = {}): Promise<T> {
    return this.withRefresh(() => requestJson<T>(API_BASE, path, this.options(options)))
  }

  /** A binary download with the bearer token (exports, attachments). `path` may be a full `/api/v1/...` URL path. */
  blob(path: string, options: CallOptions = {}): Promise<Blob> {
    const [base, rest] = path.startsWith(API_BASE) ? ['', path] : [API_BASE, path]
    return this.withRefresh(() => requestBlob(base, rest, this.options(options)))
  }

  private options(options: CallOptions): RequestOptions {
    return { ...options, locale: currentLocale(), token: this.tokens?.access_token ?? null }
  }

  private async withRefresh<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request()
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err
      if (!(await this.refresh())) {
        this.setTokens(null)
        this.onSessionExpired()
        throw err
      }
      return request()
    }
  }

  private refresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refresh_token
    if (!refreshToken) return Promise.resolve(false)
    this.refreshing ??= this.anonymous<TokenPair>('/auth/refresh', {
      method: 'POST',
      body: { refresh_token: refreshToken },
    })
      .then((tokens) => {
        this.setTokens(tokens)
        return true
      })
      .catch(() => false)
      .finally(() => {
        this.refreshing = null
      })
    return this.refreshing
  }
}

export const client = new ApiClient()
