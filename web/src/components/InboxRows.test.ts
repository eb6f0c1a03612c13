import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import InboxRows from './InboxRows.vue'
import { useTickets } from '../stores/tickets'
import { useSession } from '../stores/session'
import { ticketFixture as ticket, userFixture } from '../testing'

const sla = {
  policy: 1, paused: false, first_response_due_at: '2026-12-06T10:00:00Z', next_response_due_at: null, resolution_due_at: null,
  first_response_remaining_seconds: 1800, next_response_remaining_seconds: null, resolution_remaining_seconds: null,
}

function render() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh } })
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<i />' } }] })
  useSession().user = userFixture({ time_zone: 'Asia/Shanghai' })
  useTickets().items = [
    ticket(7, { sla, updated_at: '2026-12-06T09:00:00Z' }),
    ticket(8, { sla: { ...sla, paused: true }, updated_at: '2026-12-06T08:00:00Z' }),
    ticket(9),
  ]
  const table = { components: { InboxRows }, template: '<table><InboxRows :columns="columns" :elapsed="0" :department-names="new Map()" /></table>', data: () => ({ columns: ['number', 'sla', 'updated_at'] }) }
  return mount(table, { global: { plugins: [pinia, i18n, router] }, attachTo: document.body })
}

describe('InboxRows', () => {
  it('writes each row\'s SLA badge into the row: time left, paused, or none', () => {
    const w = render()
    const badges = w.findAll('[data-test=sla-badge]')
    expect(badges.map((b) => [b.text(), b.attributes('data-sla')])).toEqual([['30 min left', 'warning'], ['SLA paused', 'paused']])
    expect(w.find('[data-test=row-9] [data-test=sla-badge]').exists()).toBe(false)
    w.unmount()
  })

  it('gives a badge and a time their titles when the pointer first comes over them', async () => {
    const w = render()
    const badge = w.find('[data-test=row-7] [data-test=sla-badge]')
    const time = w.find('[data-test=row-7] [data-time]')
    expect(badge.attributes('title')).toBeUndefined()
    await badge.trigger('mouseover')
    await time.trigger('mouseover')
    expect(badge.attributes('title')).toBe('First response · Due Dec 6, 2026, 6:00 PM')
    expect(time.attributes('title')).toBe('Dec 6, 2026, 5:00 PM')
    w.unmount()
  })
})
