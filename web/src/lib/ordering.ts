// Lists put in order by hand (a form's fields, the views, statuses and other settings with a
// position): drag and drop, or the keyboard's move up/down, both end in `moved`; the settings
// page then saves each item whose place changed with `positionChanges`.
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list]
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item)
  return out
}

// Positions 1, 2, 3 … in the list's order: only the items whose position must change.
export function positionChanges<T extends { id: number | string; position?: unknown }>(list: readonly T[]): { id: T['id']; position: number }[] {
  return list.flatMap((item, i) => (item.position === i + 1 ? [] : [{ id: item.id, position: i + 1 }]))
}
