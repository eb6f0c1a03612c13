import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { i18n, setLocale } from '../../../i18n'
import { resourceByName } from '../../../lib/admin'
import AdminResource from './AdminResource.vue'

const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const stubs = { 'el-button': { template: '<button :type="nativeType || \'button\'" @click="$emit(\'click\')"><slot /></button>', props: ['nativeType'] } }

describe('admin settings page', () => {
  beforeEach(() => setLocale('en'))

  it('lists, refuses a blank required field, then adds and lists again', async () => {
    const items = [{ id: 1, name: 'Sales', description: '' }]
    const calls: [string, string][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push([init?.method ?? 'GET', url])
      if (init?.method === 'POST') {
        const b = JSON.parse(String(init.body))
        items.push({ id: 2, ...b })
        return reply(items[1], 201)
      }
      return reply({ items })
    }))
    const w = mount(AdminResource, { props: { spec: resourceByName('departments')! }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    expect(w.find('[data-test=admin-row-1]').text()).toContain('Sales')
    await w.find('[data-test=admin-add]').trigger('click')
    await w.find('[data-test=admin-form]').trigger('submit')
    await flushPromises()
    expect(w.find('[data-test=admin-form]').text()).toContain('Required')
    expect(calls.filter(([m]) => m === 'POST')).toHaveLength(0)
    await w.find('[data-test=admin-field-name]').setValue('售后')
    await w.find('[data-test=admin-form]').trigger('submit')
    await flushPromises()
    expect(calls).toContainEqual(['POST', '/api/v1/departments'])
    expect(w.find('[data-test=admin-row-2]').text()).toContain('售后')
    expect(w.find('[data-test=admin-form]').exists()).toBe(false)
  })

  it('puts the API error next to the field it names', async () => {
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'PATCH'
        ? reply({ error: { code: 'invalid_argument', message: 'unknown field "colour"', field: 'conditions.all[0].field' } }, 400)
        : reply({ items: [{ id: 4, name: 'Rule', position: 1, active: true, conditions: { all: [], any: [] }, actions: [] }] })))
    const w = mount(AdminResource, { props: { spec: resourceByName('triggers')! }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    await w.find('[data-test=admin-edit-4]').trigger('click')
    await w.find('[data-test=admin-form]').trigger('submit')
    await flushPromises()
    const box = w.find('[data-test=admin-field-conditions]').element.parentElement!
    expect(box.textContent).toContain('conditions.all[0].field: unknown field "colour"')
  })

  it('says plainly when the viewer may not see settings', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ error: { code: 'permission_denied', message: 'admins only' } }, 403)))
    const w = mount(AdminResource, { props: { spec: resourceByName('webhooks')! }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    expect(w.find('[role=alert]').text()).toBe('Only administrators may see this')
  })
})
