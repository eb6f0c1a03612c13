// The inbox's scroll as bench.mjs and scroll_profile.mjs measure it. It runs in the page (pass
// it to page.evaluate, so it may use nothing from this module): from the top of the scrolling
// box to its bottom, 400 px a frame as a wheel would, recording every frame's interval and every
// long task (> 50 ms on the main thread).
export async function scrollThrough() {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()))
  const boxes = [document.scrollingElement, ...document.querySelectorAll('*')]
  const box = boxes.find((e) => e && e.scrollHeight - e.clientHeight > 5000 && (e === document.scrollingElement || /auto|scroll/.test(getComputedStyle(e).overflowY)))
  const long = []
  const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)))
  observer.observe({ type: 'longtask' })
  const frames = []
  box.scrollTop = 0
  await frame()
  let last = performance.now()
  const start = last
  while (box.scrollTop + box.clientHeight < box.scrollHeight - 1) {
    box.scrollTop += 400
    await frame()
    const now = performance.now()
    frames.push(now - last)
    last = now
  }
  await frame()
  observer.disconnect()
  return { height: box.scrollHeight, frames, long, ms: last - start }
}
