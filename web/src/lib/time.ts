// Times in the viewer's zone, and "3 minutes ago" / "3 分钟前" through Intl.

// Making an Intl formatter costs far more than using one, and a long inbox formats thousands of
// times per render: each is made once per language (and zone) and kept.
const made = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>()
export function cachedFormat<F extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = made.get(key) as F | undefined
  if (!f) {
    f = make()
    made.set(key, f)
  }
  return f
}

export function formatTime(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return ''
  try {
    return cachedFormat(`time|${locale}|${timeZone || 'UTC'}`, () => new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: timeZone || 'UTC',
    })).format(new Date(iso))
  } catch {
    return new Date(iso).toISOString()
  }
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

export function relativeTime(iso: string | null | undefined, locale: string, now = Date.now()): string {
  if (!iso) return ''
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const rtf = cachedFormat(`relative|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }))
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return rtf.format(Math.round(seconds / size), unit)
    }
  }
  return ''
}

// The UTC instant (ISO 8601, seconds) at which a day (YYYY-MM-DD) begins in a time zone: how a
// date the viewer picks becomes the server's UTC filter.
export function startOfDay(day: string, timeZone: string): string {
  return localToUtc(day + 'T00:00', timeZone)
}

// The UTC instant (ISO 8601, seconds) of a wall-clock time (YYYY-MM-DDTHH:MM, as a
// datetime-local input gives it) in a time zone: how a time the viewer picks reaches the server.
export function localToUtc(local: string, timeZone: string): string {
  const [day, clock = '00:00'] = local.split('T')
  const [y, m, d] = day.split('-').map(Number)
  const [hh, mm] = clock.split(':').map(Number)
  const guess = Date.UTC(y, m - 1, d, hh, mm)
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone || 'UTC', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(at))
    const n = (type: string) => Number(parts.find((p) => p.type === type)?.value)
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at
  }
  let at = guess - offset(guess)
  at = guess - offset(at)  // once more, in case a change of offset lies between the two
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
