// What a staff role may do, as the server names it (docs/permissions.md): GET /api/v1/me and the
// sign-in answers carry the user's permissions, and the desk shows or hides what they name. The
// server enforces the same matrix on every request; hiding here only spares a 403.
import type { Schemas } from './api'

export type Permission = Schemas['Permission']

// Every permission, in the matrix's order (the server's), grouped for the roles page.
export const PERMISSION_GROUPS: { key: string; permissions: Permission[] }[] = [
  { key: 'tickets', permissions: ['tickets.view', 'tickets.view_all', 'tickets.create', 'tickets.reply', 'tickets.note', 'tickets.edit', 'tickets.assign', 'tickets.merge'] },
  { key: 'people', permissions: ['contacts.manage', 'users.manage'] },
  { key: 'reports', permissions: ['reports.view', 'reports.departments', 'reports.all'] },
  { key: 'knowledge', permissions: ['kb.manage'] },
  { key: 'admin', permissions: ['settings.manage', 'audit.view', 'data.export', 'data.erase'] },
]
export const ALL_PERMISSIONS: Permission[] = PERMISSION_GROUPS.flatMap((g) => g.permissions)

// The built-in roles' presets, as the server defines them (domain/permission.cpp): used only
// when an answer carries no permissions (an older server).
const AGENT: Permission[] = ['tickets.view', 'tickets.create', 'tickets.reply', 'tickets.note', 'tickets.edit', 'tickets.assign', 'tickets.merge', 'reports.view', 'kb.manage']
export const PRESETS: Record<Schemas['Role'], Permission[]> = {
  admin: ALL_PERMISSIONS,
  supervisor: [...AGENT, 'tickets.view_all', 'reports.departments'],
  agent: AGENT,
  light_agent: ['tickets.view', 'tickets.note', 'reports.view'],
  customer: [],
}

export function permissionsOf(user: { role: Schemas['Role']; permissions?: Permission[] } | null): Permission[] {
  if (!user) return []
  return user.permissions ?? PRESETS[user.role] ?? []
}
