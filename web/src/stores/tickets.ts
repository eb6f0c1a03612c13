import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import { errorText, get, post, query, type Body, type Reply, type Schemas } from '../lib/api'
import { emptyFilters, filterQuery, viewFilters, type TicketFilters } from '../lib/filters'

export type Ticket = Schemas['Ticket']
export type View = Reply<'listViews'>['items'][number]
export type BulkResult = Reply<'bulkUpdateTickets'>['items'][number]
// What PATCH /tickets/{number} and the bulk change take.
export type TicketChanges = Body<'updateTicket'>

const PAGE = 50
// A live refresh reloads what is shown in one request, up to the API's largest page.
const MAX_PAGE = 200

// The inbox: views with live counts, the current list (paged by cursor, narrowed by the filter
// bar), the selection for bulk actions. A list's tickets are never changed in place (a refresh
// replaces them), so they are kept raw: drawing a row reads plain objects, not reactive proxies.
export const useTickets = defineStore('tickets', {
  state: () => ({
    views: [] as View[],
    view: 'my_open' as string,
    sort: '-updated_at',
    filters: emptyFilters() as TicketFilters,
    items: [] as Ticket[],
    nextCursor: null as string | null,
    selected: new Set<number>(),
    cursor: 0,
    loading: false,
    // Each list request's number: an answer to anything but the latest is dropped, so a live
    // refresh that set out before a filter change cannot bring the old list back.
    request: 0,
    fresh: new Set<number>(),
  }),
  actions: {
    async loadViews() {
      const r = await get<'listViews'>('/views')
      this.views = r.items
    },
    listPath(limit: number, cursor?: string | null) {
      return '/tickets' + query({ view: this.view, sort: this.sort, ...filterQuery(this.filters), limit, cursor: cursor ?? undefined })
    },
    // The first page again, or (`keep`) as many as are shown, for a live refresh.
    async loadList(keep = false) {
      const request = ++this.request
      this.loading = true
      try {
        const limit = keep ? Math.min(MAX_PAGE, Math.max(PAGE, this.items.length)) : PAGE
        const r = await get<'listTickets'>(this.listPath(limit))
        if (request !== this.request) return
        this.items = r.items.map(markRaw)
        this.nextCursor = r.next_cursor
        this.selected = new Set([...this.selected].filter((n) => r.items.some((t) => t.number === n)))
        this.cursor = Math.min(this.cursor, Math.max(0, r.items.length - 1))
      } finally {
        if (request === this.request) this.loading = false
      }
    },
    // The next page after what is shown.
    async loadMore() {
      if (!this.nextCursor || this.loading) return
      const request = ++this.request
      this.loading = true
      try {
        const r = await get<'listTickets'>(this.listPath(PAGE, this.nextCursor))
        if (request !== this.request) return
        const shown = new Set(this.items.map((t) => t.number))
        this.items = [...this.items, ...r.items.filter((t) => !shown.has(t.number)).map(markRaw)]
        this.nextCursor = r.next_cursor
      } finally {
        if (request === this.request) this.loading = false
      }
    },
    async setFilters(f: TicketFilters) {
      this.filters = f
      this.cursor = 0
      this.selectAll(false)
      await this.loadList()
    },
    // The filter bar's choice as a view of one's own (or everyone's, for admins).
    async saveView(name: string, shared: boolean) {
      type NewView = Body<'createView'>
      // The document declares `filters` as any object; viewFilters builds what the server reads.
      const filters = viewFilters(this.filters) as NewView['filters']
      const v = await post<'createView'>('/views', { name, shared, filters, sort: this.sort as NewView['sort'] })
      // The new view holds the filter now: show it, with the bar cleared.
      this.view = String(v.id)
      this.filters = emptyFilters()
      this.cursor = 0
      await Promise.all([this.loadViews(), this.loadList()])
      return v
    },
    toggle(n: number) {
      const s = new Set(this.selected)
      if (s.has(n)) s.delete(n)
      else s.add(n)
      this.selected = s
    },
    selectAll(on: boolean) {
      this.selected = on ? new Set(this.items.map((t) => t.number)) : new Set()
    },
    move(delta: number) {
      if (!this.items.length) return
      this.cursor = Math.max(0, Math.min(this.items.length - 1, this.cursor + delta))
    },
    async bulk(changes: TicketChanges): Promise<BulkResult[]> {
      const numbers = [...this.selected]
      if (!numbers.length) return []
      const r = await post<'bulkUpdateTickets'>('/tickets/bulk', {
        numbers,
        changes,
      })
      await Promise.all([this.loadList(), this.loadViews()])
      return r.items
    },
    // Merges every selected ticket (but the target) into #target, one request each.
    async mergeInto(target: number) {
      const sources = [...this.selected].filter((n) => n !== target)
      const results: { number: number; ok: boolean; error?: string }[] = []
      for (const n of sources) {
        try {
          await post<'mergeTicket'>('/tickets/' + n + '/merge', { into: target })
          results.push({ number: n, ok: true })
        } catch (e) {
          results.push({ number: n, ok: false, error: errorText(e) })
        }
      }
      this.selected = new Set()
      await Promise.all([this.loadList(), this.loadViews()])
      return results
    },
    // A live event: refresh counts and the list (cheap, keyed pages), mark the ticket as new.
    async onEvent(type: string, ticket: number) {
      if (type === 'ticket.created') this.fresh.add(ticket)
      await Promise.all([this.loadViews(), this.loadList(true)])
    },
  },
})
