// Where the inbox's scroll through 2,000 rows spends the main thread (bench/web.md): the same
// steps as bench.mjs's BENCH_BIG_DATA run (sign in, "All open", "load more" to 2,000 rows), then
// the scroll with Chromium's CPU profiler on (CDP Profiler, 100 µs sampling) and the long
// tasks recorded; prints the functions with the most self time and the scroll's frame figures.
//
// usage: GONGDAN_BIN=… BENCH_BIG_DATA=<1M data dir> node e2e/scroll_profile.mjs
import { chromium } from 'playwright-core'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { apiSession, startServer } from './server.mjs'
import { scrollThrough } from './scroll.mjs'

const repo = resolve(new URL('.', import.meta.url).pathname, '../..')
const data = process.env.BENCH_BIG_DATA
if (!data) throw new Error('set BENCH_BIG_DATA')
const bin = process.env.GONGDAN_BIN || join(repo, 'build/release/gongdan')
const who = { email: 'bench-desk@bench.example', password: 'bench-desk-password-1' }
spawnSync(bin, ['user', 'create', '--data', data, '--role', 'admin', '--email', who.email, '--password-stdin'], { input: who.password + '\n' })
const big = await startServer({ data })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
try {
  await apiSession(big.url, who.email, who.password)
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.goto(big.url + '/desk/login')
  await page.fill('input[name=email]', who.email)
  await page.fill('input[name=password]', who.password)
  await page.click('[data-test=submit]')
  await page.waitForSelector('[data-test=view-all_open]')
  await page.click('[data-test=view-all_open]')
  const held = () => page.$eval('[data-test=shown]', (e) => Number(e.textContent.match(/\d+/)[0]))
  await page.waitForFunction(() => document.querySelectorAll('[data-test^=row-]').length >= 50)
  while ((await held()) < 2000) {
    await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()))
      const count = () => Number(document.querySelector('[data-test=shown]').textContent.match(/\d+/)[0])
      const before = count()
      document.querySelector('[data-test=load-more]')?.click()
      for (let i = 0; i < 600 && count() === before; i++) await frame()
    })
  }
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  await cdp.send('Profiler.start')
  // The renderer's own work (style, layout, paint …) by event name, from a trace of the scroll.
  const events = []
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value))
  const traced = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok))
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' })
  const scroll = await page.evaluate(scrollThrough)
  const { profile } = await cdp.send('Profiler.stop')
  await cdp.send('Tracing.end')
  await traced
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  // Wall time (dur) and the thread's CPU time (tdur): on a loaded machine the first holds the
  // time the renderer waited for a core, the second only its own work.
  const spent = new Map()
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || (main && (e.pid !== main.pid || e.tid !== main.tid))) continue
    const [wall, cpu] = spent.get(e.name) ?? [0, 0]
    spent.set(e.name, [wall + e.dur / 1000, cpu + (e.tdur ?? 0) / 1000])
  }
  console.log('renderer main thread, by trace event (inclusive): wall ms, CPU ms')
  for (const [k, [wall, cpu]] of [...spent.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12))
    console.log(`${wall.toFixed(1).padStart(8)} ${cpu.toFixed(1).padStart(8)}  ${k}`)
  globalThis.taskCpu = spent.get('RunTask')?.[1] ?? 0
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  const dt = profile.timeDeltas
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)
    const f = n.callFrame
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000)
  })
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const sorted = [...scroll.frames].sort((a, b) => a - b)
  console.log(`frames ${sorted.length}: median ${sorted[sorted.length >> 1].toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms; long tasks ${scroll.long.length}${scroll.long.length ? ' (longest ' + Math.max(...scroll.long).toFixed(0) + ' ms)' : ''}`)
  console.log(`main thread CPU per frame (RunTask tdur / frames): ${(globalThis.taskCpu / sorted.length).toFixed(1)} ms`)
  console.log(`profile: ${total.toFixed(0)} ms sampled`)
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 30)))
    console.log(`${v.toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
} finally {
  await browser.close()
  await big.stop()
}
