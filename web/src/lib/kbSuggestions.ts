import { onMounted, onUnmounted, ref, watch, type Ref } from 'vue'
import { api, get, query, type Reply } from './api'

export type KbHit = Reply<'searchKb'>['items'][number]

// Articles that may answer the question appear while a subject is typed (the portal's new ticket
// and the embeddable form). Opening one and then leaving without submitting counts as a
// deflection (the ticket that was not needed): on closing the page (a beacon) or, for the
// portal, on leaving the route (`leave`).
export function useKbSuggestions(subject: Ref<string>, language: () => string) {
  const suggestions = ref<KbHit[]>([])
  const opened = ref<KbHit | null>(null)
  let submitted = false
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(subject, (value) => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      if (value.trim().length < 2) {
        suggestions.value = []
        return
      }
      const lang = language() === 'zh-CN' ? 'zh-CN' : 'en'
      const r = await get<'searchKb'>('/kb/search' + query({ q: value, lang, match: 'any', limit: 5 })).catch(() => ({ items: [] as KbHit[] }))
      if (value === subject.value) suggestions.value = r.items
    }, 250)
  })
  function deflection() {
    if (!opened.value || submitted) return null
    return JSON.stringify({ article_id: opened.value.article_id, lang: opened.value.lang, query: subject.value.slice(0, 200) })
  }
  function leftByClosing() {
    const body = deflection()
    if (body) navigator.sendBeacon('/api/v1/kb/deflections', new Blob([body], { type: 'application/json' }))
    opened.value = null
  }
  function leave() {
    const body = deflection()
    if (body) void api('POST', '/kb/deflections', JSON.parse(body)).catch(() => undefined)
    opened.value = null
  }
  onMounted(() => window.addEventListener('pagehide', leftByClosing))
  onUnmounted(() => {
    window.removeEventListener('pagehide', leftByClosing)
    clearTimeout(timer)
  })
  return {
    suggestions,
    // The customer opened a suggestion (a link to the help centre, in a new tab).
    open: (hit: KbHit) => {
      opened.value = hit
    },
    leave,
    // Around a submit: a ticket that was sent is no deflection (unless sending failed).
    submitting: (on: boolean) => {
      submitted = on
    },
  }
}
