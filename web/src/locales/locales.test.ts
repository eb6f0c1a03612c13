import { describe, expect, it } from 'vitest'
import en from './en'
import zh from './zh-CN'

type Messages = { [key: string]: string | Messages }

function keys(o: Messages, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, prefix + k + '.') : [prefix + k]))
}
function at(o: Messages, key: string): string | Messages {
  return key.split('.').reduce<string | Messages>((m, p) => (typeof m === 'object' ? m[p] : m), o)
}

describe('locales', () => {
  it('have the same keys in English and Chinese, none empty', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
    for (const k of keys(zh)) expect(at(zh, k)).not.toBe('')
  })
})
