// A ticket's SLA as the badges show it: which target comes due first, how long is left (or how
// long it has been overdue), paused, or nothing to show. Seconds come from the server's own
// clock (`*_remaining_seconds`), less the seconds since the answer arrived, so a browser whose
// clock is off still counts right.
import type { Schemas } from './api'
import { cachedFormat, formatTime } from './time'

export type Sla = Schemas['TicketSla']
export type SlaTarget = 'first_response' | 'next_response' | 'resolution'
// ok: time left; warning: under an hour left (red before the breach); breached: overdue.
export type SlaLevel = 'ok' | 'warning' | 'breached'

export interface SlaClock {
  target: SlaTarget
  dueAt: string
  seconds: number
  level: SlaLevel
}

export type SlaState = { kind: 'none' } | { kind: 'paused' } | ({ kind: 'running' } & SlaClock)

export const WARNING_SECONDS = 3600
const TARGETS: SlaTarget[] = ['first_response', 'next_response', 'resolution']

export function levelOf(seconds: number): SlaLevel {
  if (seconds < 0) return 'breached'
  return seconds <= WARNING_SECONDS ? 'warning' : 'ok'
}

// Every running target, soonest first.
export function slaClocks(sla: Sla | null | undefined, elapsedSeconds = 0): SlaClock[] {
  if (!sla || sla.policy === null || sla.paused) return []
  const clocks: SlaClock[] = []
  for (const target of TARGETS) {
    const dueAt = sla[`${target}_due_at`]
    const remaining = sla[`${target}_remaining_seconds`]
    if (!dueAt || remaining === null || remaining === undefined) continue
    const seconds = remaining - elapsedSeconds
    clocks.push({ target, dueAt, seconds, level: levelOf(seconds) })
  }
  return clocks.sort((a, b) => a.seconds - b.seconds)
}

// The one badge a list row shows: the soonest target, or paused, or none.
export function slaState(sla: Sla | null | undefined, elapsedSeconds = 0): SlaState {
  if (!sla || sla.policy === null) return { kind: 'none' }
  if (sla.paused) return { kind: 'paused' }
  const first = slaClocks(sla, elapsedSeconds)[0]
  return first ? { kind: 'running', ...first } : { kind: 'none' }
}

// "2 hr 5 min", "3 天 4 小时": the two largest units, in the viewer's language.
export function formatDuration(totalSeconds: number, locale: string): string {
  let s = Math.abs(Math.trunc(totalSeconds))
  const parts: [Intl.NumberFormatOptions['unit'], number][] = []
  const days = Math.floor(s / 86400)
  s -= days * 86400
  const hours = Math.floor(s / 3600)
  s -= hours * 3600
  const minutes = Math.floor(s / 60)
  if (days) parts.push(['day', days], ['hour', hours])
  else if (hours) parts.push(['hour', hours], ['minute', minutes])
  // Under a minute still shows as one: "0 min" left would read as already due.
  else parts.push(['minute', s > 0 ? Math.max(1, minutes) : minutes])
  return parts
    .filter(([, n], i) => i === 0 || n > 0)
    .map(([unit, n]) => cachedFormat(`unit|${locale}|${unit}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' })).format(n))
    .join(' ')
}

type Translate = (key: string, named?: Record<string, unknown>) => string
const TARGET_KEYS: Record<SlaTarget, string> = { first_response: 'sla.firstResponse', next_response: 'sla.nextResponse', resolution: 'sla.resolution' }

// What one badge says, or null for no badge: the same words on the ticket page (a component)
// and in each inbox row (written into the row itself, since a component per row cost the scroll).
export interface SlaBadgeView {
  level: SlaLevel | 'paused'
  text: string
  clock?: SlaClock
}

export function slaBadge(sla: Sla | null | undefined, elapsedSeconds: number, t: Translate, locale: string, compact: boolean): SlaBadgeView | null {
  const s = slaState(sla, elapsedSeconds)
  if (s.kind === 'none') return null
  if (s.kind === 'paused') return { level: 'paused', text: t('sla.paused') }
  const time = formatDuration(s.seconds, locale)
  const words = s.level === 'breached' ? t('sla.overdue', { time }) : t('sla.left', { time })
  return { level: s.level, text: compact ? words : t('sla.labelled', { target: t(TARGET_KEYS[s.target]), words }), clock: s }
}

// The badge's title: which target and when it is due, in the viewer's zone.
export function slaTitle(clock: SlaClock, t: Translate, locale: string, timeZone: string): string {
  return t(TARGET_KEYS[clock.target]) + ' · ' + t('sla.due', { at: formatTime(clock.dueAt, locale, timeZone) })
}
