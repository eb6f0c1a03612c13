import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, daysOf, periods, rangeWithPrevious } from './reports'

describe('report ranges', () => {
  it('counts calendar days, across months and leap days', () => {
    expect(daysBetween('2026-12-07', '2026-12-07')).toBe(0)
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2)
    expect(daysBetween('2026-12-07', '2026-12-01')).toBe(-6)
  })

  it('puts the same number of days just before a custom range', () => {
    expect(rangeWithPrevious('2026-11-01', '2026-11-30')).toEqual({
      current: { from: '2026-11-01', to: '2026-11-30' },
      previous: { from: '2026-10-02', to: '2026-10-31' },
    })
    // One day: the day before.
    expect(rangeWithPrevious('2026-03-01', '2026-03-01').previous).toEqual({ from: '2026-02-28', to: '2026-02-28' })
    const r = rangeWithPrevious('2025-12-20', '2026-01-10')
    expect(daysOf(r.previous.from, r.previous.to).length).toBe(daysOf(r.current.from, r.current.to).length)
    expect(addDays(r.previous.to, 1)).toBe(r.current.from)
  })

  it('reads the last n days as a range ending today', () => {
    expect(periods('2026-12-07', 7)).toEqual(rangeWithPrevious('2026-12-01', '2026-12-07'))
    expect(periods('2026-12-07', 7).previous).toEqual({ from: '2026-11-24', to: '2026-11-30' })
  })
})
