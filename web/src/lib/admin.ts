// The admin settings pages, described as data: one generic page (AdminResource.vue) lists, adds
// and edits every kind of setting the API offers, so a new kind is a few lines here, not a page.
export type FieldKind = 'text' | 'textarea' | 'number' | 'bool' | 'select' | 'json' | 'list' | 'password'

export interface FieldSpec {
  key: string
  kind: FieldKind
  options?: string[] // for select
  required?: boolean // on create
  createOnly?: boolean // sent only when adding (e.g. a field's key)
  nullable?: boolean // empty number/select → null
  placeholder?: string // JSON example for json fields (not translated: it is code)
}

export interface ResourceSpec {
  name: string // route segment and i18n key under admin.res
  path: string // API path under /api/v1
  columns: string[] // keys shown in the list
  fields: FieldSpec[]
  update?: 'PATCH' | 'PUT' | null // null: items cannot be changed
  remove?: boolean // DELETE offered
  filter?: (item: AdminItem) => boolean // which listed items are editable settings (saved views)
}

// An item of a resource's list as the API sends it, and the form's values for one.
export type AdminItem = { id: number | string } & Record<string, unknown>
export type AdminForm = Record<string, string | boolean | undefined>

// What names a nested object in a form or a cell: its id, else its name or email.
function field(v: object, key: string): unknown {
  return (v as Record<string, unknown>)[key]
}

const locales = ['en', 'zh-CN']
const roles = ['admin', 'supervisor', 'agent', 'light_agent']
const categories = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed']
const fieldTypes = ['text', 'long_text', 'number', 'decimal', 'date', 'checkbox', 'dropdown', 'multi_select']
const sorts = ['-updated_at', 'updated_at', '-created_at', 'created_at', '-priority']
const hookEvents = 'ticket.created, ticket.updated, message.added, sla.warning, sla.breach'

export const resources: ResourceSpec[] = [
  { name: 'departments', path: '/departments', columns: ['id', 'name', 'description'], update: 'PATCH',
    fields: [{ key: 'name', kind: 'text', required: true }, { key: 'description', kind: 'textarea' }] },
  { name: 'agents', path: '/agents', columns: ['id', 'name', 'email', 'role', 'active'], update: 'PATCH',
    fields: [
      { key: 'email', kind: 'text', required: true }, { key: 'name', kind: 'text' },
      { key: 'role', kind: 'select', options: roles }, { key: 'locale', kind: 'select', options: locales },
      { key: 'time_zone', kind: 'text' }, { key: 'password', kind: 'password' }, { key: 'active', kind: 'bool' },
    ] },
  { name: 'statuses', path: '/statuses', columns: ['id', 'name', 'name_zh', 'category', 'active'], update: 'PATCH',
    fields: [
      { key: 'name', kind: 'text', required: true }, { key: 'name_zh', kind: 'text' },
      { key: 'category', kind: 'select', options: categories, required: true },
      { key: 'position', kind: 'number' }, { key: 'active', kind: 'bool' },
    ] },
  { name: 'fields', path: '/custom-fields', columns: ['id', 'key', 'type', 'label', 'label_zh', 'active'], update: 'PATCH',
    fields: [
      { key: 'key', kind: 'text', required: true, createOnly: true },
      { key: 'type', kind: 'select', options: fieldTypes, required: true, createOnly: true },
      { key: 'label', kind: 'text', required: true }, { key: 'label_zh', kind: 'text' },
      { key: 'options', kind: 'json', placeholder: '[{"value": "a", "label": "A", "label_zh": "甲"}]' },
      { key: 'position', kind: 'number' }, { key: 'active', kind: 'bool' },
    ] },
  { name: 'forms', path: '/forms', columns: ['id', 'name', 'department', 'active'], update: 'PATCH',
    fields: [
      { key: 'name', kind: 'text', required: true }, { key: 'department', kind: 'number', nullable: true },
      { key: 'fields', kind: 'json', placeholder: '[{"field": 1, "required": true}]' }, { key: 'active', kind: 'bool' },
    ] },
  { name: 'views', path: '/views', columns: ['id', 'name', 'sort', 'shared'], update: 'PATCH', remove: true,
    filter: (v) => typeof v.id === 'number',
    fields: [
      { key: 'name', kind: 'text', required: true },
      { key: 'filters', kind: 'json', placeholder: '{"status_category": ["open"], "assignee": ["me"]}' },
      { key: 'sort', kind: 'select', options: sorts }, { key: 'shared', kind: 'bool' }, { key: 'position', kind: 'number' },
    ] },
  { name: 'mailboxes', path: '/mailboxes', columns: ['id', 'address', 'department', 'imap_host', 'active', 'last_error'], update: 'PATCH', remove: true,
    fields: [
      { key: 'address', kind: 'text', required: true }, { key: 'department', kind: 'number', nullable: true },
      { key: 'imap_host', kind: 'text' }, { key: 'imap_port', kind: 'number' }, { key: 'imap_tls', kind: 'bool' },
      { key: 'imap_user', kind: 'text' }, { key: 'imap_password', kind: 'password' }, { key: 'imap_folder', kind: 'text' },
      { key: 'poll_seconds', kind: 'number' }, { key: 'after_fetch', kind: 'select', options: ['seen', 'move', 'delete'] },
      { key: 'move_to', kind: 'text' }, { key: 'smtp_host', kind: 'text' }, { key: 'smtp_port', kind: 'number' },
      { key: 'smtp_tls', kind: 'bool' }, { key: 'smtp_user', kind: 'text' }, { key: 'smtp_password', kind: 'password' },
      { key: 'acknowledge', kind: 'bool' }, { key: 'trusted', kind: 'bool' }, { key: 'active', kind: 'bool' },
    ] },
  { name: 'calendars', path: '/calendars', columns: ['id', 'name'], update: 'PUT', remove: true,
    fields: [{ key: 'spec', kind: 'json', required: true,
      placeholder: '{"name": "Shanghai", "time_zone": "Asia/Shanghai", "weekly_hours": {"mon": ["09:00-18:00"]}, "holidays": []}' }] },
  { name: 'sla', path: '/sla-policies', columns: ['id', 'name', 'position', 'calendar', 'active'], update: 'PATCH', remove: true,
    fields: [
      { key: 'name', kind: 'text', required: true }, { key: 'position', kind: 'number' },
      { key: 'calendar', kind: 'number', nullable: true },
      { key: 'conditions', kind: 'json', placeholder: '{"priority": ["urgent", "high"]}' },
      { key: 'targets', kind: 'json', required: true, placeholder: '{"first_response_minutes": 60, "resolution_minutes": 480}' },
      { key: 'warning_minutes', kind: 'number' }, { key: 'active', kind: 'bool' },
    ] },
  { name: 'triggers', path: '/triggers', columns: ['id', 'name', 'position', 'active'], update: 'PATCH', remove: true,
    fields: [
      { key: 'name', kind: 'text', required: true }, { key: 'position', kind: 'number' }, { key: 'active', kind: 'bool' },
      { key: 'conditions', kind: 'json', required: true, placeholder: '{"all": [{"field": "update_type", "operator": "is", "value": "create"}], "any": []}' },
      { key: 'actions', kind: 'json', required: true, placeholder: '[{"type": "add_tags", "tags": ["new"]}]' },
    ] },
  { name: 'macros', path: '/macros', columns: ['id', 'name', 'shared'], update: 'PATCH', remove: true,
    fields: [
      { key: 'name', kind: 'text', required: true }, { key: 'shared', kind: 'bool' },
      { key: 'actions', kind: 'json', placeholder: '[{"type": "set_field", "field": "status", "value": "Solved"}]' },
      { key: 'reply', kind: 'textarea' }, { key: 'reply_internal', kind: 'bool' },
    ] },
  { name: 'webhooks', path: '/webhooks', columns: ['id', 'url', 'format', 'active'], update: 'PATCH', remove: true,
    fields: [
      { key: 'url', kind: 'text', required: true }, { key: 'events', kind: 'list', required: true, placeholder: hookEvents },
      { key: 'format', kind: 'select', options: ['json', 'wecom', 'dingtalk', 'feishu', 'slack'] },
      { key: 'department', kind: 'number', nullable: true }, { key: 'description', kind: 'text' },
      { key: 'template', kind: 'text' }, { key: 'secret', kind: 'password' }, { key: 'active', kind: 'bool' },
    ] },
]

export function resourceByName(name: string): ResourceSpec | undefined {
  return resources.find((r) => r.name === name)
}

// The form's values for an item (or a blank one): JSON fields as indented text, lists joined.
export function formFromItem(spec: ResourceSpec, item: AdminItem | null): AdminForm {
  const form: AdminForm = {}
  for (const f of spec.fields) {
    let v = item ? item[f.key] : undefined
    if (spec.name === 'calendars' && f.key === 'spec' && item) v = item.spec
    if (f.kind === 'json') form[f.key] = v === undefined || v === null ? '' : JSON.stringify(v, null, 2)
    else if (f.kind === 'list') form[f.key] = Array.isArray(v) ? v.join(', ') : ''
    else if (f.kind === 'bool') form[f.key] = v === undefined ? (f.key === 'active' && !item ? true : undefined) : !!v
    else if (f.kind === 'password') form[f.key] = ''
    else if (f.kind === 'number') form[f.key] = v === undefined || v === null ? '' : typeof v === 'object' ? String(field(v, 'id') ?? '') : String(v)
    else form[f.key] = v === undefined || v === null ? '' : typeof v === 'object' ? String(field(v, 'id') ?? field(v, 'name') ?? '') : String(v)
  }
  return form
}

export class FormError extends Error {
  constructor(public field: string, public reason: 'required' | 'json' | 'number') {
    super(reason)
  }
}

// The request body for the form: blank optional fields left out (so PATCH keeps them), JSON
// parsed, numbers checked. A calendar is its spec itself.
export function payloadFromForm(spec: ResourceSpec, form: AdminForm, creating: boolean): unknown {
  const out: Record<string, unknown> = {}
  for (const f of spec.fields) {
    if (!creating && f.createOnly) continue
    const v = form[f.key]
    const blank = v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
    if (blank) {
      if (creating && f.required) throw new FormError(f.key, 'required')
      if (!creating && f.nullable && f.kind !== 'password') out[f.key] = null
      continue
    }
    if (f.kind === 'json') {
      try {
        out[f.key] = JSON.parse(String(v))
      } catch {
        throw new FormError(f.key, 'json')
      }
    } else if (f.kind === 'number') {
      const n = Number(v)
      if (!Number.isFinite(n) || !Number.isInteger(n)) throw new FormError(f.key, 'number')
      out[f.key] = n
    } else if (f.kind === 'list') out[f.key] = String(v).split(/[,，\s]+/).filter(Boolean)
    else if (f.kind === 'bool') out[f.key] = !!v
    else out[f.key] = v
  }
  return spec.name === 'calendars' ? out.spec : out
}

// What a list cell shows for a value: ids of nested objects, yes/no left to the page.
export function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object') {
    const named = field(v, 'name') ?? field(v, 'email') ?? field(v, 'id')
    return named !== undefined ? String(named) : JSON.stringify(v)
  }
  return String(v)
}
