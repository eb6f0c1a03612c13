import { describe, expect, it } from 'vitest'
import { previewLines, previewReply } from './macro_preview'

const t = (k: string) => ({ 'priority.urgent': 'Urgent', 'priority.normal': 'Normal', 'rules.f.status': 'Status', 'rules.f.priority': 'Priority' })[k] ?? k
const names = {
  statuses: [{ name: 'Open', label: '处理中' }, { name: 'Solved', label: '已解决' }],
  departments: new Map([['3', '售后']]),
  agents: new Map([['12', '王芳']]),
}
const ticket = { number: 42, subject: 'Printer', status: { name: 'Open' }, priority: 'normal', requester: { name: '赵女士', email: 'z@example.cn' } }

describe('macro preview', () => {
  it('says each change from the current value to the new one, by name', () => {
    const lines = previewLines([
      { type: 'set_field', field: 'status', value: 'Solved' },
      { type: 'set_field', field: 'priority', value: 'urgent' },
      { type: 'add_tags', tags: ['vip', 'phone'] },
      { type: 'assign', agent: '12' },
    ], ticket, names, t)
    expect(lines).toEqual([
      { key: 'macro.set', args: { field: 'Status', from: '处理中', to: '已解决' } },
      { key: 'macro.set', args: { field: 'Priority', from: 'Normal', to: 'Urgent' } },
      { key: 'macro.addTags', args: { tags: 'vip, phone' } },
      { key: 'macro.assign', args: { name: '王芳' } },
    ])
  })

  it('fills the ticket placeholders it knows and leaves the others to the server', () => {
    expect(previewReply('#{{ticket.number}} {{ requester.name }} {{assignee.name}}', ticket)).toBe('#42 赵女士 {{assignee.name}}')
  })
})
