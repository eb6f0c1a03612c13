// The admin-configured resources the app reads (statuses, departments, custom fields, forms,
// organizations, a department's assignment), named after their declarations' schemas in the
// OpenAPI document (a department's assignment is still described here until it is declared),
// and `list` / `one`, which read a list answer or one item.
import { get } from './api'
import type { Schemas } from './api'

export type Status = Schemas['Status']
export type Department = Schemas['Department']
export type CustomField = Schemas['Field']
export type FieldOption = CustomField['options'][number]
export type Form = Schemas['Form']
export type Organization = Schemas['Organization']

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
