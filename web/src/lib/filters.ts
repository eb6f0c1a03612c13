// The inbox's filter bar as data: what the agent picked, the query string GET /tickets takes
// for it, and the same filter as a saved view's `filters` object (the server reads both with one
// meaning: lists are "any of", fields together are "all of").
import type { Schemas } from './api'

export type Priority = Schemas['Priority']
export type PersonChoice = number | 'me' | 'none'
// The SLA states GET /tickets?sla= takes, as the badges show them.
export type SlaFilter = 'breached' | 'warning' | 'ok' | 'paused' | 'none'
export const SLA_FILTERS: SlaFilter[] = ['breached', 'warning', 'ok', 'paused', 'none']

export interface TicketFilters {
  status: number[]
  priority: Priority[]
  department: (number | 'none')[]
  assignee: PersonChoice[]
  tag: string
  requester: number | null
  sla: SlaFilter[]
  // A custom field's key → the value it must hold (as text: `x100`, `true`, `42`).
  fields: Record<string, string>
}

export function emptyFilters(): TicketFilters {
  return { status: [], priority: [], department: [], assignee: [], tag: '', requester: null, sla: [], fields: {} }
}

// How many parts of the filter are set (the bar shows it, and "clear" resets them).
export function activeCount(f: TicketFilters): number {
  return [f.status.length, f.priority.length, f.department.length, f.assignee.length, f.tag.trim(), f.requester,
    f.sla.length, ...setFields(f).map(() => 1)].filter(Boolean).length
}

// The custom field values that are set, in key order.
function setFields(f: TicketFilters): [string, string][] {
  return Object.entries(f.fields).filter(([, v]) => v !== '').sort(([a], [b]) => a.localeCompare(b))
}

// GET /tickets?…: lists comma-separated, blanks left out.
export function filterQuery(f: TicketFilters): Record<string, string | undefined> {
  const list = (v: unknown[]) => (v.length ? v.join(',') : undefined)
  return {
    status: list(f.status),
    priority: list(f.priority),
    department: list(f.department),
    assignee: list(f.assignee),
    tag: f.tag.trim() ? f.tag.trim().toLowerCase() : undefined,
    requester: f.requester ? String(f.requester) : undefined,
    sla: list(f.sla),
    ...Object.fromEntries(setFields(f).map(([k, v]) => ['field.' + k, v])),
  }
}

// A saved view's `filters`: the same fields, lists as lists.
export function viewFilters(f: TicketFilters): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (f.status.length) out.status = [...f.status]
  if (f.priority.length) out.priority = [...f.priority]
  if (f.department.length) out.department = [...f.department]
  if (f.assignee.length) out.assignee = [...f.assignee]
  if (f.tag.trim()) out.tag = f.tag.trim().toLowerCase()
  if (f.requester) out.requester = f.requester
  if (f.sla.length) out.sla = [...f.sla]
  if (setFields(f).length) out.fields = Object.fromEntries(setFields(f))
  return out
}
