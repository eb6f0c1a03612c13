import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { splitList, useDirectory } from './directory'

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })

describe('directory store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.restoreAllMocks()
  })

  it('pages through contacts and searches them through the search API', async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      calls.push(url)
      if (url.startsWith('/api/v1/search')) return json({ items: [], contacts: [{ id: 9, email: 'li@example.com' }] })
      if (url.includes('cursor=')) return json({ items: [{ id: 2 }], next_cursor: null })
      return json({ items: [{ id: 1 }], next_cursor: 'abc' })
    }))
    const d = useDirectory()
    await d.loadContacts()
    expect(d.contacts.map((c) => c.id)).toEqual([1])
    expect(d.nextCursor).toBe('abc')
    await d.loadContacts('', true)
    expect(d.contacts.map((c) => c.id)).toEqual([1, 2])
    expect(calls[1]).toBe('/api/v1/contacts?limit=50&cursor=abc')
    await d.loadContacts(' 李 ')
    expect(calls[2]).toBe('/api/v1/search?q=%E6%9D%8E&limit=50')
    expect(d.contacts.map((c) => c.id)).toEqual([9])
    expect(d.nextCursor).toBeNull()
  })

  it('loads every organization page and names them', async () => {
    vi.stubGlobal('fetch', vi.fn(async (url: string) =>
      url.includes('cursor=') ? json({ items: [{ id: 2, name: 'B' }], next_cursor: null }) : json({ items: [{ id: 1, name: 'A' }], next_cursor: 'n' })))
    const d = useDirectory()
    await d.loadOrganizations()
    expect(d.organizations.map((o) => o.name)).toEqual(['A', 'B'])
    expect(d.orgName(2)).toBe('B')
    expect(d.orgName(null)).toBe('')
  })

  it('creates and changes organizations with the right method, keeping the list current', async () => {
    const seen: [string, string | undefined][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      seen.push([url, init?.method])
      return json({ id: 5, name: JSON.parse(String(init?.body)).name, domains: [] })
    }))
    const d = useDirectory()
    await d.saveOrganization(null, { name: 'Acme' })
    await d.saveOrganization(5, { name: 'Acme Ltd' })
    expect(seen).toEqual([['/api/v1/organizations', 'POST'], ['/api/v1/organizations/5', 'PATCH']])
    expect(d.organizations).toHaveLength(1)
    expect(d.organizations[0].name).toBe('Acme Ltd')
  })

  it('asks for a contact\'s and an organization\'s tickets, and its members', async () => {
    const urls: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      urls.push(url)
      return json({ items: [] })
    }))
    const d = useDirectory()
    await d.ticketsOf('requester', 7)
    await d.ticketsOf('organization', 3)
    await d.membersOf(3)
    expect(urls).toEqual(['/api/v1/tickets?requester=7&limit=50&sort=-updated_at', '/api/v1/tickets?organization=3&limit=50&sort=-updated_at', '/api/v1/contacts?organization=3&limit=200'])
  })

  it('splits typed lists on commas, Chinese commas and lines, keeping spaces inside', () => {
    expect(splitList('a.com, b.com，c.com\nd.com  ')).toEqual(['a.com', 'b.com', 'c.com', 'd.com'])
    expect(splitList('+86 138 0000 0000; 010-1234')).toEqual(['+86 138 0000 0000', '010-1234'])
    expect(splitList('')).toEqual([])
  })
})
