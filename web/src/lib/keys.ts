import { onMounted, onUnmounted } from 'vue'

// Page shortcuts, ignored while typing in a field.
export function useKeys(handler: (key: string, e: KeyboardEvent) => void) {
  const listener = (e: KeyboardEvent) => {
    const el = e.target as HTMLElement | null
    if (e.ctrlKey || e.metaKey || e.altKey) return
    if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return
    handler(e.key, e)
  }
  onMounted(() => window.addEventListener('keydown', listener))
  onUnmounted(() => window.removeEventListener('keydown', listener))
}
