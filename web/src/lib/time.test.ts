import { describe, expect, it } from 'vitest'
import { formatTime, relativeTime } from './time'

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
})
