import { describe, expect, it } from 'vitest'
import en from '../locales/en'
import { FormError, cell, formFromItem, payloadFromForm, resourceByName, resources } from './admin'

// A label of the English locale by key (the keys come from the resources' descriptions).
const label = (group: Record<string, string>, key: string): string | undefined => group[key]

describe('admin resources', () => {
  it('have a name and a label for every field in the locale', () => {
    for (const r of resources) {
      expect(label(en.admin.res, r.name)).toBeTruthy()
      for (const f of r.fields) expect(label(en.admin.f, f.key), r.name + '.' + f.key).toBeTruthy()
      for (const c of r.columns) expect(label(en.admin.f, c), r.name + '.' + c).toBeTruthy()
      // Enumerated values are shown in words; only brand names (chat bot formats) stay as they are.
      for (const f of r.fields)
        for (const o of f.options ?? [])
          if (!['wecom', 'dingtalk', 'feishu', 'slack'].includes(o))
            expect(label(en.admin.opt, o.replace(/^-/, 'desc_').replace(/[.-]/g, '_')), r.name + '.' + f.key + '=' + o).toBeTruthy()
    }
  })

  it('turns a trigger into a form and back, JSON kept as JSON', () => {
    const spec = resourceByName('triggers')!
    const item = { id: 3, name: 'Outage', position: 1, active: true,
      conditions: { all: [{ field: 'priority', operator: 'is', value: 'high' }], any: [] },
      actions: [{ type: 'add_tags', tags: ['x'] }] }
    const form = formFromItem(spec, item)
    expect(form.name).toBe('Outage')
    expect(form.position).toBe('1')
    expect(JSON.parse(String(form.conditions))).toEqual(item.conditions)
    const body = payloadFromForm(spec, form, false)
    expect(body).toEqual({ name: 'Outage', position: 1, active: true, conditions: item.conditions, actions: item.actions })
  })

  it('says which field is wrong: required, bad JSON, not a number', () => {
    const spec = resourceByName('triggers')!
    const blank = formFromItem(spec, null)
    expect(blank.active).toBe(true)
    expect(() => payloadFromForm(spec, blank, true)).toThrow(FormError)
    try {
      payloadFromForm(spec, { ...blank, name: 'n', conditions: '{oops', actions: '[]' }, true)
    } catch (e) {
      expect(e).toBeInstanceOf(FormError)
      expect(e).toMatchObject({ field: 'conditions', reason: 'json' })
    }
    try {
      payloadFromForm(spec, { ...blank, name: 'n', position: '1.5', conditions: '{}', actions: '[]' }, true)
    } catch (e) {
      expect(e).toMatchObject({ field: 'position', reason: 'number' })
    }
  })

  it('leaves out blank optional fields and create-only fields when changing', () => {
    const spec = resourceByName('fields')!
    const body = payloadFromForm(spec, { key: 'k', type: 'text', label: 'L', label_zh: '', options: '', position: '', active: true }, false)
    expect(body).toEqual({ label: 'L', active: true })
    const created = payloadFromForm(spec, { key: 'k', type: 'text', label: 'L', active: true }, true)
    expect(created).toEqual({ key: 'k', type: 'text', label: 'L', active: true })
  })

  it('clears a nullable id with null, never sends a blank password, splits lists', () => {
    const hooks = resourceByName('webhooks')!
    const body = payloadFromForm(hooks, { url: 'https://x', events: 'ticket.created, message.added', department: '', secret: '', active: true }, false)
    expect(body).toEqual({ url: 'https://x', events: ['ticket.created', 'message.added'], department: null, active: true })
  })

  it('sends a calendar as its definition itself', () => {
    const cal = resourceByName('calendars')!
    const spec = { name: 'SH', time_zone: 'Asia/Shanghai', weekly_hours: {} }
    const form = formFromItem(cal, { id: 1, name: 'SH', spec })
    expect(payloadFromForm(cal, form, false)).toEqual(spec)
  })

  it('keeps only saved views (numeric ids)', () => {
    const views = resourceByName('views')!
    expect([{ id: 'my_open' }, { id: 4 }].filter(views.filter!)).toEqual([{ id: 4 }])
    expect(cell({ id: 2, name: 'Sales' })).toBe('Sales')
    expect(cell(null)).toBe('')
  })
})
