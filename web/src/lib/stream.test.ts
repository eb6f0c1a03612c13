import { afterEach, describe, expect, it, vi } from 'vitest'
import { concernsTicket, onStream, startStream, stopStream, type StreamEvent } from './stream'

// A WebSocket that the test feeds by hand, as the server's frames would arrive.
class FakeSocket {
  static last: FakeSocket | null = null
  static OPEN = 1
  readyState = 1
  onopen: (() => void) | null = null
  onmessage: ((m: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  constructor(public url: string) {
    FakeSocket.last = this
  }
  send() {}
  close() {}
}

const ticket = { number: 42, subject: 'Printer', channel: 'im', status_category: 'open', priority: 'normal',
  department: null, assignee: null, version: 3 }

describe('the live stream', () => {
  afterEach(() => {
    stopStream()
    vi.unstubAllGlobals()
  })

  it('tells an open ticket page that a customer\'s IM file has been attached', () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    const reloads: number[] = []
    const off = onStream((ev) => {
      if (concernsTicket(ev, 42)) reloads.push(42)
    })
    startStream()
    const frame = (event: object) => FakeSocket.last!.onmessage!({ data: JSON.stringify(event) })
    frame({ type: 'attachment.created', ticket, message: { id: 7, internal: false, author: 9 } })
    // Another ticket's file, a presence note and a broken frame change nothing here.
    frame({ type: 'attachment.created', ticket: { ...ticket, number: 43 }, message: { id: 8, internal: false, author: 9 } })
    frame({ type: 'presence', ticket: 42, people: [] })
    FakeSocket.last!.onmessage!({ data: '{not json' })
    expect(reloads).toEqual([42])
    off()
  })

  it('reads every ticket event of the page\'s ticket alike', () => {
    for (const type of ['ticket.updated', 'message.created', 'attachment.created'] as const) {
      const ev = { type, ticket } as StreamEvent
      expect(concernsTicket(ev, 42)).toBe(true)
      expect(concernsTicket(ev, 41)).toBe(false)
    }
    expect(concernsTicket({ type: 'hello', user: 1 } as StreamEvent, 42)).toBe(false)
  })
})
