import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useTickets } from './tickets'
import { headerOf, ticketFixture as ticket } from '../testing'

describe('tickets store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.restoreAllMocks()
  })

  it('loads the list of the current view and keeps the cursor in range', async () => {
    const fetchMock = vi.fn(async (url: string) => new Response(JSON.stringify({ items: [ticket(3), ticket(2)], next_cursor: null }), { headers: { 'Content-Type': 'application/json' } }))
    vi.stubGlobal('fetch', fetchMock)
    const s = useTickets()
    s.view = 'all_open'
    s.cursor = 9
    await s.loadList()
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/tickets?view=all_open&sort=-updated_at&limit=50')
    expect(s.items.map((t) => t.number)).toEqual([3, 2])
    expect(s.cursor).toBe(1)
  })

  it('pages by cursor, narrows by the filter bar, and keeps what is shown on a live refresh', async () => {
    const urls: string[] = []
    const pages: Record<string, { items: ReturnType<typeof ticket>[]; next_cursor: string | null }> = {
      first: { items: [ticket(9), ticket(8)], next_cursor: 'c1' },
      second: { items: [ticket(8), ticket(7)], next_cursor: null },
    }
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      urls.push(url)
      const page = url.includes('cursor=c1') ? pages.second : pages.first
      return new Response(JSON.stringify(page), { headers: { 'Content-Type': 'application/json' } })
    }))
    const s = useTickets()
    s.view = 'all_open'
    await s.setFilters({ status: [], priority: ['urgent'], department: [], assignee: ['me'], tag: 'vip', requester: null, sla: [], fields: {} })
    expect(urls[0]).toBe('/api/v1/tickets?view=all_open&sort=-updated_at&priority=urgent&assignee=me&tag=vip&limit=50')
    await s.loadMore()
    expect(urls[1]).toBe('/api/v1/tickets?view=all_open&sort=-updated_at&priority=urgent&assignee=me&tag=vip&limit=50&cursor=c1')
    expect(s.items.map((t) => t.number)).toEqual([9, 8, 7])
    expect(s.nextCursor).toBeNull()
    await s.loadMore()
    expect(urls).toHaveLength(2)
    s.items = Array.from({ length: 120 }, (_, i) => ticket(i + 1))
    await s.onEvent('ticket.updated', 1)
    expect(urls.find((u) => u.includes('limit=120'))).toBeTruthy()
  })

  it('drops the answer to a list request that a newer one overtook', async () => {
    const waiting: ((r: Response) => void)[] = []
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((ok) => waiting.push(ok))))
    const answer = (numbers: number[]) => new Response(JSON.stringify({ items: numbers.map((n) => ticket(n)), next_cursor: null }), { headers: { 'Content-Type': 'application/json' } })
    const s = useTickets()
    const old = s.loadList(true)
    const filtered = s.setFilters({ status: [], priority: ['urgent'], department: [], assignee: [], tag: '', requester: null, sla: [], fields: {} })
    await vi.waitFor(() => expect(waiting).toHaveLength(2))
    waiting[1](answer([5]))
    await filtered
    waiting[0](answer([1, 2, 3]))
    await old
    expect(s.items.map((t) => t.number)).toEqual([5])
    expect(s.loading).toBe(false)
  })

  it('saves the filter bar as a view and shows it', async () => {
    const posted: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posted.push(JSON.parse(init.body as string))
        return new Response(JSON.stringify({ id: 41, name: 'VIP' }), { status: 201, headers: { 'Content-Type': 'application/json' } })
      }
      return new Response(JSON.stringify(url.includes('/views') ? { items: [] } : { items: [], next_cursor: null }), { headers: { 'Content-Type': 'application/json' } })
    }))
    const s = useTickets()
    s.filters = { status: [2], priority: [], department: ['none'], assignee: [], tag: 'vip', requester: null, sla: [], fields: {} }
    await s.saveView('VIP', false)
    expect(posted).toEqual([{ name: 'VIP', shared: false, filters: { status: [2], department: ['none'], tag: 'vip' }, sort: '-updated_at' }])
    expect(s.view).toBe('41')
    expect(s.filters.tag).toBe('')
  })

  it('selects, toggles and moves', () => {
    const s = useTickets()
    s.items = [ticket(1), ticket(2), ticket(3)]
    s.toggle(2)
    expect([...s.selected]).toEqual([2])
    s.toggle(2)
    expect(s.selected.size).toBe(0)
    s.selectAll(true)
    expect(s.selected.size).toBe(3)
    s.move(5)
    expect(s.cursor).toBe(2)
    s.move(-1)
    expect(s.cursor).toBe(1)
  })

  it('sends bulk changes with the CSRF token and refreshes', async () => {
    const calls: [string, RequestInit | undefined][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push([url, init])
      const body = url.includes('bulk') ? { items: [{ number: 1, ok: true }] } : url.includes('views') ? { items: [] } : { items: [], next_cursor: null }
      return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })
    }))
    const { setCsrf } = await import('../lib/api')
    setCsrf('tok')
    const s = useTickets()
    s.items = [ticket(1)]
    s.selectAll(true)
    const r = await s.bulk({ priority: 'high' })
    expect(r[0].ok).toBe(true)
    const [url, init] = calls[0]
    expect(url).toBe('/api/v1/tickets/bulk')
    expect(headerOf(init, 'X-CSRF-Token')).toBe('tok')
    expect(JSON.parse(init!.body as string)).toEqual({ numbers: [1], changes: { priority: 'high' } })
  })
})

describe('merge', () => {
  beforeEach(() => setActivePinia(createPinia()))
  it('merges each selected ticket but the target, and reports failures', async () => {
    const posted: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      if (url.includes('/merge')) {
        posted.push(url + ' ' + init!.body)
        if (url.includes('/tickets/3/')) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such ticket' } }), { status: 404, headers: { 'Content-Type': 'application/json' } })
        return new Response(JSON.stringify({}), { headers: { 'Content-Type': 'application/json' } })
      }
      return new Response(JSON.stringify({ items: [], next_cursor: null }), { headers: { 'Content-Type': 'application/json' } })
    }))
    const s = useTickets()
    s.selected = new Set([1, 2, 3])
    const r = await s.mergeInto(2)
    expect(posted).toEqual(['/api/v1/tickets/1/merge {"into":2}', '/api/v1/tickets/3/merge {"into":2}'])
    expect(r).toEqual([{ number: 1, ok: true }, { number: 3, ok: false, error: 'no such ticket' }])
    expect(s.selected.size).toBe(0)
  })
})
