import { afterEach, describe, expect, it } from 'vitest'
import { ApiError, errorText } from './api'
import { setLocale } from '../i18n'

describe('errorText', () => {
  afterEach(() => setLocale('en'))

  it('gives an English reader the server message as it is', () => {
    setLocale('en')
    expect(errorText(new ApiError(404, 'not_found', 'no such ticket'))).toBe('no such ticket')
  })

  it('gives a Chinese reader the sentence of the error code, with the detail where it helps', () => {
    setLocale('zh-CN')
    expect(errorText(new ApiError(403, 'permission_denied', 'admins only'))).toBe('您的角色无权执行此操作')
    expect(errorText(new ApiError(400, 'invalid_argument', 'unknown field "colour"'))).toBe('输入有误，未被接受（unknown field "colour"）')
  })

  it('falls back to the server message for a code it does not know', () => {
    setLocale('zh-CN')
    expect(errorText(new ApiError(418, 'teapot', 'short and stout'))).toBe('short and stout')
  })
})
