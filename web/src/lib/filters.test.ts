import { describe, expect, it } from 'vitest'
import { activeCount, emptyFilters, filterQuery, viewFilters } from './filters'
import { query } from './api'

describe('ticket filters', () => {
  it('build the list query the API reads, blanks left out', () => {
    const f = { ...emptyFilters(), status: [3], priority: ['high' as const, 'urgent' as const], department: ['none' as const], assignee: ['me' as const, 7], tag: ' VIP ', requester: 12 }
    expect(query({ view: 'all_open', ...filterQuery(f), limit: 50 })).toBe(
      '?view=all_open&status=3&priority=high%2Curgent&department=none&assignee=me%2C7&tag=vip&requester=12&limit=50')
    expect(query(filterQuery(emptyFilters()))).toBe('')
  })

  it('save the same filter as a view', () => {
    const f = { ...emptyFilters(), assignee: [7], tag: 'Printer', requester: 12 }
    expect(viewFilters(f)).toEqual({ assignee: [7], tag: 'printer', requester: 12 })
    expect(viewFilters(emptyFilters())).toEqual({})
    const late = { ...emptyFilters(), sla: ['breached' as const], fields: { model: 'x100', serial: '' } }
    expect(viewFilters(late)).toEqual({ sla: ['breached'], fields: { model: 'x100' } })
    expect(query(filterQuery(late))).toBe('?sla=breached&field.model=x100')
    expect(activeCount(late)).toBe(2)
  })

  it('count what is set', () => {
    expect(activeCount(emptyFilters())).toBe(0)
    expect(activeCount({ ...emptyFilters(), status: [1], tag: '  ' })).toBe(1)
    expect(activeCount({ ...emptyFilters(), status: [1], tag: 'x', requester: 3 })).toBe(3)
  })
})
