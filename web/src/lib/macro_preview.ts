// What applying a macro to a ticket would do, in words, before it is applied: each field it
// sets (from what to what), the tags it adds or removes, whom it assigns, and its reply with
// the ticket's own placeholders filled in (the server fills the rest when applying).
export interface Named {
  statuses: { name: string; label: string }[]
  departments: Map<string, string>
  agents: Map<string, string>
}
export interface TicketFacts {
  number: number
  subject: string
  status?: { name?: string } | null
  priority?: string | null
  type?: string | null
  department?: { id: number } | number | null
  assignee?: { id: number; name?: string } | null
  requester?: { name?: string; email?: string } | null
  tags?: string[]
}
export type Line = { key: string; args: Record<string, string> }
type T = (key: string) => string

function idOf(v: { id: number } | number | null | undefined): string {
  if (v === null || v === undefined) return ''
  return String(typeof v === 'object' ? v.id : v)
}

// One line per action, as an i18n key and its arguments (the page words them).
export function previewLines(actions: unknown[], ticket: TicketFacts, names: Named, t: T): Line[] {
  const word = (field: string, value: string): string => {
    if (!value) return '∅'
    if (field === 'status') return names.statuses.find((s) => s.name === value)?.label ?? value
    if (field === 'priority') return t('priority.' + value)
    if (field === 'type') return t('type.' + value)
    if (field === 'department') return names.departments.get(value) ?? '#' + value
    if (field === 'assignee') return names.agents.get(value) ?? '#' + value
    return value
  }
  const current: Record<string, string> = {
    status: ticket.status?.name ?? '', priority: ticket.priority ?? '', type: ticket.type ?? '',
    department: idOf(ticket.department), assignee: idOf(ticket.assignee),
  }
  return actions.map((raw): Line => {
    const a = (raw ?? {}) as Record<string, unknown>
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(', ') : '')
    switch (a.type) {
      case 'set_field': {
        const field = String(a.field ?? '')
        const to = String(a.value ?? '')
        const label = field.startsWith('custom_fields.') ? field.slice('custom_fields.'.length) : t('rules.f.' + field.replace(/\./g, '_'))
        return { key: 'macro.set', args: { field: label, from: word(field, current[field] ?? ''), to: word(field, to) } }
      }
      case 'add_tags': return { key: 'macro.addTags', args: { tags: list(a.tags) } }
      case 'remove_tags': return { key: 'macro.removeTags', args: { tags: list(a.tags) } }
      case 'assign': return { key: 'macro.assign', args: { name: word('assignee', String(a.agent ?? '')) } }
      default: return { key: 'macro.other', args: { type: String(a.type ?? '') } }
    }
  })
}

// The reply with {{ticket.number}}, {{ticket.subject}}, {{requester.name}}, {{requester.email}} filled.
export function previewReply(template: string, ticket: TicketFacts): string {
  const known: Record<string, string> = {
    'ticket.number': String(ticket.number), 'ticket.subject': ticket.subject,
    'requester.name': ticket.requester?.name ?? '', 'requester.email': ticket.requester?.email ?? '',
  }
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, key: string) => (key in known ? known[key] : all))
}
