import { ref } from 'vue'

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

// A list's drag and drop by grip: which row is dragged, which one it is over (for the outline),
// and `drop(from, to)` called when it lands on a row.
export function useDragOrder(drop: (from: number, to: number) => void) {
  const dragFrom = ref<number | null>(null)
  const over = ref<number | null>(null)
  function endDrag() {
    dragFrom.value = over.value = null
  }
  function leave() {
    over.value = null
  }
  function startDrag(e: DragEvent, i: number) {
    dragFrom.value = i
    e.dataTransfer?.setData('text/plain', String(i))
    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
  }
  function dragOver(e: DragEvent, i: number) {
    if (dragFrom.value === null) return
    e.preventDefault() // allows the drop
    over.value = i
  }
  function dropOn(i: number) {
    const from = dragFrom.value
    endDrag()
    if (from !== null) drop(from, i)
  }
  return { over, endDrag, leave, startDrag, dragOver, dropOn }
}
