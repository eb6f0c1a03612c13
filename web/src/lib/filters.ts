// The inbox's filter bar as data: what the agent picked, the query string GET /tickets takes
// for it, and the same filter as a saved view's `filters` object (the server reads both with one
// meaning: lists are "any of", fields together are "all of").
import type { Schemas } from './api'

export type Priority = Schemas['Priority']
export type PersonChoice = number | 'me' | 'none'

export interface TicketFilters {
  status: number[]
  priority: Priority[]
  department: (number | 'none')[]
  assignee: PersonChoice[]
  tag: string
  requester: number | null
}

export function emptyFilters(): TicketFilters {
  return { status: [], priority: [], department: [], assignee: [], tag: '', requester: null }
}

// How many parts of the filter are set (the bar shows it, and "clear" resets them).
export function activeCount(f: TicketFilters): number {
  return [f.status.length, f.priority.length, f.department.length, f.assignee.length, f.tag.trim(), f.requester]
    .filter(Boolean).length
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
  return out
}
