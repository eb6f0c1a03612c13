// A ticket's history in words: each recorded change (field, old, new as the server stores them:
// statuses and SLA policies by name, departments, agents and followers by id, custom fields as
// JSON) becomes a sentence with names, as an i18n key and its arguments the page words.
import type { Line } from './macro_preview'

export interface HistoryEvent {
  field: string
  old: string | null
  new: string | null
  via: string
  actor: { id: number; name?: string; email?: string } | null
}
export interface HistoryNames {
  statuses: { name: string; label: string }[]
  departments: Map<string, string>
  people: Map<string, string>
  organizations: Map<string, string>
  fields: { key: string; label: string; options: Map<string, string> }[]
}
type T = (key: string, args?: Record<string, unknown>) => string

// The fields whose value is a word of the desk (priority.urgent) or a name to look up.
const kWord: Record<string, string> = { priority: 'priority.', type: 'type.' }

function value(field: string, v: string | null, names: HistoryNames, t: T): string {
  if (v === null || v === '') return ''
  if (kWord[field]) return t(kWord[field] + v)
  if (field === 'status') return names.statuses.find((s) => s.name === v)?.label || v
  if (field === 'department') return names.departments.get(v) ?? '#' + v
  if (field === 'assignee' || field === 'followers') return names.people.get(v) ?? '#' + v
  if (field === 'organization') return names.organizations.get(v) ?? '#' + v
  return v
}

function parseObject(text: string | null): Record<string, unknown> {
  try {
    const v = JSON.parse(text ?? '{}')
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
  } catch {
    return {}
  }
}

function fieldValue(v: unknown, options: Map<string, string>): string {
  if (v === null || v === undefined || v === '') return ''
  if (Array.isArray(v)) return v.map((x) => options.get(String(x)) ?? String(x)).join(', ')
  return options.get(String(v)) ?? String(v)
}

// One sentence for each changed key of the custom fields, by the field's label.
function customFieldLines(e: HistoryEvent, names: HistoryNames, actor: string): Line[] {
  const before = parseObject(e.old)
  const after = parseObject(e.new)
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  const lines: Line[] = []
  for (const key of keys) {
    if (JSON.stringify(before[key] ?? null) === JSON.stringify(after[key] ?? null)) continue
    const def = names.fields.find((f) => f.key === key)
    const options = def?.options ?? new Map<string, string>()
    lines.push(change(actor, def?.label ?? key, fieldValue(before[key], options), fieldValue(after[key], options)))
  }
  return lines
}

function change(actor: string, field: string, from: string, to: string): Line {
  if (!from) return { key: 'history.set', args: { actor, field, to } }
  if (!to) return { key: 'history.cleared', args: { actor, field, from } }
  return { key: 'history.changed', args: { actor, field, from, to } }
}

const kFieldName: Record<string, string> = {
  subject: 'history.f.subject', status: 'list.status', priority: 'list.priority', type: 'ticket.type',
  department: 'ticket.department', assignee: 'list.assignee', organization: 'history.f.organization',
  tags: 'ticket.tags', sla_policy: 'history.f.sla_policy',
}
// Entries that are one fact rather than a change from one value to another.
const kFacts = new Set(['created', 'message', 'internal_note', 'call', 'assignment', 'trigger', 'automation', 'merged_from',
  'split_to', 'merged_into', 'sla_warning', 'sla_breach', 'sla_met', 'mail_sent', 'mail_not_sent', 'notified', 'webhook'])

// `code key=value …`: a server's code with its arguments; `rest` names the one argument that
// takes the rest of the text (a skill list, a rule's or a template's name may hold spaces).
function parseCode(part: string, rest: string[]): { code: string; args: Record<string, string> } {
  const [code, ...words] = part.trim().split(' ')
  const args: Record<string, string> = {}
  for (let i = 0; i < words.length; i++) {
    const at = words[i].indexOf('=')
    if (at < 1) continue
    const key = words[i].slice(0, at)
    if (rest.includes(key)) {
      args[key] = [words[i].slice(at + 1), ...words.slice(i + 1)].join(' ')
      break
    }
    args[key] = words[i].slice(at + 1)
  }
  return { code, args }
}

const kHow = ['round_robin', 'least_loaded', 'skill_based', 'queued']
const kWhy = ['ticket_created', 'agent_online', 'load_dropped', 'hours_began', 'offline_reassign', 'live_chat', 'department_changed', 'trigger', 'skills_changed']

// An automatic assignment's reason (`least_loaded open=0 cap=2; agent_online agent=4`) in
// words; a value from before the codes (English text) is shown as it is.
export function assignmentWords(value: string, names: HistoryNames, t: T): string {
  const [howPart, ...whyParts] = value.split('; ')
  const how = parseCode(howPart, ['skills'])
  if (!kHow.includes(how.code)) return value
  const person = (id?: string) => (id ? names.people.get(id) ?? '#' + id : '')
  const details: string[] = []
  if (how.args.after) details.push(t('history.how.after', { name: person(how.args.after) }))
  if (how.args.open !== undefined) details.push(t('history.how.open', { n: Number(how.args.open) }))
  if (how.args.cap !== undefined) details.push(t('history.how.cap', { n: Number(how.args.cap) }))
  if (how.args.skills) details.push(t('history.how.skills', { list: how.args.skills.split(',').join(', ') }))
  let text = t('history.how.' + how.code) + (details.length ? t('history.how.details', { list: details.join(t('history.how.comma')) }) : '')
  for (const part of whyParts) {
    const why = parseCode(part, ['rule'])
    const said = kWhy.includes(why.code) ? t('history.why.' + why.code, { name: person(why.args.agent), rule: why.args.rule ?? '' }) : part
    text += t('history.why.because', { why: said })
  }
  return text
}

// Why a trigger's mail was not sent (`no_assignee`, `no_mailbox template=<name>`), in words.
export function mailNotSentWords(value: string, t: T): string {
  const { code, args } = parseCode(value, ['template'])
  return ['template_gone', 'no_assignee', 'no_mailbox'].includes(code) ? t('history.mailNot.' + code, { template: args.template ?? '' }) : value
}

// A logged call (`inbound +86 138 0000 0000 missed`): its direction and outcome in words.
export function callWords(value: string, t: T): string {
  const words = value.trim().split(' ')
  if (words.length >= 3 && ['inbound', 'outbound'].includes(words[0]) &&
      ['answered', 'missed', 'voicemail', 'busy', 'failed'].includes(words[words.length - 1]))
    return [t('calls.direction.' + words[0]), words.slice(1, -1).join(' '), t('calls.outcome.' + words[words.length - 1])].join(' · ')
  return value
}

export function historyLines(e: HistoryEvent, names: HistoryNames, t: T): Line[] {
  const actor = e.via === 'triage' ? t('triage.byModel')
    : e.actor?.name || e.actor?.email || t('history.via.' + (['rule', 'sla', 'assignment', 'automation', 'email'].includes(e.via) ? e.via : 'system'))
  if (e.field === 'custom_fields') return customFieldLines(e, names, actor)
  if (e.field === 'followers') {
    const added = e.new !== null
    return [{ key: added ? 'history.followerAdded' : 'history.followerRemoved', args: { actor, name: value('followers', added ? e.new : e.old, names, t) } }]
  }
  if (e.field === 'link')
    return [{ key: e.new !== null ? 'history.linked' : 'history.unlinked', args: { actor, ticket: e.new ?? e.old ?? '' } }]
  if (e.field === 'sla_warning' || e.field === 'sla_breach' || e.field === 'sla_met')
    return [{ key: 'history.' + e.field, args: { metric: t('history.metric.' + (e.new ?? '')) } }]
  if (e.field === 'assignment') return [{ key: 'history.assignment', args: { actor, value: assignmentWords(e.new ?? '', names, t) } }]
  if (e.field === 'mail_not_sent') return [{ key: 'history.mail_not_sent', args: { actor, value: mailNotSentWords(e.new ?? '', t) } }]
  if (e.field === 'call') return [{ key: 'history.call', args: { actor, value: callWords(e.new ?? '', t) } }]
  if (kFacts.has(e.field)) return [{ key: 'history.' + e.field, args: { actor, value: e.new ?? '' } }]
  if (kFieldName[e.field])
    return [change(actor, t(kFieldName[e.field]), value(e.field, e.old, names, t), value(e.field, e.new, names, t))]
  return [change(actor, e.field, e.old ?? '', e.new ?? '')]
}
