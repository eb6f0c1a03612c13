// The admin settings pages, built from the server's declarations of its resources
// (GET /api/v1/resources: each resource's fields with their kind, limits, labels in both
// languages and references to other resources). One generic page (AdminResource.vue) lists,
// adds and edits every kind of setting; a new resource on the server is a new page here with no
// code. Agents are people, not a declared resource, so their page is declared here in the same
// form.
import type { Schemas } from './api'

export type Declaration = Schemas['ResourceDeclaration']
export type DeclaredField = Schemas['ResourceField']
export type Words = Schemas['Words']

// An item of a resource's list as the API sends it, and the form's values for one.
export type AdminItem = { id: number | string } & Record<string, unknown>
export type FormValue = string | boolean | undefined
export type AdminForm = Record<string, FormValue>

const words = (en: string, zh: string): Words => ({ en, 'zh-CN': zh })
const plain = { required: false, create_only: false, read_only: false, nullable: false }

export const agentsDeclaration: Declaration = {
  name: 'agents', noun: 'agent', title: words('Agents and roles', '客服与角色'), path: '/api/v1/agents',
  read: 'admins', write: 'admins', personal: false, paged: true, body_field: null,
  operations: { list: true, get: true, create: true, update: 'PATCH', remove: false },
  fields: [
    { ...plain, key: 'id', kind: 'id', label: words('ID', '编号'), read_only: true },
    { ...plain, key: 'email', kind: 'text', label: words('Email', '邮箱'), required: true, max_length: 254 },
    { ...plain, key: 'name', kind: 'text', label: words('Name', '姓名'), max_length: 200 },
    { ...plain, key: 'role', kind: 'choice', label: words('Role', '角色'), choices: ['admin', 'supervisor', 'agent', 'light_agent'], default: 'agent' },
    { ...plain, key: 'locale', kind: 'choice', label: words('Language', '语言'), choices: ['en', 'zh-CN'], default: 'en' },
    { ...plain, key: 'time_zone', kind: 'text', label: words('Time zone', '时区'), max_length: 64, default: 'UTC' },
    { ...plain, key: 'password', kind: 'secret', label: words('Password', '密码'), shown_as: 'has_password' },
    { ...plain, key: 'active', kind: 'boolean', label: words('Active', '启用'), default: true },
    // A custom role (the Roles page) takes the place of the built-in role above.
    { ...plain, key: 'role_id', kind: 'reference', references: 'roles', nullable: true, label: words('Custom role', '自定义角色'),
      help: words('Replaces the built-in role: the person may do what this role allows.', '取代上面的内置角色：此人可做的事由该角色决定。') },
  ],
}

// The label of a declared text in the reader's language.
export function inLocale(w: Words | undefined, locale: string): string {
  if (!w) return ''
  return (locale.startsWith('zh') ? w['zh-CN'] : w.en) || w.en
}

// The fields a form shows: not the server's own (id, times, read-only), not create-only ones
// once the item exists.
export function formFields(d: Declaration, creating: boolean): DeclaredField[] {
  return d.fields.filter((f) => !f.read_only && f.kind !== 'id' && f.kind !== 'time' && (creating || !f.create_only))
}

// The columns of the list: the item's id and its first few short fields.
export function listColumns(d: Declaration): DeclaredField[] {
  const short = ['text', 'choice', 'boolean', 'reference', 'integer']
  const id = d.fields.filter((f) => f.kind === 'id')
  const rest = d.fields.filter((f) => short.includes(f.kind) && !f.group && f.key !== 'owner_id')
  return [...id, ...rest.slice(0, 5)]
}

// A field's value in an item (grouped fields live in their group's object).
export function valueOf(item: AdminItem | null, f: DeclaredField): unknown {
  if (!item) return undefined
  if (f.group) {
    const g = item[f.group]
    return g && typeof g === 'object' ? (g as Record<string, unknown>)[f.key] : undefined
  }
  if (f.kind === 'secret') return undefined
  return item[f.key]
}

// The form's values for an item (or a new one, from the declared defaults): JSON as indented
// text, numbers and references as text, lists as lists.
export function formFromItem(d: Declaration, item: AdminItem | null): AdminForm {
  const form: AdminForm = {}
  for (const f of formFields(d, !item)) {
    const v = item ? valueOf(item, f) : f.default
    if (f.kind === 'json') form[f.key] = v === undefined || v === null ? '' : JSON.stringify(v, null, 2)
    else if (f.kind === 'text_list') form[f.key] = Array.isArray(v) ? v.map(String).join(', ') : ''
    // A nullable boolean has a third state, "not set" (a department inheriting the default).
    else if (f.kind === 'boolean' && f.nullable) form[f.key] = v === undefined || v === null ? '' : String(!!v)
    else if (f.kind === 'boolean') form[f.key] = v === undefined || v === null ? false : !!v
    else if (f.kind === 'secret') form[f.key] = ''
    else form[f.key] = v === undefined || v === null ? '' : String(v)
  }
  return form
}

export class FormError extends Error {
  constructor(public field: string, public reason: 'required' | 'json' | 'number' | 'range') {
    super(reason)
  }
}

function parsed(f: DeclaredField, v: FormValue): unknown {
  if (f.kind === 'json') {
    try {
      return JSON.parse(String(v))
    } catch {
      throw new FormError(f.key, 'json')
    }
  }
  if (f.kind === 'integer' || f.kind === 'reference') {
    const n = Number(v)
    if (!Number.isFinite(n) || !Number.isInteger(n)) throw new FormError(f.key, 'number')
    if ((f.minimum !== undefined && n < f.minimum) || (f.maximum !== undefined && n > f.maximum))
      throw new FormError(f.key, 'range')
    return n
  }
  if (f.kind === 'boolean') return v === true || v === 'true'
  if (f.kind === 'text_list') return String(v).split(/[,，\s]+/).filter(Boolean)
  return v
}

// The request body for the form: blank optional fields left out (so a PATCH keeps them, a PUT
// or a new item takes the defaults), blank nullable ones null, JSON parsed, numbers checked.
// A resource whose body is one field's value (a calendar's spec) sends that value alone.
export function payloadFromForm(d: Declaration, form: AdminForm, creating: boolean): unknown {
  const out: Record<string, unknown> = {}
  for (const f of formFields(d, creating)) {
    const v = form[f.key]
    const blank = v === undefined || (typeof v === 'string' && v.trim() === '')
    if (blank) {
      if (creating && f.required) throw new FormError(f.key, 'required')
      if (!creating && f.nullable && f.kind !== 'secret') put(out, f, null)
      continue
    }
    put(out, f, parsed(f, v))
  }
  return d.body_field ? out[d.body_field] : out
}

function put(out: Record<string, unknown>, f: DeclaredField, v: unknown) {
  if (!f.group) {
    out[f.key] = v
    return
  }
  const g = (out[f.group] ??= {}) as Record<string, unknown>
  g[f.key] = v
}

// What a list cell shows for a value; references show the referenced item's name when known.
export function cell(v: unknown, names?: Map<number, string>): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number' && names?.has(v)) return names.get(v)!
  if (Array.isArray(v)) return v.map((x) => cell(x)).join(', ')
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

// The API path of a keyed setting's item: a department's assignment
// (/departments/{id}/assignment) or its mail settings (/mail/settings/{key}).
export function keyedPath(d: Declaration, key: string | number): string {
  const path = d.path.replace(/^\/api\/v1/, '')
  return path.includes('{id}') ? path.replace('{id}', String(key)) : path + '/' + key
}

// The name an item goes by in a select or a confirmation.
export function itemName(item: Record<string, unknown>): string {
  for (const key of ['name', 'address', 'url', 'email', 'key'])
    if (typeof item[key] === 'string' && item[key]) return item[key] as string
  return '#' + String(item.id)
}
