// The admin-configured resources the app reads (statuses, departments, custom fields, forms,
// organizations, a department's assignment). Their routes are not in the OpenAPI document's
// schemas yet: the resource declaration (issue 15, item 1) will describe them there, and then
// these give way to Schemas['…'] from api-schema.d.ts. Until then they say what the server sends
// (src/api/catalog_handlers.cpp, assignment_handlers.cpp), and `list` reads a list answer.
import { get } from './api'
import type { Schemas } from './api'

export interface Status {
  id: number
  name: string
  name_zh: string
  category: Schemas['StatusCategory']
  position: number
  active: boolean
}

export interface Department {
  id: number
  name: string
  description: string
  created_at: string
}

export interface FieldOption {
  value: string
  label?: string
  label_zh?: string
}

export interface CustomField {
  id: number
  key: string
  type: 'text' | 'long_text' | 'number' | 'decimal' | 'date' | 'checkbox' | 'dropdown' | 'multi_select'
  label: string
  label_zh: string
  options: FieldOption[]
  active: boolean
}

export interface Form {
  id: number
  name: string
  department: number | null
  fields: { key: string; required?: boolean }[]
  active: boolean
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

export interface DepartmentAssignment {
  mode: 'manual' | 'round_robin' | 'least_loaded' | 'skill_based'
  max_open_per_agent: number | null
  reassign_offline: boolean
}

// One page of a list route: `{"items": [...], "next_cursor"?: ...}`.
export interface Page<T> {
  items: T[]
  next_cursor?: string | null
}

// GET a list route of one of these resources (the shape above is the caller's to name).
export async function list<T>(path: string): Promise<Page<T>> {
  return (await get(path)) as Page<T>
}

// GET one of these resources.
export async function one<T>(path: string): Promise<T> {
  return (await get(path)) as T
}
