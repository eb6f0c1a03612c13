// Report metrics from GET /api/v1/reports/{metric} (docs/metrics.md), and the date arithmetic
// the dashboard and the report pages share: days are YYYY-MM-DD in the viewer's time zone.
import { get, query, type Reply } from './api'

export type Report = Reply<'getReport'>
export type ReportRow = Report['rows'][number]

export const METRICS = [
  'tickets_created', 'tickets_solved', 'tickets_reopened', 'first_response_time',
  'resolution_time', 'replies_to_resolution', 'one_touch_resolution', 'agent_replies', 'handle_time',
  'handle_time_per_solve', 'backlog',
  'csat', 'csat_response_rate', 'sla_compliance', 'sla_first_response_compliance',
  'sla_next_response_compliance', 'sla_resolution_compliance', 'kb_deflections',
] as const
export type Metric = (typeof METRICS)[number]

export const GROUPS = ['day', 'week', 'month', 'department', 'agent', 'priority', 'type', 'channel', 'tag', 'organization'] as const
export const BACKLOG_GROUPS = ['age', 'department', 'agent', 'priority', 'type', 'channel', 'tag', 'organization'] as const
// What a report may group by beside a filter on a tag, an organization or a field.
export const FILTERED_GROUPS = ['day', 'week', 'month', 'age', 'department', 'agent']
// Knowledge-base deflections have no ticket, so no dimension: periods only, and no filter.
export const PERIOD_GROUPS = ['day', 'week', 'month'] as const
export function hasDimensions(metric: Metric): boolean {
  return metric !== 'kb_deflections'
}

// The extra dimensions a report groups or filters by: the dropdown and multi-select fields with
// their options, and the organizations (lists the viewer may not read stay empty).
export interface Option {
  value: string
  label: string
}
export interface SelectField {
  key: string
  label: string
  options: Option[]
}
export interface Dimensions {
  fields: SelectField[]
  organizations: Option[]
}

type Row = Record<string, unknown>
async function rows(path: string): Promise<Row[]> {
  try {
    return ((await get(path)) as { items?: Row[] }).items ?? []
  } catch {
    return []
  }
}

export async function loadDimensions(zh: boolean): Promise<Dimensions> {
  const [fields, orgs] = await Promise.all([rows('/custom-fields'), rows('/organizations?limit=200')])
  const label = (r: Row, fallback: string) => String((zh && r.label_zh) || r.label || fallback)
  return {
    fields: fields
      .filter((f) => f.type === 'dropdown' || f.type === 'multi_select')
      .map((f) => ({
        key: String(f.key),
        label: label(f, String(f.key)),
        options: ((f.options as Row[] | undefined) ?? []).map((o) => ({ value: String(o.value), label: label(o, String(o.value)) })),
      })),
    organizations: orgs.map((o) => ({ value: String(o.id), label: String(o.name || '#' + String(o.id)) })),
  }
}

export interface ReportParams {
  from?: string
  to?: string
  group_by?: string
  tz?: string
  tag?: string
  organization?: string
  field?: string
}

export function fetchReport(metric: Metric, params: ReportParams): Promise<Report> {
  return get<'getReport'>('/reports/' + metric + query({ ...params }))
}

export function csvHref(metric: Metric, params: ReportParams): string {
  return '/api/v1/reports/' + metric + query({ ...params, format: 'csv' })
}

export function xlsxHref(metric: Metric, params: ReportParams): string {
  return '/api/v1/reports/' + metric + query({ ...params, format: 'xlsx' })
}

// Today's date in `timeZone`, YYYY-MM-DD.
export function today(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

// `day` moved by `days` (calendar days; no time zone involved).
export function addDays(day: string, days: number): string {
  const d = new Date(day + 'T00:00:00Z')
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

// Days from `from` to `to` (calendar days; 0 for the same day, negative when `to` is before).
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86400000)
}

// The range from `from` to `to` (both included), and the same number of days just before it.
export function rangeWithPrevious(from: string, to: string) {
  const n = daysBetween(from, to) + 1
  return {
    current: { from, to },
    previous: { from: addDays(from, -n), to: addDays(from, -1) },
  }
}

// The last `days` days up to `end` (included), and the same length just before.
export function periods(end: string, days: number) {
  return rangeWithPrevious(addDays(end, 1 - days), end)
}

// The longest custom range the dashboard shows (its chart has a point a day).
export const MAX_DASHBOARD_DAYS = 366

// Every day of a range, for charts that must show the empty days too.
export function daysOf(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d)
  return out
}

// Averages of times, each over a count (`count`: the tickets timed, or the solves).
export function isTime(metric: Metric): boolean {
  return metric === 'first_response_time' || metric === 'resolution_time' || metric === 'handle_time_per_solve'
}

// A duration for people: minutes, or hours from 90 minutes on.
export function formatDuration(ms: number): string {
  const minutes = ms / 60000
  return minutes >= 90 ? (minutes / 60).toFixed(1) + ' h' : Math.round(minutes) + ' min'
}

// Shares from 0 to 1: satisfied ratings of all ratings, answered surveys of those sent, SLA
// targets met of those met or breached.
export function isRatio(metric: Metric): boolean {
  return metric === 'csat' || metric === 'csat_response_rate' || metric === 'one_touch_resolution' || isSla(metric)
}

export function isSla(metric: Metric): boolean {
  return metric.startsWith('sla_')
}

// A value for people: counts as they are, shares in percent, times in hours or minutes.
export function formatValue(metric: Metric, value: number, count: number): string {
  if (isRatio(metric)) return count ? Math.round(value * 100) + '%' : '–'
  // An average number of replies per solve.
  if (metric === 'replies_to_resolution') return count ? value.toFixed(1) : '–'
  // Handle time: a total of milliseconds, none worked is 0 min.
  if (metric === 'handle_time') return formatDuration(value)
  if (!isTime(metric)) return String(Math.round(value))
  if (!count) return '–'
  return formatDuration(value)
}

// Change against the previous period, in percent (null when there was nothing before).
export function change(current: number, previous: number): number | null {
  if (!previous) return null
  return Math.round(((current - previous) / previous) * 100)
}
