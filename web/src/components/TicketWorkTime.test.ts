import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import TicketWorkTime from './TicketWorkTime.vue'

const reply = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

function render(locale: string, props: { number: number; me?: number; beats?: number; version?: number }) {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(TicketWorkTime, { props, global: { plugins: [i18n] } })
}

const spent = {
  total_ms: 2 * 3600_000 + 30 * 60_000,
  people: [
    { person: { id: 3, name: 'Li Lei', role: 'agent' }, ms: 2 * 3600_000 },
    { person: { id: 9, name: 'Pat', role: 'agent' }, ms: 30 * 60_000 },
  ],
}

describe('TicketWorkTime', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows the total and each agent, the viewer as "you", and reads again after a heartbeat', async () => {
    const paths: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (path: string) => {
      paths.push(path)
      return reply(spent)
    }))
    const w = render('en', { number: 12, me: 9, beats: 0 })
    await flushPromises()
    expect(paths).toEqual(['/api/v1/tickets/12/work-time'])
    expect(w.get('[data-test=work-time-total]').text()).toBe('2.5 h')
    expect(w.get('[data-test=work-time-3]').text()).toBe('Li Lei: 2.0 h')
    expect(w.get('[data-test=work-time-9]').text()).toBe('you: 30 min')
    await w.setProps({ beats: 1 })
    await flushPromises()
    expect(paths.length).toBe(2)
  })

  it('speaks Chinese, and shows nothing when no time was spent or the reader is not staff', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply(spent)))
    const w = render('zh-CN', { number: 12, me: 3 })
    await flushPromises()
    expect(w.text()).toContain('处理时长')
    expect(w.get('[data-test=work-time-3]').text()).toBe('您：2.0 h')
    vi.stubGlobal('fetch', vi.fn(async () => reply({ total_ms: 0, people: [] })))
    const none = render('en', { number: 5 })
    await flushPromises()
    expect(none.find('[data-test=ticket-work-time]').exists()).toBe(false)
    vi.stubGlobal('fetch', vi.fn(async () => reply({ error: { code: 'permission_denied', message: 'no' } }, 403)))
    const refused = render('en', { number: 5 })
    await flushPromises()
    expect(refused.find('[data-test=ticket-work-time]').exists()).toBe(false)
  })
})
