// Shapes the API answers, for the unit tests: whole objects typed by the OpenAPI document, so a
// test's data is what the server really sends (a change of the document shows up here too).
import type { Schemas } from './lib/api'

export function ticketFixture(number: number, more: Partial<Schemas['Ticket']> = {}): Schemas['Ticket'] {
  return {
    number, subject: 's' + number, status: { id: 1, name: 'New', name_zh: '新建', category: 'new' },
    priority: 'normal', type: 'question', department: null, assignee: null, requester: null, organization: null,
    channel: 'web', language: null, tags: [], custom_fields: {}, merged_into: null, version: 1, created_at: '', updated_at: '',
    first_response_at: null, solved_at: null,
    sla: {
      policy: null, paused: false, first_response_due_at: null, next_response_due_at: null, resolution_due_at: null,
      first_response_remaining_seconds: null, next_response_remaining_seconds: null, resolution_remaining_seconds: null,
    },
    ...more,
  }
}

export function userFixture(more: Partial<Schemas['User']> = {}): Schemas['User'] {
  return {
    id: 7, email: 'li@example.cn', name: '李雷', role: 'agent', locale: 'zh-CN', time_zone: 'Asia/Shanghai',
    active: true, created_at: '2026-11-28T15:30:00.000Z', role_id: null, ...more,
  }
}

export function messageFixture(id: number, more: Partial<Schemas['Message']> = {}): Schemas['Message'] {
  return {
    id, ticket: 1, author: null, internal: false, body: '', html: '', channel: 'web', created_at: '',
    attachments: [], delivery: null, mail_flags: [], ...more,
  }
}

// A header a fetch call was made with.
export function headerOf(init: RequestInit | undefined, name: string): string | undefined {
  return new Headers(init?.headers).get(name) ?? undefined
}
