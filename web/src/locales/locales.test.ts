import { describe, expect, it } from 'vitest'
import en from './en'
import zh from './zh-CN'

function keys(o: any, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, prefix + k + '.') : [prefix + k]))
}

describe('locales', () => {
  it('have the same keys in English and Chinese, none empty', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
    for (const k of keys(zh)) expect(k.split('.').reduce((o: any, p) => o[p], zh)).not.toBe('')
  })
})
