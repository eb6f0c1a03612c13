// The vocabulary of rule bodies (triggers, automations, macros: see docs/api.md "Triggers"), so
// the settings build conditions and actions from lists instead of JSON: which ticket fields a
// rule names, the operators each field's type allows, the kinds of actions, and where each
// value's choices come from (the real statuses, departments, agents, custom fields …).
import type { DeclaredField } from './admin'

// Where a value's choices come from: one of the desk's lists, or fixed words.
export type Source =
  | 'statuses' | 'departments' | 'agents' | 'templates' | 'webhooks' | 'macros' | 'organizations'
  | 'priorities' | 'types' | 'categories' | 'channels' | 'updateTypes' | 'authorRoles' | 'metrics'
  | 'languages' | 'booleans' | 'customFields'
export type FactKind = 'text' | 'integer' | 'boolean' | 'list' | 'any'

export interface RuleField {
  name: string
  kind: FactKind
  source?: Source
  settable?: boolean
}

// The fields of src/domain/rule.cpp (kFields), in the order a reader looks for them.
export const RULE_FIELDS: RuleField[] = [
  { name: 'status', kind: 'text', source: 'statuses', settable: true },
  { name: 'status_category', kind: 'text', source: 'categories' },
  { name: 'priority', kind: 'text', source: 'priorities', settable: true },
  { name: 'type', kind: 'text', source: 'types', settable: true },
  { name: 'department', kind: 'text', source: 'departments', settable: true },
  { name: 'assignee', kind: 'text', source: 'agents', settable: true },
  { name: 'tags', kind: 'list' },
  { name: 'subject', kind: 'text' },
  { name: 'channel', kind: 'text', source: 'channels' },
  { name: 'language', kind: 'text', source: 'languages', settable: true },
  { name: 'organization', kind: 'text', source: 'organizations' },
  { name: 'organization.tier', kind: 'text' },
  { name: 'requester.email', kind: 'text' },
  { name: 'requester.name', kind: 'text' },
  { name: 'requester.language', kind: 'text', source: 'languages' },
  { name: 'ticket.number', kind: 'integer' },
  { name: 'update_type', kind: 'text', source: 'updateTypes' },
  { name: 'message.body', kind: 'text' },
  { name: 'message.subject', kind: 'text' },
  { name: 'message.internal', kind: 'boolean', source: 'booleans' },
  { name: 'message.author_role', kind: 'text', source: 'authorRoles' },
  { name: 'within_business_hours', kind: 'boolean', source: 'booleans' },
  { name: 'sla.breached', kind: 'boolean', source: 'booleans' },
  { name: 'sla.policy', kind: 'text' },
  { name: 'sla.metric', kind: 'text', source: 'metrics' },
]

export const FIXED: Partial<Record<Source, string[]>> = {
  priorities: ['low', 'normal', 'high', 'urgent'],
  types: ['question', 'incident', 'problem', 'task'],
  categories: ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'],
  channels: ['email', 'portal', 'web_form', 'api', 'web', 'phone', 'chat', 'im', 'social'],
  updateTypes: ['create', 'update', 'sla_warning', 'sla_breach', 'automation'],
  authorRoles: ['customer', 'agent', 'system'],
  metrics: ['first_response', 'next_response', 'resolution'],
  languages: ['en', 'zh-CN'],
  booleans: ['true', 'false'],
}

export const OPERATORS = [
  'is', 'is_not', 'in', 'not_in', 'contains', 'not_contains', 'regex', 'greater_than', 'less_than',
  'changed', 'changed_to', 'changed_from', 'present', 'absent',
] as const
export type Operator = (typeof OPERATORS)[number]

const NO_VALUE: Operator[] = ['changed', 'present', 'absent']
const LIST_VALUE: Operator[] = ['in', 'not_in']

// The operators rule.cpp accepts for a field of this kind.
export function operatorsFor(kind: FactKind): Operator[] {
  if (kind === 'list') return ['contains', 'not_contains', 'changed', 'present', 'absent']
  if (kind === 'boolean') return ['is', 'is_not', 'changed', 'changed_to', 'changed_from', 'present', 'absent']
  if (kind === 'integer') return ['is', 'is_not', 'in', 'not_in', 'greater_than', 'less_than', 'changed', 'changed_to', 'changed_from', 'present', 'absent']
  return OPERATORS.filter((o) => kind === 'any' || (o !== 'greater_than' && o !== 'less_than'))
}
export const takesValue = (op: string) => !NO_VALUE.includes(op as Operator)
export const takesList = (op: string) => LIST_VALUE.includes(op as Operator)

// The field named in a rule (custom_fields.<key> are any-typed, their choices the field's options).
export function ruleField(name: string): RuleField {
  const known = RULE_FIELDS.find((f) => f.name === name)
  if (known) return known
  if (name.startsWith('custom_fields.')) return { name, kind: 'any', source: 'customFields', settable: true }
  return { name, kind: 'text' }
}

// One condition as the editor holds it: the value as text (lists joined by commas).
export interface ConditionRow {
  field: string
  operator: string
  value: string
}
export interface Conditions {
  all: ConditionRow[]
  any: ConditionRow[]
}

function valueText(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (Array.isArray(v)) return v.map(String).join(', ')
  return String(v)
}

// The rule's conditions JSON → rows (anything unreadable is an empty rule; raw JSON stays
// editable under "advanced").
export function conditionsFromJson(v: unknown): Conditions {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>
  const rows = (list: unknown): ConditionRow[] =>
    (Array.isArray(list) ? list : []).map((c) => {
      const x = (c ?? {}) as Record<string, unknown>
      return { field: String(x.field ?? ''), operator: String(x.operator ?? 'is'), value: valueText(x.value) }
    })
  return { all: rows(o.all), any: rows(o.any) }
}

// A value typed as text → the JSON value the field's kind wants.
export function typedValue(field: string, operator: string, text: string): unknown {
  const f = ruleField(field)
  if (takesList(operator) || f.kind === 'list') {
    const items = text.split(/[,，]\s*/).map((s) => s.trim()).filter(Boolean)
    if (f.kind === 'list' && !takesList(operator) && items.length === 1) return items[0]
    return items
  }
  if (f.kind === 'integer' && /^-?\d+$/.test(text.trim())) return Number(text.trim())
  if (f.kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true'
  return text
}

export function conditionsToJson(c: Conditions): { all: unknown[]; any: unknown[] } {
  const out = (rows: ConditionRow[]) =>
    rows.map((r) => (takesValue(r.operator)
      ? { field: r.field, operator: r.operator, value: typedValue(r.field, r.operator, r.value) }
      : { field: r.field, operator: r.operator }))
  return { all: out(c.all), any: out(c.any) }
}

export const ACTION_TYPES = [
  'set_field', 'assign', 'add_tags', 'remove_tags', 'add_note', 'send_mail', 'notify', 'webhook', 'apply_macro',
] as const

// One action as the editor holds it: every member as text, lists joined by commas.
export interface ActionRow {
  type: string
  field: string
  value: string
  agent: string
  tags: string
  body: string
  template: string
  to: string
  agents: string[]
  id: string
}

export function blankAction(type = 'set_field'): ActionRow {
  return { type, field: 'status', value: '', agent: '', tags: '', body: '', template: '', to: 'requester', agents: [], id: '' }
}

export function actionsFromJson(v: unknown): ActionRow[] {
  return (Array.isArray(v) ? v : []).map((a) => {
    const x = (a ?? {}) as Record<string, unknown>
    const row = blankAction(String(x.type ?? 'set_field'))
    row.field = String(x.field ?? (row.type === 'set_field' ? 'status' : ''))
    row.value = valueText(x.value)
    row.agent = String(x.agent ?? '')
    row.tags = valueText(x.tags)
    row.body = String(x.body ?? '')
    row.template = String(x.template ?? '')
    row.to = String(x.to ?? 'requester')
    row.agents = Array.isArray(x.agents) ? x.agents.map(String) : []
    row.id = String(x.id ?? '')
    return row
  })
}

const tagList = (s: string) => s.split(/[,，\s]+/).map((t) => t.trim()).filter(Boolean)

export function actionsToJson(rows: ActionRow[]): unknown[] {
  return rows.map((r) => {
    switch (r.type) {
      case 'set_field': return { type: r.type, field: r.field, value: typedValue(r.field, 'is', r.value) }
      case 'assign': return { type: r.type, agent: r.agent }
      case 'add_tags':
      case 'remove_tags': return { type: r.type, tags: tagList(r.tags) }
      case 'add_note': return { type: r.type, body: r.body }
      case 'send_mail': return { type: r.type, template: r.template, to: r.to }
      case 'notify': return { type: r.type, agents: r.agents }
      default: return { type: r.type, id: r.id }
    }
  })
}

// The visual editor a JSON field gets, chosen by the shape of its declared schema:
// conditions ({all, any}), actions (a list named "actions"), a calendar (weekly_hours), an
// object of plain members (an SLA policy's conditions, an automation's "after"), rows of plain
// objects (a form's fields, a custom field's options, a mail template's variants), else JSON.
export type Editor = 'conditions' | 'actions' | 'calendar' | 'object' | 'rows' | 'json'

export interface Schema {
  type?: string
  enum?: string[]
  items?: Schema
  properties?: Record<string, Schema>
  required?: string[]
  minimum?: number
  maximum?: number
}

const plain = (s: Schema) =>
  !!s.enum || s.type === 'string' || s.type === 'integer' || s.type === 'boolean' ||
  (s.type === 'array' && !!s.items && (s.items.type === 'string' || s.items.type === 'integer'))

export function editorOf(f: DeclaredField): Editor {
  if (f.kind !== 'json') return 'json'
  const s = (f.schema ?? {}) as Schema
  const props = s.properties ?? {}
  if (props.all && props.any) return 'conditions'
  if (f.key === 'actions' && s.type === 'array') return 'actions'
  if (props.weekly_hours) return 'calendar'
  if (s.type === 'object' && Object.keys(props).length && Object.values(props).every(plain)) return 'object'
  const item = s.items?.properties
  if (s.type === 'array' && item && Object.keys(item).length && Object.values(item).every(plain)) return 'rows'
  return 'json'
}

// The desk list a member of a plain object takes its choices from, by its name.
export function sourceOfMember(name: string): Source | undefined {
  const by: Record<string, Source> = {
    department: 'departments', priority: 'priorities', type: 'types', language: 'languages',
    key: 'customFields', status: 'statuses', assignee: 'agents',
  }
  return by[name]
}
