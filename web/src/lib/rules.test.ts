import { describe, expect, it } from 'vitest'
import { actionsFromJson, actionsToJson, conditionsFromJson, conditionsToJson, editorOf, operatorsFor } from './rules'
import type { DeclaredField } from './admin'
import { fromMembers, toMembers } from './schema_form'

const field = (key: string, schema: unknown): DeclaredField =>
  ({ key, kind: 'json', label: { en: key, 'zh-CN': key }, required: false, create_only: false, read_only: false, nullable: false, schema }) as DeclaredField

describe('rule bodies', () => {
  it('turn conditions into rows and back, each value typed for its field and operator', () => {
    const json = {
      all: [{ field: 'priority', operator: 'in', value: ['high', 'urgent'] }, { field: 'ticket.number', operator: 'greater_than', value: 10 }],
      any: [{ field: 'tags', operator: 'contains', value: 'vip' }, { field: 'status', operator: 'changed' }, { field: 'sla.breached', operator: 'is', value: true }],
    }
    const rows = conditionsFromJson(json)
    expect(rows.all[0]).toEqual({ field: 'priority', operator: 'in', value: 'high, urgent' })
    expect(conditionsToJson(rows)).toEqual(json)
  })

  it('offer only the operators a field of its kind allows', () => {
    expect(operatorsFor('list')).not.toContain('is')
    expect(operatorsFor('text')).not.toContain('greater_than')
    expect(operatorsFor('integer')).toContain('greater_than')
  })

  it('turn every kind of action into a row and back', () => {
    const json = [
      { type: 'set_field', field: 'status', value: 'Solved' },
      { type: 'assign', agent: '12' },
      { type: 'add_tags', tags: ['vip', 'gold'] },
      { type: 'add_note', body: 'Escalated #{{ticket.number}}' },
      { type: 'send_mail', template: '4', to: 'assignee' },
      { type: 'notify', agents: ['assignee', '3'] },
      { type: 'webhook', id: '2' },
      { type: 'apply_macro', id: '7' },
    ]
    expect(actionsToJson(actionsFromJson(json))).toEqual(json)
  })

  it('choose the editor a JSON field gets from its schema', () => {
    expect(editorOf(field('conditions', { type: 'object', properties: { all: { type: 'array' }, any: { type: 'array' } } }))).toBe('conditions')
    expect(editorOf(field('actions', { type: 'array', items: { type: 'object' } }))).toBe('actions')
    expect(editorOf(field('spec', { type: 'object', properties: { weekly_hours: { type: 'object' } } }))).toBe('calendar')
    expect(editorOf(field('after', { type: 'object', properties: { amount: { type: 'integer' }, unit: { enum: ['hours'] } } }))).toBe('object')
    expect(editorOf(field('fields', { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, required: { type: 'boolean' } } } }))).toBe('rows')
    expect(editorOf(field('filters', { type: 'object' }))).toBe('json')
  })

  it('keep plain members typed and leave blank ones out', () => {
    const sla = { type: 'object', properties: { priority: { type: 'array', items: { type: 'string' } }, department: { type: 'array', items: { type: 'integer' } } } }
    const rows = fromMembers({ department: [3, 4] }, sla, false)
    expect(rows[0]).toEqual({ priority: '', department: '3, 4' })
    expect(toMembers(rows, sla, false)).toEqual({ department: [3, 4] })
    const form = { type: 'object', required: ['key'], properties: { key: { type: 'string' }, required: { type: 'boolean' } } }
    expect(toMembers(fromMembers([{ key: 'model', required: true }, { key: 'serial' }], form, true), form, true))
      .toEqual([{ key: 'model', required: true }, { key: 'serial' }])
  })
})
