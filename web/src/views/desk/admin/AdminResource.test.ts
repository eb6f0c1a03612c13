import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { i18n, setLocale } from '../../../i18n'
import type { Declaration } from '../../../lib/admin'
import { fixtureDeclarations } from '../../../lib/declaration_fixtures'
import AdminResource from './AdminResource.vue'

const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const stubs = { 'el-button': { template: '<button :type="nativeType || \'button\'" @click="$emit(\'click\')"><slot /></button>', props: ['nativeType'] } }
const field = { required: false, create_only: false, read_only: false, nullable: false }
const words = (en: string, zh: string) => ({ en, 'zh-CN': zh })
const departments: Declaration = {
  name: 'departments', noun: 'department', title: words('Departments', '部门'), path: '/api/v1/departments',
  read: 'agents', write: 'admins', personal: false, paged: false, body_field: null,
  operations: { list: true, get: true, create: true, update: 'PATCH', remove: false },
  fields: [{ ...field, key: 'id', kind: 'id', label: words('ID', '编号'), read_only: true },
    { ...field, key: 'name', kind: 'text', label: words('Name', '名称'), required: true },
    { ...field, key: 'description', kind: 'long_text', label: words('Description', '说明') }],
}
const forms: Declaration = {
  ...departments, name: 'forms', noun: 'form', title: words('Ticket forms', '工单表单'), path: '/api/v1/forms',
  fields: [{ ...field, key: 'id', kind: 'id', label: words('ID', '编号'), read_only: true },
    { ...field, key: 'name', kind: 'text', label: words('Name', '名称'), required: true },
    { ...field, key: 'department', kind: 'reference', label: words('Department', '部门'), references: 'departments', nullable: true }],
}
const all = [departments, forms, ...fixtureDeclarations]
const triggers = fixtureDeclarations.find((d) => d.name === 'triggers')!

describe('admin settings page', () => {
  beforeEach(() => setLocale('en'))

  it('lists, refuses a blank required field, then adds and lists again', async () => {
    const items = [{ id: 1, name: 'Sales', description: '' }]
    const calls: [string, string][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push([init?.method ?? 'GET', url])
      if (init?.method === 'POST') {
        items.push({ id: 2, ...JSON.parse(String(init.body)) })
        return reply(items[1], 201)
      }
      return reply({ items })
    }))
    const w = mount(AdminResource, { props: { decl: departments, all }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    expect(w.find('h1').text()).toBe('Departments')
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

  it('saves an existing mail channel: encryption is a select of tls, starttls or none', async () => {
    const mailboxes = fixtureDeclarations.find((d) => d.name === 'mailboxes')!
    const box = { id: 3, address: 'help@example.cn', department: null, imap_host: 'imap.example.cn', imap_port: 993, imap_tls: 'tls',
      imap_user: 'help', has_password: true, imap_folder: 'INBOX', poll_seconds: 60, after_fetch: 'seen', move_to: '',
      smtp_host: 'smtp.example.cn', smtp_port: 587, smtp_tls: 'starttls', smtp_user: 'help', has_smtp_password: true,
      acknowledge: true, trusted: false, active: true }
    const sent: [string, Record<string, unknown>][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        sent.push([url, JSON.parse(String(init.body))])
        return reply({ ...box, ...sent[0][1] })
      }
      return reply({ items: url.includes('mailboxes') ? [box] : [] })
    }))
    const w = mount(AdminResource, { props: { decl: mailboxes, all }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    await w.find('[data-test=admin-edit-3]').trigger('click')
    const tls = w.find('[data-test=admin-field-smtp_tls]')
    expect(tls.element.tagName).toBe('SELECT')
    expect(tls.findAll('option').map((o) => o.attributes('value'))).toEqual(expect.arrayContaining(['tls', 'starttls', 'none']))
    await tls.setValue('none')
    await w.find('[data-test=admin-form]').trigger('submit')
    await flushPromises()
    expect(sent[0][0]).toBe('/api/v1/mailboxes/3')
    expect(sent[0][1]).toMatchObject({ imap_tls: 'tls', smtp_tls: 'none' })
    expect(sent[0][1]).not.toHaveProperty('smtp_password')
    expect(w.find('[data-test=admin-form]').exists()).toBe(false)
  })

  it('offers referenced items by name and shows them by name, in Chinese too', async () => {
    setLocale('zh-CN')
    vi.stubGlobal('fetch', vi.fn(async (url: string) =>
      url.endsWith('/departments') ? reply({ items: [{ id: 7, name: '售后服务' }] }) : reply({ items: [{ id: 1, name: 'Repair', department: 7 }] })))
    const w = mount(AdminResource, { props: { decl: forms, all }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    expect(w.find('h1').text()).toBe('工单表单')
    expect(w.find('[data-test=admin-row-1]').text()).toContain('售后服务')
    await w.find('[data-test=admin-edit-1]').trigger('click')
    const select = w.find('[data-test=admin-field-department]')
    expect(select.element.tagName).toBe('SELECT')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['—', '售后服务'])
    expect((select.element as HTMLSelectElement).value).toBe('7')
    expect(w.find('[data-test=admin-form]').text()).toContain('部门')
  })

  it('puts the API error on the row of the rule it names, and in the raw JSON under "advanced"', async () => {
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) =>
      init?.method === 'PATCH'
        ? reply({ error: { code: 'invalid_argument', message: 'unknown field "colour"', field: 'conditions.all[0].field' } }, 400)
        : reply({ items: url.includes('/triggers') ? [{ id: 4, name: 'Rule', position: 1, active: true, conditions: { all: [{ field: 'colour', operator: 'is', value: 'red' }], any: [] }, actions: [] }] : [] })))
    const w = mount(AdminResource, { props: { decl: triggers, all }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    await w.find('[data-test=admin-edit-4]').trigger('click')
    await w.find('[data-test=admin-form]').trigger('submit')
    await flushPromises()
    const row = w.find('[data-test=cond-all-0]')
    expect(row.classes()).toContain('bad')
    expect(row.text()).toContain('conditions.all[0].field: unknown field "colour"')
    await w.find('[data-test=admin-advanced-conditions]').setValue(true)
    const box = w.find('[data-test=admin-json-conditions]')
    expect(box.find('textarea').exists()).toBe(true)
    expect(box.text()).toContain('conditions.all[0].field: unknown field "colour"')
  })

  it('builds a trigger from lists of the real statuses, agents and tags, and saves it as the API JSON', async () => {
    const sent: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        sent.push(JSON.parse(init.body as string))
        return reply({ id: 9 }, 201)
      }
      if (url.includes('/statuses')) return reply({ items: [{ id: 1, name: 'Open', name_zh: '处理中' }, { id: 2, name: 'Solved', name_zh: '已解决' }] })
      if (url.includes('/agents')) return reply({ items: [{ id: 12, name: '王芳', email: 'wang@example.cn' }] })
      return reply({ items: [] })
    }))
    setLocale('zh-CN')
    const w = mount(AdminResource, { props: { decl: triggers, all }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    await w.find('[data-test=admin-add]').trigger('click')
    await w.find('[data-test=admin-field-name]').setValue('Solved by Wang')
    await w.find('[data-test=cond-add-all]').trigger('click')
    const value = w.find('[data-test=cond-all-0] [data-test=cond-value]')
    expect(value.findAll('option').map((o) => o.text())).toEqual(['—', '处理中', '已解决'])
    await w.find('[data-test=cond-all-0] [data-test=cond-operator]').setValue('changed_to')
    await value.setValue('Solved')
    await w.find('[data-test=act-add]').trigger('click')
    await w.find('[data-test=act-0] [data-test=act-type]').setValue('assign')
    await w.find('[data-test=act-0] [data-test=act-agent]').setValue('12')
    await w.find('[data-test=act-add]').trigger('click')
    await w.find('[data-test=act-1] [data-test=act-type]').setValue('add_tags')
    await w.find('[data-test=act-1] [data-test=act-tags]').setValue('vip, 回访')
    await w.find('[data-test=admin-form]').trigger('submit')
    await flushPromises()
    expect(sent[0]).toMatchObject({
      name: 'Solved by Wang',
      conditions: { all: [{ field: 'status', operator: 'changed_to', value: 'Solved' }], any: [] },
      actions: [{ type: 'assign', agent: '12' }, { type: 'add_tags', tags: ['vip', '回访'] }],
    })
    setLocale('en')
  })

  it('says plainly when the viewer may not see settings', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ error: { code: 'permission_denied', message: 'admins only' } }, 403)))
    const w = mount(AdminResource, { props: { decl: triggers, all }, global: { plugins: [i18n], stubs } })
    await flushPromises()
    expect(w.find('[role=alert]').text()).toBe('Only administrators may see this')
  })
})
