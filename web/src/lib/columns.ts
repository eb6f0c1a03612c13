// The inbox's columns: a saved view may name which ones it shows and in what order (the views
// resource's `columns`); built-in views and a view that names none show the default. The
// subject carries the ticket's link, so it is always there: first when a view leaves it out.
export const COLUMNS = ['number', 'subject', 'requester', 'status', 'priority', 'type', 'assignee', 'department', 'sla', 'created_at', 'updated_at'] as const
export type Column = (typeof COLUMNS)[number]
export const DEFAULT_COLUMNS: Column[] = ['number', 'subject', 'requester', 'status', 'priority', 'assignee', 'sla', 'updated_at']
// Hidden on a narrow screen (360 px): the columns a phone can do without.
export const NARROW_HIDDEN = new Set<Column>(['requester', 'priority', 'type', 'assignee', 'department', 'created_at', 'updated_at'])

const known = new Set<string>(COLUMNS)

export function columnsOf(view: { columns?: string[] | null } | undefined): Column[] {
  const named = (view?.columns ?? []).filter((c, i, all): c is Column => known.has(c) && all.indexOf(c) === i)
  if (!named.length) return [...DEFAULT_COLUMNS]
  return named.includes('subject') ? named : ['subject', ...named]
}

// The i18n key of a column's heading.
export function columnLabel(c: string): string {
  return c === 'number' ? 'list.number' : c === 'updated_at' ? 'list.updated' : c === 'created_at' ? 'list.created' : 'list.' + c
}
