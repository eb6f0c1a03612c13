// A list route read page by page (`{"items", "next_cursor"}`): the rows so far, "load more", and
// the error of the last read, for the desk's logs and queues.
import { ref, type Ref } from 'vue'
import { get, errorText, query } from './api'

export function usePaged<T>(path: () => string, params: () => Record<string, string | undefined> = () => ({})) {
  const rows = ref([]) as Ref<T[]>
  const cursor = ref<string | null>(null)
  const error = ref('')
  const busy = ref(false)
  // Filters change while a read is on its way: only the answer to the latest read is shown.
  let latest = 0
  async function load(more = false) {
    const mine = ++latest
    busy.value = true
    error.value = ''
    try {
      const r = (await get(path() + query({ ...params(), limit: 100, cursor: more ? cursor.value : undefined }))) as {
        items: T[]
        next_cursor?: string | null
      }
      if (mine !== latest) return
      rows.value = more ? [...rows.value, ...r.items] : r.items
      cursor.value = r.next_cursor ?? null
    } catch (e) {
      if (mine === latest) error.value = errorText(e)
    } finally {
      if (mine === latest) busy.value = false
    }
  }
  return { rows, cursor, error, busy, load }
}

// Rows as CSV (RFC 4180 quoting), with a byte-order mark so spreadsheet programs read UTF-8.
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v)
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
  }
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
