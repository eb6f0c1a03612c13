import { describe, expect, it } from 'vitest'
import { formatTime, localToUtc, relativeTime, startOfDay } from './time'

describe('time', () => {
  const now = Date.parse('2026-11-28T12:00:00Z')
  it('says how long ago in English and Chinese', () => {
    expect(relativeTime('2026-11-28T11:57:00Z', 'en', now)).toBe('3 minutes ago')
    expect(relativeTime('2026-11-28T11:57:00Z', 'zh-CN', now)).toBe('3分钟前')
    expect(relativeTime('2026-11-26T12:00:00Z', 'en', now)).toBe('2 days ago')
    expect(relativeTime(null, 'en', now)).toBe('')
  })
  it('shows the viewer time zone', () => {
    expect(formatTime('2026-11-28T15:30:00Z', 'en', 'Asia/Shanghai')).toContain('11:30')
    expect(formatTime('2026-11-28T15:30:00Z', 'en', 'UTC')).toContain('3:30')
  })
  it('finds where a day begins in a time zone, in UTC', () => {
    expect(startOfDay('2026-11-28', 'Asia/Shanghai')).toBe('2026-11-27T16:00:00Z')
    expect(startOfDay('2026-11-28', 'UTC')).toBe('2026-11-28T00:00:00Z')
    expect(startOfDay('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00Z')
    expect(startOfDay('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00Z')
  })
  it('reads a picked wall-clock time in the viewer time zone', () => {
    expect(localToUtc('2027-01-31T09:30', 'Asia/Shanghai')).toBe('2027-01-31T01:30:00Z')
    expect(localToUtc('2026-07-01T12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00Z')
  })
})
