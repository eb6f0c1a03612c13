import { defineStore } from 'pinia'
import { errorText, get, post, query, type Body, type Reply, type Schemas } from '../lib/api'

export type Ticket = Schemas['Ticket']
export type View = Reply<'listViews'>['items'][number]
export type BulkResult = Reply<'bulkUpdateTickets'>['items'][number]
// What PATCH /tickets/{number} and the bulk change take.
export type TicketChanges = Body<'updateTicket'>

// The inbox: views with live counts, the current list, the selection for bulk actions.
export const useTickets = defineStore('tickets', {
  state: () => ({
    views: [] as View[],
    view: 'my_open' as string,
    sort: '-updated_at',
    filters: { priority: '', q: '' } as Record<string, string>,
    items: [] as Ticket[],
    nextCursor: null as string | null,
    selected: new Set<number>(),
    cursor: 0,
    loading: false,
    fresh: new Set<number>(),
  }),
  actions: {
    async loadViews() {
      const r = await get<'listViews'>('/views')
      this.views = r.items
    },
    async loadList() {
      this.loading = true
      try {
        const r = await get<'listTickets'>(
          '/tickets' +
            query({ view: this.view, sort: this.sort, priority: this.filters.priority, limit: 50 }),
        )
        this.items = r.items
        this.nextCursor = r.next_cursor
        this.selected = new Set([...this.selected].filter((n) => r.items.some((t) => t.number === n)))
        this.cursor = Math.min(this.cursor, Math.max(0, r.items.length - 1))
      } finally {
        this.loading = false
      }
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
      await Promise.all([this.loadViews(), this.loadList()])
    },
  },
})
