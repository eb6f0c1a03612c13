// A status's name in the page's language: a ticket's status, or one of the statuses' list.
export function statusName(s: { name?: string; name_zh?: string } | undefined, locale: string): string {
  if (!s) return ''
  return (locale === 'zh-CN' && s.name_zh ? s.name_zh : s.name) ?? ''
}
