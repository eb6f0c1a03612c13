// Contacts (customers) and organizations for the desk: lists with search, one record, its tickets.
import { defineStore } from 'pinia'
import { api, get, query } from '../lib/api'
import type { Ticket } from './tickets'

export interface Contact {
  id: number
  email: string
  name: string
  locale: string
  time_zone: string
  active: boolean
  organization: number | null
  notes: string
  emails: string[]
  phones: string[]
  created_at: string
}

export interface Organization {
  id: number
  name: string
  domains: string[]
  shared_tickets: boolean
  tier: string
  notes: string
  created_at: string
}

export const useDirectory = defineStore('directory', {
  state: () => ({
    contacts: [] as Contact[],
    nextCursor: null as string | null,
    searching: '',
    organizations: [] as Organization[],
  }),
  getters: {
    orgName: (s) => (id: number | null | undefined) => s.organizations.find((o) => o.id === id)?.name ?? '',
  },
  actions: {
    // Without words: the contact list page by page. With words: the search's contact matches
    // (name, email, phone through the full-text index), which the list API has no filter for.
    async loadContacts(q = '', more = false) {
      this.searching = q.trim()
      if (this.searching) {
        const r = await get<{ contacts?: Contact[] }>('/search' + query({ q: this.searching, limit: 50 }))
        this.contacts = r.contacts ?? []
        this.nextCursor = null
        return
      }
      const r = await get<{ items: Contact[]; next_cursor: string | null }>(
        '/contacts' + query({ limit: 50, cursor: more ? this.nextCursor : undefined }),
      )
      this.contacts = more ? [...this.contacts, ...r.items] : r.items
      this.nextCursor = r.next_cursor
    },
    async loadOrganizations() {
      const all: Organization[] = []
      let cursor: string | null = null
      do {
        const r: { items: Organization[]; next_cursor: string | null } = await get('/organizations' + query({ limit: 200, cursor }))
        all.push(...r.items)
        cursor = r.next_cursor
      } while (cursor)
      this.organizations = all
    },
    async saveContact(id: number | null, changes: Partial<Contact> & { password?: string }) {
      return id ? api<Contact>('PATCH', '/contacts/' + id, changes) : api<Contact>('POST', '/contacts', changes)
    },
    async saveOrganization(id: number | null, changes: Partial<Organization>) {
      const o = id
        ? await api<Organization>('PATCH', '/organizations/' + id, changes)
        : await api<Organization>('POST', '/organizations', changes)
      const i = this.organizations.findIndex((x) => x.id === o.id)
      if (i >= 0) this.organizations[i] = o
      else this.organizations.push(o)
      return o
    },
    async membersOf(organizationId: number) {
      const r = await get<{ items: Contact[] }>('/contacts' + query({ organization: organizationId, limit: 200 }))
      return r.items
    },
    async ticketsOf(kind: 'requester' | 'organization', id: number) {
      const r = await get<{ items: Ticket[] }>('/tickets' + query({ [kind]: id, limit: 50, sort: '-updated_at' }))
      return r.items
    },
  },
})

// Lists typed as "a, b" or one per line; spaces stay (a phone is "+86 138 0000 0000").
export function splitList(text: string): string[] {
  return text.split(/[\n,，;；]+/).map((s) => s.trim()).filter(Boolean)
}
