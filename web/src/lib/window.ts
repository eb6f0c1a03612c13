// A long list keeps only the rows near the screen in the page (the inbox past WINDOW_FROM rows):
// which rows those are, from where the list's top is on the screen, an average row's height and
// the screen's height, with `overscan` rows on either side so a quick scroll finds them drawn.
export const WINDOW_FROM = 300

export function visibleRange(count: number, rowHeight: number, listTopOnScreen: number, viewHeight: number, overscan = 15): [number, number] {
  if (count <= 0) return [0, 0]
  const height = Math.max(1, rowHeight)
  const first = Math.floor(Math.max(0, -listTopOnScreen) / height) - overscan
  const last = Math.ceil((Math.max(0, -listTopOnScreen) + viewHeight) / height) + overscan
  const from = Math.max(0, Math.min(count - 1, first))
  return [from, Math.max(from + 1, Math.min(count, last))]
}
