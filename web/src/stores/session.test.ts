import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useSession } from './session'
import { i18n } from '../i18n'
import { headerOf, userFixture } from '../testing'

const user = userFixture()

function reply(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
  })

  it('signs in, takes the account language and sends the CSRF token on writes', async () => {
    const calls: [string, RequestInit][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return url.endsWith('/auth/login') ? reply({ user, csrf_token: 'csrf-1' }) : reply(undefined, 204)
    }))
    const s = useSession()
    await s.login('li@example.cn', 'pw')
    expect(s.isAgent).toBe(true)
    expect(s.timeZone).toBe('Asia/Shanghai')
    expect(i18n.global.locale.value).toBe('zh-CN')
    await s.logout()
    expect(s.user).toBeNull()
    expect(calls[1][0]).toBe('/api/v1/me/second-factor')
    expect(headerOf(calls[2][1], 'X-CSRF-Token')).toBe('csrf-1')
  })

  it('signs in in two steps when the account has a second factor, and learns it must enrol', async () => {
    const calls: [string, RequestInit][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push([url, init])
      if (url.endsWith('/auth/login')) return reply({ second_factor: 'totp', challenge: 'ch-1', expires_at: '2026-01-01T00:05:00Z' }, 202)
      if (url.endsWith('/auth/second-factor')) return reply({ user, csrf_token: 'csrf-3' })
      return reply({ enabled: false, pending: false, required: true, recovery_codes_left: 0, enabled_at: null })
    }))
    const s = useSession()
    expect(await s.login('li@example.cn', 'pw')).toBe('ch-1')
    expect(s.user).toBeNull()
    await s.secondStep('ch-1', { code: '123456' }, true)
    expect(JSON.parse(String(calls[1][1].body))).toEqual({ challenge: 'ch-1', code: '123456', remember_device: true })
    expect(s.user?.name).toBe('李雷')
    expect(s.mustEnrol).toBe(true)
  })

  it('learns the CSRF token from /me after a reload, and shows API errors with their field', async () => {
    const fetchMock = vi.fn(async (url: string, _init?: RequestInit) =>
      url.endsWith('/me') ? reply({ ...user, locale: 'en' }, 200, { 'X-CSRF-Token': 'csrf-2' })
        : reply({ error: { code: 'invalid_argument', message: 'too short', field: 'new_password' } }, 400))
    vi.stubGlobal('fetch', fetchMock)
    const s = useSession()
    await s.load()
    expect(s.user?.name).toBe('李雷')
    expect(i18n.global.locale.value).toBe('en')
    await expect(s.changePassword('a', 'b')).rejects.toMatchObject({ status: 400, field: 'new_password', message: 'too short' })
    expect(headerOf(fetchMock.mock.calls[2][1], 'X-CSRF-Token')).toBe('csrf-2')
  })

  it('keeps the signature per user', () => {
    const s = useSession()
    s.user = user
    s.setSignature('-- 李雷')
    expect(s.signature()).toBe('-- 李雷')
  })
})

describe('sign-up', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('only asks for the mailed link; the account and session come when it is redeemed', async () => {
    const calls: [string, RequestInit][] = []
    const customer = userFixture({ id: 9, role: 'customer', locale: 'en' })
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return url.endsWith('/auth/signup') ? reply({ accepted: true }, 202) : reply({ user: customer, csrf_token: 'csrf-9' }, 201)
    }))
    const s = useSession()
    await s.signup('Pat', 'pat@example.com', 'pw-123456', 'en')
    expect(s.user).toBeNull()
    expect(calls[0][0]).toBe('/api/v1/auth/signup')
    expect(JSON.parse(String(calls[0][1].body))).toMatchObject({ name: 'Pat', email: 'pat@example.com', locale: 'en' })
    await s.verifySignup('tok-1')
    expect(calls[1][0]).toBe('/api/v1/auth/signup/verify')
    expect(JSON.parse(String(calls[1][1].body))).toEqual({ token: 'tok-1' })
    expect(s.user?.role).toBe('customer')
    await s.logout()
    expect(headerOf(calls[2][1], 'X-CSRF-Token')).toBe('csrf-9')
  })
})
