// The live stream: one WebSocket, reconnecting with backoff; listeners get every event.
// Messages are described in the OpenAPI document (GET /api/v1/stream).
import type { Schemas } from './api'

export type StreamEvent = Schemas['StreamServerMessage']
type Listener = (event: StreamEvent) => void

let socket: WebSocket | null = null
let listeners: Listener[] = []
let retry = 0
let wanted = false
let pending: string[] = []

function connect() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/stream'
  const ws = new WebSocket(url)
  socket = ws
  ws.onopen = () => {
    retry = 0
    for (const m of pending) ws.send(m)
    pending = []
  }
  ws.onmessage = (m) => {
    let event: StreamEvent
    try {
      event = JSON.parse(m.data) as StreamEvent
    } catch {
      return
    }
    for (const l of listeners) l(event)
  }
  ws.onclose = () => {
    socket = null
    if (!wanted) return
    retry = Math.min(retry + 1, 6)
    setTimeout(() => wanted && connect(), 500 * 2 ** retry)
  }
}

export function startStream() {
  wanted = true
  if (!socket) connect()
}

export function stopStream() {
  wanted = false
  socket?.close()
  socket = null
}

// Whether an event changes what a ticket's page shows: any change to ticket `number` (a new
// message, an update, a customer's file fetched from an IM provider), so the page reloads it.
export function concernsTicket(event: StreamEvent, number: number): boolean {
  return 'ticket' in event && typeof event.ticket === 'object' && event.ticket.number === number
}

export function onStream(l: Listener): () => void {
  listeners.push(l)
  return () => {
    listeners = listeners.filter((x) => x !== l)
  }
}

export function sendStream(message: Schemas['StreamClientMessage']) {
  const text = JSON.stringify(message)
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(text)
  else pending.push(text)
}
