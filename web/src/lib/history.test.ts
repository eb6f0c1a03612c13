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

  it('words the server codes: assignment reasons, mail not sent, calls, in both languages', async () => {
    const { createI18n } = await import('vue-i18n')
    const en = (await import('../locales/en')).default
    const zh = (await import('../locales/zh-CN')).default
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh } })
    const tr = (k: string, a?: Record<string, unknown>) => i18n.global.t(k, a ?? {})
    const said = (e: HistoryEvent) => {
      const [line] = historyLines(e, names, tr)
      return tr(line.key, line.args)
    }
    const auto = (v: string) => ev('assignment', null, v, { via: 'assignment', actor: null })
    expect(said(auto('least_loaded open=0 cap=2; ticket_created'))).toBe(
      'Assigned automatically: the least loaded agent (0 open tickets, at most 2); because the ticket was created')
    expect(said(auto('round_robin after=12 open=1; agent_online agent=40'))).toBe(
      'Assigned automatically: round robin (next in turn after 王芳, 1 open tickets); because 赵女士 came online')
    expect(said(auto('skill_based open=2 skills=language:zh-CN,field:model=x 100; trigger rule=Urgent round robin'))).toBe(
      'Assigned automatically: by skills (2 open tickets, skills language:zh-CN, field:model=x 100); because trigger “Urgent round robin” said so')
    expect(said(auto('queued; offline_reassign agent=12'))).toBe('Assigned automatically: back to the queue: nobody available; because 王芳 went offline')
    expect(said(auto('least loaded: 0 open ticket(s); reason: ticket created'))).toContain('least loaded: 0 open ticket(s)')  // before the codes
    expect(said(ev('mail_not_sent', null, 'no_mailbox template=Weekly digest', { via: 'rule' }))).toBe(
      'Mail not sent: no mailbox sends mail for this ticket (template “Weekly digest”)')
    expect(said(ev('call', null, 'inbound +86 138 0000 0000 missed'))).toBe('王芳 logged a call (Incoming · +86 138 0000 0000 · Missed)')
    i18n.global.locale.value = 'zh-CN'
    expect(said(auto('least_loaded open=0 cap=2; ticket_created'))).toBe('自动分配：分配给负载最少的客服（0 个未解决工单，上限 2 个）；原因：工单已创建')
    expect(said(ev('mail_not_sent', null, 'no_assignee', { via: 'rule' }))).toBe('邮件未发送：工单没有处理人')
    expect(said(ev('call', null, 'outbound 010-1234 answered'))).toBe('王芳 记录了一次通话（去电 · 010-1234 · 已接通）')
  })
})
