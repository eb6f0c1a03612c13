import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../../locales/en'
import zh from '../../../locales/zh-CN'
import RolesPage from './RolesPage.vue'
import type { Schemas } from '../../../lib/api'

const viewer: Schemas['CustomRole'] = {
  id: 5, name: 'Reports viewer', name_zh: '报表查看', permissions: ['tickets.view_all', 'reports.all'],
  created_at: '2026-12-01T00:00:00.000Z', updated_at: '2026-12-01T00:00:00.000Z',
}

function reply(body: unknown, status = 200) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function serve(roles: Schemas['CustomRole'][], sent: [string, string, unknown][], refuseDelete = false) {
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const body = init?.body ? JSON.parse(String(init.body)) : undefined
    sent.push([method, url, body])
    if (method === 'GET') return reply({ items: roles })
    if (method === 'PATCH') {
      const r = roles.find((x) => url.endsWith('/' + x.id))!
      r.permissions = body.permissions
      return reply(r)
    }
    if (method === 'POST') {
      const r = { ...viewer, id: 9, name: body.name, name_zh: body.name_zh, permissions: [] }
      roles.push(r)
      return reply(r, 201)
    }
    if (refuseDelete) return reply({ error: { code: 'conflict', message: 'the role "Reports viewer" is held by 1 staff member(s) (user 12); give them another role first' } }, 409)
    return reply(undefined, 204)
  }))
}

function page(locale = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(RolesPage, { global: { plugins: [i18n] } })
}

afterEach(() => vi.unstubAllGlobals())

describe('RolesPage', () => {
  it('shows every permission against the built-in presets and the custom roles', async () => {
    serve([{ ...viewer }], [])
    const w = page()
    await flushPromises()
    const box = (sel: string) => w.find<HTMLInputElement>(sel).element
    expect(box('[data-test="perm-5-reports.all"]').checked).toBe(true)
    expect(box('[data-test="perm-5-tickets.reply"]').checked).toBe(false)
    // 18 permissions, one row each, and four fixed built-in columns.
    const rows = w.findAll('tbody tr:not(.group)')
    expect(rows).toHaveLength(18)
    const reply = rows.find((r) => r.text().includes('tickets.reply'))!
    const builtIn = reply.findAll<HTMLInputElement>('td.builtin input').map((i) => [i.element.checked, i.element.disabled])
    expect(builtIn).toEqual([[true, true], [true, true], [true, true], [false, true]])  // light agents do not reply
    expect(w.find('[data-test=role-col-5]').text()).toContain('Reports viewer')
  })

  it('saves a changed role with its permissions in the matrix order', async () => {
    const sent: [string, string, unknown][] = []
    serve([{ ...viewer }], sent)
    const w = page()
    await flushPromises()
    expect(w.find('[data-test=roles-save]').attributes('disabled')).toBeDefined()
    await w.find('[data-test="perm-5-tickets.note"]').setValue(true)
    await w.find('[data-test="perm-5-reports.all"]').setValue(false)
    await w.find('[data-test=roles-save]').trigger('click')
    await flushPromises()
    const patchCall = sent.find(([m]) => m === 'PATCH')!
    expect(patchCall[1]).toBe('/api/v1/roles/5')
    expect(patchCall[2]).toEqual({ permissions: ['tickets.view_all', 'tickets.note'] })
    expect(w.find('[data-test=roles-saved]').text()).toBe('Saved')
  })

  it('adds a role with both names and no permission, in Chinese', async () => {
    const sent: [string, string, unknown][] = []
    serve([{ ...viewer }], sent)
    const w = page('zh-CN')
    await flushPromises()
    expect(w.find('h1').text()).toBe('角色')
    expect(w.find('[data-test=role-col-5]').text()).toContain('报表查看')
    expect(w.text()).toContain('公开回复')
    await w.find('input[data-test=role-name]').setValue('Notes and assign')
    await w.find('input[data-test=role-name-zh]').setValue('备注与分配')
    await w.find('[data-test=role-new]').trigger('submit')
    await flushPromises()
    expect(sent.find(([m]) => m === 'POST')![2]).toEqual({ name: 'Notes and assign', name_zh: '备注与分配', permissions: [] })
    expect(w.find('[data-test=role-col-9]').text()).toContain('备注与分配')
  })

  it('shows why a role still held is not deleted', async () => {
    serve([{ ...viewer }], [], true)
    vi.stubGlobal('confirm', () => true)
    const w = page()
    await flushPromises()
    await w.find('[data-test=role-remove-5]').trigger('click')
    await flushPromises()
    expect(w.find('[data-test=roles-error]').text()).toContain('held by 1 staff member')
    expect(w.find('[data-test=role-col-5]').exists()).toBe(true)
  })
})
