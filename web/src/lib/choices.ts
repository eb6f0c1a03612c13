// The real things a setting may name (statuses, departments, agents, custom fields, mail
// templates, webhooks, macros, organizations), read once per settings page for the selects of
// the rule, SLA and form editors, and the fixed words (priorities, channels …) in the reader's
// language. A list the reader may not read stays empty: its values are then typed by hand.
import { get } from './api'
import { FIXED, type Source } from './rules'
import { statusName } from './names'

export interface Choice {
  value: string
  label: string
}
export type Choices = Partial<Record<Source, Choice[]>> & {
  // A custom field's own options, by its key.
  fieldOptions?: Record<string, Choice[]>
}

type Row = Record<string, unknown>
async function items(path: string): Promise<Row[]> {
  try {
    return ((await get(path)) as { items?: Row[] }).items ?? []
  } catch {
    return []
  }
}
const named = (r: Row, ...keys: string[]) => {
  for (const k of keys) if (typeof r[k] === 'string' && r[k]) return r[k] as string
  return '#' + String(r.id)
}

export async function loadChoices(locale: string, t: (key: string) => string, te: (key: string) => boolean): Promise<Choices> {
  const zh = locale === 'zh-CN'
  const [statuses, departments, agents, fields, templates, webhooks, macros, organizations] = await Promise.all([
    items('/statuses'), items('/departments'), items('/agents?limit=200'), items('/custom-fields'),
    items('/mail-templates'), items('/webhooks'), items('/macros'), items('/organizations?limit=200'),
  ])
  const byId = (rows: Row[], ...keys: string[]) => rows.map((r) => ({ value: String(r.id), label: named(r, ...keys) }))
  const out: Choices = {
    // Rules name a status by its (English) name.
    statuses: statuses.map((s) => ({ value: String(s.name), label: statusName(s as { name?: string; name_zh?: string }, locale) })),
    departments: byId(departments, 'name'),
    agents: byId(agents, 'name', 'email'),
    templates: byId(templates, 'name'),
    webhooks: byId(webhooks, 'description', 'url'),
    macros: byId(macros.filter((m) => m.shared !== false), 'name'),
    organizations: byId(organizations, 'name'),
    customFields: fields.map((f) => ({ value: String(f.key), label: String((zh && f.label_zh) || f.label || f.key) })),
    fieldOptions: {},
  }
  for (const f of fields) {
    const opts = Array.isArray(f.options) ? (f.options as Row[]) : []
    out.fieldOptions![String(f.key)] = opts.map((o) => ({ value: String(o.value), label: String((zh && o.label_zh) || o.label || o.value) }))
  }
  for (const [source, words] of Object.entries(FIXED) as [Source, string[]][]) {
    out[source] = words.map((w) => {
      const key = wordKey(source, w)
      return { value: w, label: te(key) ? t(key) : w }
    })
  }
  return out
}

// The i18n key of a fixed word (priority.high, type.incident, rules.word.email …).
export function wordKey(source: Source, word: string): string {
  if (source === 'priorities') return 'priority.' + word
  if (source === 'types') return 'type.' + word
  if (source === 'categories') return 'admin.opt.' + word
  if (source === 'languages') return 'admin.opt.' + word.replace('-', '_')
  return 'rules.word.' + word
}
