import { describe, expect, it } from 'vitest'
import { historyLines, type HistoryEvent, type HistoryNames } from './history'

const words: Record<string, string> = {
  'priority.normal': 'Normal', 'priority.urgent': 'Urgent', 'list.priority': 'priority', 'list.status': 'status',
  'list.assignee': 'assignee', 'ticket.department': 'department', 'history.via.sla': 'The SLA clock',
  'history.metric.resolution': 'resolution',
}
const t = (k: string) => words[k] ?? k
const names: HistoryNames = {
  statuses: [{ name: 'Open', label: '处理中' }, { name: 'Solved', label: '已解决' }],
  departments: new Map([['3', '售后']]),
  people: new Map([['12', '王芳'], ['40', '赵女士']]),
  organizations: new Map(),
  fields: [{ key: 'model', label: '型号', options: new Map([['x100', 'X100 打印机']]) }],
}
const wang = { id: 12, name: '王芳' }
const ev = (field: string, old: string | null, now: string | null, extra: Partial<HistoryEvent> = {}): HistoryEvent =>
  ({ field, old, new: now, via: 'web', actor: wang, ...extra })

describe('history in words', () => {
  it('names the values: priorities, statuses, departments and people', () => {
    expect(historyLines(ev('priority', 'normal', 'urgent'), names, t)).toEqual([
      { key: 'history.changed', args: { actor: '王芳', field: 'priority', from: 'Normal', to: 'Urgent' } }])
    expect(historyLines(ev('status', 'Open', 'Solved'), names, t)[0].args).toMatchObject({ from: '处理中', to: '已解决' })
    expect(historyLines(ev('department', null, '3'), names, t)).toEqual([
      { key: 'history.set', args: { actor: '王芳', field: 'department', to: '售后' } }])
    expect(historyLines(ev('assignee', '12', null), names, t)).toEqual([
      { key: 'history.cleared', args: { actor: '王芳', field: 'assignee', from: '王芳' } }])
    expect(historyLines(ev('assignee', null, '99'), names, t)[0].args.to).toBe('#99')
  })

  it('says who started and stopped following', () => {
    expect(historyLines(ev('followers', null, '40'), names, t)).toEqual([
      { key: 'history.followerAdded', args: { actor: '王芳', name: '赵女士' } }])
    expect(historyLines(ev('followers', '40', null), names, t)[0].key).toBe('history.followerRemoved')
  })

  it('gives each changed custom field its own line, by label and option label', () => {
    const lines = historyLines(ev('custom_fields', '{"model":"a1","keep":1}', '{"keep":1,"model":"x100"}'), names, t)
    expect(lines).toEqual([{ key: 'history.changed', args: { actor: '王芳', field: '型号', from: 'a1', to: 'X100 打印机' } }])
  })

  it('names the system when no person acted', () => {
    expect(historyLines(ev('sla_breach', null, 'resolution', { actor: null, via: 'sla' }), names, t)).toEqual([
      { key: 'history.sla_breach', args: { metric: 'resolution' } }])
    expect(historyLines(ev('trigger', null, 'VIP first', { actor: null, via: 'rule' }), names, t)).toEqual([
      { key: 'history.trigger', args: { actor: 'history.via.rule', value: 'VIP first' } }])
  })
})
