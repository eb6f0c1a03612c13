import type { Ticket } from '../stores/tickets'

export function statusName(s: Ticket['status'] | undefined, locale: string): string {
  if (!s) return ''
  return locale === 'zh-CN' && s.name_zh ? s.name_zh : s.name
}
