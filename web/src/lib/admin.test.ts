import { describe, expect, it } from 'vitest'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import { FormError, agentsDeclaration, cell, formFromItem, keyedPath, listColumns, payloadFromForm, type Declaration } from './admin'
import { fixtureDeclarations } from './declaration_fixtures'

const byName = (name: string) => [agentsDeclaration, ...fixtureDeclarations].find((d) => d.name === name)!
const opt = (group: Record<string, string>, value: string) => group[value.replace(/^-/, 'desc_').replace(/[.-]/g, '_')]

// A custom field, as the server declares it (create-only key and type, JSON options).
const fields: Declaration = {
  name: 'fields', noun: 'field', title: { en: 'Custom fields', 'zh-CN': '自定义字段' }, path: '/api/v1/custom-fields',
  read: 'signed_in', write: 'admins', personal: false, paged: false, body_field: null,
  operations: { list: true, get: true, create: true, update: 'PATCH', remove: false },
  fields: [
    { key: 'id', kind: 'id', label: { en: 'ID', 'zh-CN': '编号' }, required: false, create_only: false, read_only: true, nullable: false },
    { key: 'key', kind: 'text', label: { en: 'Key', 'zh-CN': '键' }, required: true, create_only: true, read_only: false, nullable: false },
    { key: 'type', kind: 'choice', label: { en: 'Type', 'zh-CN': '类型' }, choices: ['text', 'dropdown'], required: true, create_only: true, read_only: false, nullable: false },
    { key: 'label', kind: 'text', label: { en: 'Label', 'zh-CN': '标签' }, required: true, create_only: false, read_only: false, nullable: false },
    { key: 'options', kind: 'json', label: { en: 'Options', 'zh-CN': '选项' }, required: false, create_only: false, read_only: false, nullable: false, default: [] },
    { key: 'position', kind: 'integer', label: { en: 'Position', 'zh-CN': '排序' }, minimum: -100000, maximum: 100000, required: false, create_only: false, read_only: false, nullable: false },
    { key: 'active', kind: 'boolean', label: { en: 'Active', 'zh-CN': '启用' }, required: false, create_only: false, read_only: false, nullable: false, default: true },
  ],
}

describe('admin forms from declarations', () => {
  it('name every choice in words in both languages (brand names aside)', () => {
    for (const d of [agentsDeclaration, ...fixtureDeclarations])
      for (const f of d.fields)
        for (const c of f.choices ?? [])
          if (!['wecom', 'dingtalk', 'feishu', 'slack', 'en', 'zh-CN'].includes(c)) {
            expect(opt(en.admin.opt, c), d.name + '.' + f.key + '=' + c).toBeTruthy()
            expect(opt(zh.admin.opt, c), d.name + '.' + f.key + '=' + c).toBeTruthy()
          }
  })

  it('turns a trigger into a form and back, JSON kept as JSON', () => {
    const d = byName('triggers')
    const item = { id: 3, name: 'Outage', position: 1, active: true,
      conditions: { all: [{ field: 'priority', operator: 'is', value: 'high' }], any: [] },
      actions: [{ type: 'add_tags', tags: ['x'] }] }
    const form = formFromItem(d, item)
    expect(form.name).toBe('Outage')
    expect(form.position).toBe('1')
    expect(JSON.parse(String(form.conditions))).toEqual(item.conditions)
    expect(payloadFromForm(d, form, false)).toEqual({ name: 'Outage', position: 1, active: true, conditions: item.conditions, actions: item.actions })
  })

  it('says which field is wrong: required, bad JSON, not a number, out of range', () => {
    const blank = formFromItem(fields, null)
    expect(blank.active).toBe(true)
    expect(blank.options).toBe('[]')
    expect(() => payloadFromForm(fields, blank, true)).toThrow(FormError)
    const bad = (form: Record<string, string | boolean>) => {
      try {
        payloadFromForm(fields, { ...blank, key: 'k', type: 'text', label: 'L', ...form }, true)
      } catch (e) {
        return e
      }
      return null
    }
    expect(bad({ options: '{oops' })).toMatchObject({ field: 'options', reason: 'json' })
    expect(bad({ position: '1.5' })).toMatchObject({ field: 'position', reason: 'number' })
    expect(bad({ position: '100001' })).toMatchObject({ field: 'position', reason: 'range' })
  })

  it('leaves out blank optional fields, and create-only fields when changing', () => {
    const body = payloadFromForm(fields, { label: 'L', options: '', position: '', active: true }, false)
    expect(body).toEqual({ label: 'L', active: true })
    const created = payloadFromForm(fields, { key: 'k', type: 'text', label: 'L', options: '[]', active: true }, true)
    expect(created).toEqual({ key: 'k', type: 'text', label: 'L', options: [], active: true })
  })

  it('clears a reference with null, never sends a blank secret, splits lists', () => {
    const hooks = byName('webhooks')
    const body = payloadFromForm(hooks, { url: 'https://x', events: 'ticket.created, message.added', department: '', secret: '', active: true }, false)
    expect(body).toEqual({ url: 'https://x', events: ['ticket.created', 'message.added'], department: null, active: true })
  })

  it('puts grouped fields in their group', () => {
    const sla = byName('sla-policies')
    const form = formFromItem(sla, { id: 2, name: 'VIP', position: 1, calendar: 4, conditions: {}, targets: { first_response_minutes: 30, next_response_minutes: null, resolution_minutes: 240 }, warning_minutes: null, active: true })
    expect(form.first_response_minutes).toBe('30')
    expect(form.calendar).toBe('4')
    const body = payloadFromForm(sla, form, false) as Record<string, unknown>
    expect(body.targets).toEqual({ first_response_minutes: 30, next_response_minutes: null, resolution_minutes: 240 })
    expect(body.calendar).toBe(4)
  })

  it('sends a calendar as its definition itself', () => {
    const cal = byName('calendars')
    const spec = { name: 'SH', time_zone: 'Asia/Shanghai', weekly_hours: {} }
    expect(payloadFromForm(cal, formFromItem(cal, { id: 1, name: 'SH', spec }), false)).toEqual(spec)
  })

  it('lists short fields and names referenced items', () => {
    expect(listColumns(byName('mailboxes')).map((c) => c.key)).toEqual(['id', 'address', 'department', 'imap_host', 'imap_port', 'imap_tls'])
    expect(cell(3, new Map([[3, 'Sales']]))).toBe('Sales')
    expect(cell(['a', 'b'])).toBe('a, b')
    expect(cell(null)).toBe('')
  })

  it('keeps a nullable boolean unset (inherited) apart from yes and no, and finds a keyed item', () => {
    const mail = {
      ...agentsDeclaration, name: 'mail_settings', path: '/api/v1/mail/settings', keyed: { by: 'departments', defaults: 'default' },
      fields: [{ ...agentsDeclaration.fields[7], key: 'acknowledge', nullable: true }],
    } as Declaration
    expect(formFromItem(mail, { id: 1, acknowledge: null })).toEqual({ acknowledge: '' })
    expect(formFromItem(mail, { id: 1, acknowledge: false })).toEqual({ acknowledge: 'false' })
    expect(payloadFromForm(mail, { acknowledge: '' }, false)).toEqual({ acknowledge: null })
    expect(payloadFromForm(mail, { acknowledge: 'true' }, false)).toEqual({ acknowledge: true })
    expect(keyedPath(mail, 'default')).toBe('/mail/settings/default')
    expect(keyedPath({ ...mail, path: '/api/v1/departments/{id}/assignment' }, 3)).toBe('/departments/3/assignment')
  })
})
