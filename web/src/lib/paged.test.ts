import { describe, expect, it } from 'vitest'
import { toCsv } from './paged'

describe('toCsv', () => {
  it('quotes what needs quoting and marks the text as UTF-8', () => {
    const csv = toCsv(['action', 'detail'], [['auth.login', '{"a":1,"b":"x"}'], ['note', '王芳\nline'], ['n', null]])
    expect(csv).toBe('\ufeffaction,detail\r\nauth.login,"{""a"":1,""b"":""x""}"\r\nnote,"王芳\nline"\r\nn,\r\n')
  })
})
