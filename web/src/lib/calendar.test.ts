import { describe, expect, it } from 'vitest'
import { calendarFromJson, calendarToJson, parseNotice } from './calendar'

describe('calendar editor', () => {
  it('round-trips a definition, ranges, single days and members it does not show', () => {
    const spec = {
      name: 'Shanghai office', time_zone: 'Asia/Shanghai', source: 'State Council notice',
      weekly_hours: { mon: ['09:00-12:00', '13:30-18:00'], tue: ['09:00-18:00'] },
      holidays: ['2026-01-01', { name: '春节', from: '2026-02-15', to: '2026-02-23' }],
      extra_working_days: ['2026-02-14', { date: '2026-02-28', weekday: 'Saturday', for: '春节' }],
      extra_working_day_hours: ['09:00-18:00'],
    }
    const m = calendarFromJson(spec)
    expect(m.hours.mon).toBe('09:00-12:00, 13:30-18:00')
    expect(m.hours.sat).toBe('')
    expect(calendarToJson(m)).toEqual(spec)
  })

  it('reads a pasted notice: ranges with names, Chinese dates, make-up working days', () => {
    const r = parseNotice('国庆节：2026年10月1日至2026年10月7日\n2026-09-20 上班\n2026/1/1\n放假安排如下')
    expect(r.holidays).toEqual([
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', extra: {} },
      { name: '', from: '2026-01-01', to: '', extra: {} },
    ])
    expect(r.workdays).toEqual([{ date: '2026-09-20', extra: {} }])
    expect(r.skipped).toEqual(['放假安排如下'])
  })
})
