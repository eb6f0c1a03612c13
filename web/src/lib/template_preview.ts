// A mail template or acknowledgement as a customer would read it, with sample data in the
// template's language: placeholders replaced as the server replaces them (domain/template.hpp:
// "{{ name }}", "ticket.<x>" also read as "<x>", a placeholder without a value renders empty),
// and the placeholders that would render empty named so the admin sees them before saving.
export type Facts = Record<string, string | number>

export function sampleFacts(language: string): Facts {
  const zh = language.toLowerCase().startsWith('zh')
  return {
    'ticket.number': 1024,
    'ticket.subject': zh ? '办公室打印机无法连接' : 'The office printer does not connect',
    'ticket.token': '[#1024]',
    'ticket.status': zh ? '处理中' : 'Open',
    'ticket.priority': zh ? '高' : 'High',
    'ticket.type': zh ? '故障' : 'Incident',
    'ticket.department': zh ? '售后服务' : 'After-sales',
    'ticket.tags': 'printer, vip',
    'ticket.channel': 'email',
    'ticket.url': 'https://desk.example.com/portal/tickets/1024',
    'portal.url': 'https://desk.example.com/portal/',
    'brand.name': zh ? '示例科技' : 'Example Tech',
    'ticket.created_at': '2026-11-28T09:30:00Z',
    'ticket.language': zh ? 'zh-CN' : 'en',
    'requester.name': zh ? '王芳' : 'Wang Fang',
    'requester.email': 'wang.fang@example.com',
    'requester.language': zh ? 'zh-CN' : 'en',
    'assignee.name': zh ? '李雷' : 'Li Lei',
    'assignee.email': 'li.lei@desk.example.com',
    'agent.name': zh ? '李雷' : 'Li Lei',
  }
}

const kPlaceholder = /\{\{\s*([A-Za-z0-9._-]+)\s*\}\}/g

export function renderPreview(text: string, facts: Facts): { text: string; empty: string[] } {
  const empty: string[] = []
  const out = text.replace(kPlaceholder, (_, name: string) => {
    const value = facts[name] ?? (name.startsWith('ticket.') ? facts[name.slice(7)] : undefined)
    if (value === undefined) {
      if (!empty.includes(name)) empty.push(name)
      return ''
    }
    return String(value)
  })
  return { text: out, empty }
}

export interface PreviewItem {
  language: string
  subject: string
  body: string
}

// The variants of a mail template as the form holds them (JSON text being edited).
export function variantsOf(json: unknown): PreviewItem[] {
  try {
    const v = typeof json === 'string' ? JSON.parse(json || '[]') : json
    if (!Array.isArray(v)) return []
    return v
      .filter((x) => x && typeof x === 'object')
      .map((x) => ({ language: String(x.language ?? ''), subject: String(x.subject ?? ''), body: String(x.body ?? '') }))
  } catch {
    return []
  }
}
