import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n, setLocale } from '../../i18n'
import PortalVerify from './PortalVerify.vue'
import { userFixture } from '../../testing'

const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

async function mountAt(hash: string) {
  window.history.replaceState(null, '', '/portal/verify' + hash)
  const router = createRouter({ history: createMemoryHistory(), routes: [
    { path: '/portal/verify', component: PortalVerify },
    { path: '/portal/', component: { template: '<div data-test="portal-home" />' } },
    { path: '/portal/signup', component: { template: '<div />' } },
  ] })
  await router.push('/portal/verify')
  const w = mount(PortalVerify, { global: { plugins: [i18n, router] } })
  return { w, router }
}

describe('sign-up confirmation page', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    setLocale('en')
  })

  it('takes the token out of the address and redeems it only on a click', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => reply({ user: userFixture({ id: 5, role: 'customer', locale: 'en' }), csrf_token: 'c' }, 201))
    vi.stubGlobal('fetch', fetch)
    const { w, router } = await mountAt('#tok-123')
    expect(window.location.hash).toBe('')
    expect(fetch).not.toHaveBeenCalled()
    await w.find('[data-test=verify-confirm]').trigger('click')
    await flushPromises()
    expect(fetch.mock.calls[0][0]).toBe('/api/v1/auth/signup/verify')
    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({ token: 'tok-123' })
    expect(router.currentRoute.value.path).toBe('/portal/')
  })

  it('says plainly when the link was used or has expired', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ error: { code: 'unauthenticated', message: 'no' } }, 401)))
    const { w } = await mountAt('#old')
    await w.find('[data-test=verify-confirm]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=verify-error]').text()).toContain('used already or has expired')
  })
})
