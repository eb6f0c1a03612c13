// The server's declarations of the resources admins configure (GET /api/v1/resources), read
// once per page load, and the names of a referenced resource's items for selects and cells.
import { get } from './api'
import { agentsDeclaration, itemName, type Declaration } from './admin'

let loaded: Promise<Declaration[]> | null = null

async function fetchDeclarations(): Promise<Declaration[]> {
  const declared: Declaration[] = (await get<'listResources'>('/resources')).items
  return [...declared, agentsDeclaration]
}

// Every declared resource, then the agents (declared by the desk itself). Read once; a failed
// read is tried again next time.
export function declarations(): Promise<Declaration[]> {
  if (!loaded) {
    const reading = fetchDeclarations()
    reading.catch(() => {
      loaded = null
    })
    loaded = reading
  }
  return loaded
}

// The API path of a declaration (its `path` is absolute: /api/v1/…).
export function apiPath(d: Declaration): string {
  return d.path.replace(/^\/api\/v1/, '')
}

// id → name of every item of the resource `name` (the first 200 of a paged one).
export async function namesOf(all: Declaration[], name: string): Promise<Map<number, string>> {
  const d = all.find((x) => x.name === name)
  if (!d || !d.operations.list) return new Map()
  const r = (await get(apiPath(d) + (d.paged ? '?limit=200' : ''))) as { items?: Record<string, unknown>[] }
  const out = new Map<number, string>()
  for (const item of r.items ?? []) if (typeof item.id === 'number') out.set(item.id, itemName(item))
  return out
}
