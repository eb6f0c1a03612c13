import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n, setLocale } from '../i18n'
import LinkSignIn from './LinkSignIn.vue'
import { useSession } from '../stores/session'

const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('sign-in link', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    setLocale('en')
  })

  it('asks for a link and says where it went, in the same words whatever the answer', async () => {
    const calls: [string, RequestInit][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return reply({ accepted: true }, 202)
    }))
    const w = mount(LinkSignIn, { global: { plugins: [i18n] } })
    await w.find('[data-test=link-email]').setValue('pat@example.com')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(calls[0][0]).toBe('/api/v1/auth/link')
    expect(JSON.parse(String(calls[0][1].body))).toEqual({ email: 'pat@example.com' })
    expect(w.find('[data-test=link-sent]').text()).toContain('If pat@example.com has an account')
  })

  it('explains a refusal in plain words (too many, not offered here)', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ error: { code: 'rate_limited', message: 'too many' } }, 429)))
    const w = mount(LinkSignIn, { global: { plugins: [i18n] } })
    await w.find('[data-test=link-email]').setValue('pat@example.com')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[role=alert]').text()).toContain('try again later')
  })

  it('redeems a token into a session with the account language', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ user: { id: 3, email: 'c@x', name: 'C', role: 'customer', locale: 'zh-CN', time_zone: 'UTC', active: true }, csrf_token: 't' })))
    const s = useSession()
    await s.redeemLink('tok')
    expect(s.user?.role).toBe('customer')
    expect(i18n.global.locale.value).toBe('zh-CN')
  })
})
