// Contacts (customers) and organizations for the desk: lists with search, one record, its tickets.
import { defineStore } from 'pinia'
import { api, get, query, type Body, type Schemas } from '../lib/api'
import { list, type Organization, type Page } from '../lib/resources'
import type { Ticket } from './tickets'

export type Contact = Schemas['Contact']
export type { Organization }
// A row of the contact list: a contact, or a person the search found (without the extras).
export type ContactRow = Schemas['User'] & { organization?: number | null }
export type ContactChanges = Body<'updateContact'>

export const useDirectory = defineStore('directory', {
  state: () => ({
    contacts: [] as ContactRow[],
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
      const searching = q.trim()
      this.searching = searching
      if (searching) {
        const r = await get<'search'>('/search' + query({ q: searching, limit: 50 }))
        // A slower answer to an earlier search (or to the page's first, unfiltered load) never
        // replaces the answer to the newest one.
        if (this.searching !== searching) return
        this.contacts = r.contacts
        this.nextCursor = null
        return
      }
      const r = await get<'listContacts'>(
        '/contacts' + query({ limit: 50, cursor: more ? this.nextCursor : undefined }),
      )
      if (this.searching !== searching) return
      this.contacts = more ? [...this.contacts, ...r.items] : r.items
      this.nextCursor = r.next_cursor
    },
    async loadOrganizations() {
      const all: Organization[] = []
      let cursor: string | null = null
      do {
        const r: Page<Organization> = await list<Organization>('/organizations' + query({ limit: 200, cursor }))
        all.push(...r.items)
        cursor = r.next_cursor ?? null
      } while (cursor)
      this.organizations = all
    },
    async saveContact(id: number | null, changes: ContactChanges): Promise<Contact> {
      if (id) return api<'updateContact'>('PATCH', '/contacts/' + id, changes)
      return api<'createContact'>('POST', '/contacts', { ...changes, email: changes.email ?? '' })
    },
    async saveOrganization(id: number | null, changes: Partial<Organization>) {
      // The resource declaration will describe these routes; until then the answer is named here.
      const o = (id
        ? await api('PATCH', '/organizations/' + id, changes)
        : await api('POST', '/organizations', changes)) as Organization
      const i = this.organizations.findIndex((x) => x.id === o.id)
      if (i >= 0) this.organizations[i] = o
      else this.organizations.push(o)
      return o
    },
    async membersOf(organizationId: number) {
      const r = await get<'listContacts'>('/contacts' + query({ organization: organizationId, limit: 200 }))
      return r.items
    },
    async ticketsOf(kind: 'requester' | 'organization', id: number): Promise<Ticket[]> {
      const r = await get<'listTickets'>('/tickets' + query({ [kind]: id, limit: 50, sort: '-updated_at' }))
      return r.items
    },
  },
})

// Lists typed as "a, b" or one per line; spaces stay (a phone is "+86 138 0000 0000").
export function splitList(text: string): string[] {
  return text.split(/[\n,，;；]+/).map((s) => s.trim()).filter(Boolean)
}
