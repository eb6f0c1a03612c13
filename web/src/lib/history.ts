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
type T = (key: string) => string

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
  if (kFacts.has(e.field)) return [{ key: 'history.' + e.field, args: { actor, value: e.new ?? '' } }]
  if (kFieldName[e.field])
    return [change(actor, t(kFieldName[e.field]), value(e.field, e.old, names, t), value(e.field, e.new, names, t))]
  return [change(actor, e.field, e.old ?? '', e.new ?? '')]
}
