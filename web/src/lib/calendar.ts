// A business calendar's definition (docs/api.md "Calendars") ↔ what its editor shows: the
// hours of each weekday as "09:00-12:00, 13:30-18:00", holidays as rows (a name, a first and
// a last day), make-up working days as dates; and a pasted holiday notice read line by line.
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export interface Holiday {
  name: string
  from: string
  to: string
  extra: Record<string, unknown> // members the editor does not show (weekday, for), kept
}
export interface MakeUpDay {
  date: string
  extra: Record<string, unknown>
}
export interface CalendarModel {
  name: string
  time_zone: string
  hours: Record<string, string>
  holidays: Holiday[]
  extra_working_days: MakeUpDay[]
  extra_hours: string
  rest: Record<string, unknown> // source, note …
}

const ranges = (v: unknown) => (Array.isArray(v) ? v.map(String).join(', ') : '')
const splitRanges = (s: string) => s.split(/[,，;\s]+/).map((x) => x.trim()).filter(Boolean)

function without(o: Record<string, unknown>, ...keys: string[]) {
  const out = { ...o }
  for (const k of keys) delete out[k]
  return out
}

export function calendarFromJson(v: unknown): CalendarModel {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>
  const weekly = (o.weekly_hours ?? {}) as Record<string, unknown>
  const hours: Record<string, string> = {}
  for (const d of WEEKDAYS) hours[d] = ranges(weekly[d])
  const holidays = (Array.isArray(o.holidays) ? o.holidays : []).map((h): Holiday => {
    if (typeof h === 'string') return { name: '', from: h, to: '', extra: {} }
    const x = (h ?? {}) as Record<string, unknown>
    return {
      name: String(x.name ?? ''), from: String(x.date ?? x.from ?? ''), to: String(x.to ?? ''),
      extra: without(x, 'name', 'date', 'from', 'to'),
    }
  })
  const extra_working_days = (Array.isArray(o.extra_working_days) ? o.extra_working_days : []).map((d): MakeUpDay => {
    if (typeof d === 'string') return { date: d, extra: {} }
    const x = (d ?? {}) as Record<string, unknown>
    return { date: String(x.date ?? ''), extra: without(x, 'date') }
  })
  return {
    name: String(o.name ?? ''), time_zone: String(o.time_zone ?? 'Asia/Shanghai'), hours, holidays,
    extra_working_days, extra_hours: ranges(o.extra_working_day_hours),
    rest: without(o, 'name', 'time_zone', 'weekly_hours', 'holidays', 'extra_working_days', 'extra_working_day_hours'),
  }
}

export function calendarToJson(m: CalendarModel): Record<string, unknown> {
  const weekly: Record<string, string[]> = {}
  for (const d of WEEKDAYS) if (m.hours[d]?.trim()) weekly[d] = splitRanges(m.hours[d])
  const out: Record<string, unknown> = { ...m.rest, time_zone: m.time_zone.trim(), weekly_hours: weekly }
  if (m.name.trim()) out.name = m.name.trim()
  out.holidays = m.holidays.filter((h) => h.from).map((h) => {
    const named = h.name.trim() ? { name: h.name.trim() } : {}
    if (!h.to || h.to === h.from) return Object.keys(named).length || Object.keys(h.extra).length ? { ...h.extra, ...named, date: h.from } : h.from
    return { ...h.extra, ...named, from: h.from, to: h.to }
  })
  out.extra_working_days = m.extra_working_days.filter((d) => d.date).map((d) => (Object.keys(d.extra).length ? { ...d.extra, date: d.date } : d.date))
  if (m.extra_hours.trim()) out.extra_working_day_hours = splitRanges(m.extra_hours)
  return out
}

const DATE = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/g
const pad = (n: string) => n.padStart(2, '0')
// Make-up working days are announced as "上班" (work) in a notice.
const WORK = /上班|补班|调休上班|make-?up|working day|work day/i

// A pasted notice, one holiday or make-up day per line: "2026-10-01 ~ 2026-10-07 国庆节",
// "2026年2月14日 上班", "2026-01-01". Two dates on a line are a range; the rest is its name.
export function parseNotice(text: string): { holidays: Holiday[]; workdays: MakeUpDay[]; skipped: string[] } {
  const holidays: Holiday[] = []
  const workdays: MakeUpDay[] = []
  const skipped: string[] = []
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue
    const dates = [...line.matchAll(DATE)].map((m) => `${m[1]}-${pad(m[2])}-${pad(m[3])}`)
    if (!dates.length) {
      skipped.push(line.trim())
      continue
    }
    if (WORK.test(line)) {
      for (const date of dates) workdays.push({ date, extra: {} })
      continue
    }
    const name = line.replace(DATE, ' ').replace(/[~～至到—–\-:：,，]/g, ' ').replace(/\s+/g, ' ').trim()
    holidays.push({ name, from: dates[0], to: dates.length > 1 ? dates[dates.length - 1] : '', extra: {} })
  }
  return { holidays, workdays, skipped }
}
