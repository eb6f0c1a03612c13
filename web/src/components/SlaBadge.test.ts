import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import SlaBadge from './SlaBadge.vue'
import { formatDuration, levelOf, slaClocks, slaState, type Sla } from '../lib/sla'

function sla(more: Partial<Sla> = {}): Sla {
  return {
    policy: 1, paused: false, first_response_due_at: null, next_response_due_at: null, resolution_due_at: null,
    first_response_remaining_seconds: null, next_response_remaining_seconds: null, resolution_remaining_seconds: null, ...more,
  }
}
const running = sla({
  first_response_due_at: '2026-12-06T10:00:00Z', first_response_remaining_seconds: 2 * 3600 + 5 * 60,
  resolution_due_at: '2026-12-08T10:00:00Z', resolution_remaining_seconds: 2 * 86400,
})

function render(props: { sla: Sla | null; elapsed?: number; compact?: boolean }, locale = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(SlaBadge, { props: { timeZone: 'Asia/Shanghai', ...props }, global: { plugins: [i18n] } })
}

describe('SLA state', () => {
  it('picks the soonest running target, counting down from the server\'s seconds', () => {
    expect(slaState(running)).toMatchObject({ kind: 'running', target: 'first_response', seconds: 7500, level: 'ok' })
    expect(slaState(running, 7500 - 3600)).toMatchObject({ level: 'warning', seconds: 3600 })
    expect(slaState(running, 7501)).toMatchObject({ level: 'breached', seconds: -1 })
    expect(slaClocks(running).map((c) => c.target)).toEqual(['first_response', 'resolution'])
  })

  it('shows nothing without a policy or a due time, and paused while paused', () => {
    expect(slaState(null)).toEqual({ kind: 'none' })
    expect(slaState(sla({ policy: null }))).toEqual({ kind: 'none' })
    expect(slaState(sla())).toEqual({ kind: 'none' })
    expect(slaState(sla({ paused: true }))).toEqual({ kind: 'paused' })
    expect(slaClocks(sla({ paused: true }))).toEqual([])
  })

  it('is red within the last hour and once overdue', () => {
    expect([levelOf(3601), levelOf(3600), levelOf(0), levelOf(-1)]).toEqual(['ok', 'warning', 'warning', 'breached'])
  })

  it('says durations in the viewer\'s language', () => {
    expect(formatDuration(7500, 'en')).toBe('2 hr 5 min')
    expect(formatDuration(-7500, 'en')).toBe('2 hr 5 min')
    expect(formatDuration(3 * 86400 + 4 * 3600, 'zh-CN')).toBe('3天 4小时')
    expect(formatDuration(2 * 3600, 'en')).toBe('2 hr')
    expect(formatDuration(20, 'en')).toBe('1 min')
  })
})

describe('SlaBadge', () => {
  it('shows time left with the due time in the viewer\'s zone', () => {
    const w = render({ sla: running })
    const badge = w.find('[data-test=sla-badge]')
    expect(badge.text()).toBe('First response: 2 hr 5 min left')
    expect(badge.attributes('data-sla')).toBe('ok')
    expect(badge.attributes('title')).toContain('6:00 PM')  // 10:00 UTC in Shanghai
  })

  it('turns red before the breach and says how late after it, in Chinese too', () => {
    expect(render({ sla: running, elapsed: 7500 - 600 }).find('[data-test=sla-badge]').attributes('data-sla')).toBe('warning')
    const late = render({ sla: running, elapsed: 7500 + 3600, compact: true }, 'zh-CN').find('[data-test=sla-badge]')
    expect(late.attributes('data-sla')).toBe('breached')
    expect(late.text()).toBe('已超时 1小时')
  })

  it('says paused, and nothing at all without an SLA', () => {
    expect(render({ sla: sla({ paused: true }) }).text()).toBe('SLA paused')
    expect(render({ sla: sla({ policy: null }) }).find('[data-test=sla-badge]').exists()).toBe(false)
  })
})
