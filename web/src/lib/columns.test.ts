import { describe, expect, it } from 'vitest'
import { columnLabel, columnsOf, COLUMNS, DEFAULT_COLUMNS } from './columns'
import en from '../locales/en'
import zh from '../locales/zh-CN'

describe('inbox columns', () => {
  it("are a saved view's, in its order", () => {
    expect(columnsOf({ columns: ['status', 'subject', 'number'] })).toEqual(['status', 'subject', 'number'])
  })

  it('are the default for built-in views and views that name none', () => {
    expect(columnsOf(undefined)).toEqual(DEFAULT_COLUMNS)
    expect(columnsOf({ columns: [] })).toEqual(DEFAULT_COLUMNS)
    expect(columnsOf({})).toEqual(DEFAULT_COLUMNS)
  })

  it('always keep the subject (the link), first when left out, and drop unknown names and repeats', () => {
    expect(columnsOf({ columns: ['priority', 'nope', 'priority', 'sla'] })).toEqual(['subject', 'priority', 'sla'])
  })

  it('have a heading in both languages', () => {
    for (const c of COLUMNS) {
      const [group, key] = columnLabel(c).split('.')
      expect((en as unknown as Record<string, Record<string, string>>)[group][key], c).toBeTruthy()
      expect((zh as unknown as Record<string, Record<string, string>>)[group][key], c).toBeTruthy()
    }
  })
})
