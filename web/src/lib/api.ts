// The one way the app talks to gongdan: JSON over fetch with the session cookie, the CSRF token
// on writes, and errors turned into ApiError (code, message and the field that caused it).
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message)
  }
}

let csrf = ''
export function setCsrf(token: string) {
  csrf = token
}

export async function api<T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const init: RequestInit = { method, headers: { ...headers }, credentials: 'same-origin' }
  const h = init.headers as Record<string, string>
  if (method !== 'GET' && csrf) h['X-CSRF-Token'] = csrf
  if (body instanceof FormData || body instanceof Blob) init.body = body
  else if (body !== undefined) {
    h['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const res = await fetch('/api/v1' + path, init)
  const token = res.headers.get('X-CSRF-Token')
  if (token) csrf = token
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: any = undefined
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    data = undefined
  }
  if (!res.ok) {
    const e = data?.error ?? {}
    throw new ApiError(res.status, e.code ?? 'error', e.message ?? res.statusText, e.field)
  }
  if (data && typeof data === 'object' && 'csrf_token' in data) csrf = data.csrf_token
  return data as T
}

export const get = <T = any>(p: string) => api<T>('GET', p)
export const post = <T = any>(p: string, b?: unknown) => api<T>('POST', p, b)
export const patch = <T = any>(p: string, b?: unknown) => api<T>('PATCH', p, b)

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? '?' + s : ''
}
