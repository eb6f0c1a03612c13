// Plain JSON members (text, numbers, booleans, lists of text or numbers) ↔ the text an input
// holds, after the member's JSON Schema: the generic half of the settings' object and row
// editors (SchemaEditor.vue). Blank members are left out, so the API's defaults apply.
import type { Schema } from './rules'

export type MemberRow = Record<string, string | boolean>

function toText(v: unknown, s: Schema): string | boolean {
  if (s.type === 'boolean') return !!v
  if (v === undefined || v === null) return ''
  if (Array.isArray(v)) return v.map(String).join(', ')
  return String(v)
}

function fromText(v: string | boolean, s: Schema): unknown {
  if (s.type === 'boolean') return !!v
  const text = String(v).trim()
  if (s.type === 'array') {
    const items = text.split(/[,，]\s*/).map((x) => x.trim()).filter(Boolean)
    return s.items?.type === 'integer' ? items.map(Number) : items
  }
  if (s.type === 'integer') return /^-?\d+$/.test(text) ? Number(text) : text
  return String(v)
}

const blankMember = (v: unknown) => v === '' || (Array.isArray(v) && v.length === 0)

export function fromMembers(value: unknown, shape: Schema, asRows: boolean): MemberRow[] {
  const list = asRows ? (Array.isArray(value) ? value : []) : [value && typeof value === 'object' ? value : {}]
  return list.map((item) => {
    const o = (item ?? {}) as Record<string, unknown>
    const row: MemberRow = {}
    for (const [key, s] of Object.entries(shape.properties ?? {})) row[key] = toText(o[key], s)
    return row
  })
}

export function toMembers(rows: MemberRow[], shape: Schema, asRows: boolean): unknown {
  const out = rows.map((row) => {
    const o: Record<string, unknown> = {}
    for (const [key, s] of Object.entries(shape.properties ?? {})) {
      const v = fromText(row[key] ?? '', s)
      if (!blankMember(v) && !(s.type === 'boolean' && v === false && !(shape.required ?? []).includes(key))) o[key] = v
    }
    return o
  })
  return asRows ? out : out[0] ?? {}
}
