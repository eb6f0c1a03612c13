// Handle time (docs/metrics.md): while a ticket's page is open, the desk counts the milliseconds
// its tab is visible and the agent was active (a key, a click, the pointer, scrolling) within
// the idle cut-off, and sends them as a heartbeat every 30 seconds, when the tab is hidden and
// when the page is left. The server counts at most the wall time since the agent's previous
// heartbeat on the ticket, so two tabs on one ticket count once.
export const BEAT_MS = 30_000
export const IDLE_MS = 5 * 60_000

export interface WorkTimerDeps {
  now(): number
  visible(): boolean
  send(ticket: number, ms: number): void
}

export class WorkTimer {
  private ticket = 0
  private lastInput = 0
  private lastTick = 0
  private counting = false
  private pending = 0

  constructor(private readonly deps: WorkTimerDeps) {}

  // A ticket's page opened: a heartbeat of 0 starts the count on the server.
  start(ticket: number) {
    if (this.ticket) this.stop()
    const now = this.deps.now()
    this.ticket = ticket
    this.lastInput = now
    this.lastTick = now
    this.counting = this.deps.visible()
    this.pending = 0
    this.deps.send(ticket, 0)
  }

  // The page left: what was counted goes out.
  stop() {
    if (!this.ticket) return
    this.flush()
    this.ticket = 0
  }

  // Adds the time since the last tick that the tab was visible and the agent not idle.
  private tick() {
    const now = this.deps.now()
    if (this.counting) {
      const activeUntil = Math.min(now, this.lastInput + IDLE_MS)
      this.pending += Math.max(0, activeUntil - this.lastTick)
    }
    this.lastTick = now
  }

  // The agent did something on the page.
  input() {
    if (!this.ticket) return
    this.tick()
    this.lastInput = this.deps.now()
  }

  // The tab was hidden or shown: hiding sends what was counted.
  visibility() {
    if (!this.ticket) return
    this.tick()
    this.counting = this.deps.visible()
    if (!this.counting) this.flush()
  }

  // The heartbeat (every BEAT_MS): sends what was counted since the last one, if anything.
  flush() {
    if (!this.ticket) return
    this.tick()
    const ms = Math.round(this.pending)
    this.pending = 0
    if (ms > 0) this.deps.send(this.ticket, ms)
  }
}
