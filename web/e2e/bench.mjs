// Web figures in headless Chromium against the real server (see bench/web.md):
//   1. the desk's first-load JavaScript, gzipped (everything the browser fetched to show the inbox);
//   2. the inbox with 50 tickets: navigation start → 50 rows in the DOM (median of 5 loads);
//   3. a ticket with 100 messages: click in the inbox → 100 messages rendered (median of 5);
//   4. the inbox's first page, from the API's answer to 50 rows painted (median of 5);
// and, with BENCH_BIG_DATA=<a data directory of `gongdan bench-data --tickets 1000000`>, the
// same inbox on that database: its first page after the API answered, then 2,000 rows by
// "load more" and a scroll through them, frame by frame (the figure of issue 17).
import { chromium } from 'playwright-core'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ADMIN, apiSession, startServer } from './server.mjs'
import { scrollThrough } from './scroll.mjs'

const repo = resolve(new URL('.', import.meta.url).pathname, '../..')
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

// Opens "All open" on a fresh load and times, in the page (performance API), the list request
// (start → response end) and what follows it: response end → 50 rows in the DOM and painted.
async function firstPage(page, url) {
  await page.goto(url + '/desk/')
  await page.waitForSelector('[data-test=view-all_open]')
  return page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()))
    performance.clearResourceTimings()
    document.querySelector('[data-test=view-all_open]').click()
    for (;;) {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/tickets?') && e.name.includes('view=all_open'))
      if (entry && document.querySelectorAll('[data-test^=row-]').length >= 50) break
      await frame()
    }
    await frame() // the frame that paints the rows
    const painted = performance.now()
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/tickets?') && e.name.includes('view=all_open'))
    return { api: entry.responseEnd - entry.startTime, render: painted - entry.responseEnd }
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const server = await startServer()
setTimeout(() => { console.error('bench timed out'); process.exit(3) }, process.env.BENCH_BIG_DATA ? 1200000 : 300000).unref()
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
try {
  const admin = await apiSession(server.url, ADMIN.email, ADMIN.password)
  let big = 0
  for (let i = 1; i <= 50; i++) {
    const t = await admin('POST', '/tickets', { subject: `Bench ticket ${i} 打印机`, body: 'body ' + i, requester: { email: `bench${i}@example.cn`, name: `客户 ${i}` } })
    if (i === 50) big = t.number
  }
  for (let i = 1; i < 100; i++)
    await admin('POST', `/tickets/${big}/messages`, { body: `message ${i}`, html: `<p>message <b>${i}</b> 内容</p>`, internal: i % 5 === 0 })

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await ctx.newPage()
  const js = new Map()
  page.on('response', async (r) => {
    if (r.url().endsWith('.js')) js.set(r.url(), await r.body().catch(() => Buffer.alloc(0)))
  })
  await page.goto(server.url + '/desk/login')
  await page.fill('input[name=email]', ADMIN.email)
  await page.fill('input[name=password]', ADMIN.password)
  await page.click('[data-test=submit]')
  await page.waitForSelector('[data-test=view-all_open]')
  await page.click('[data-test=view-all_open]')
  await page.waitForFunction(() => document.querySelectorAll('[data-test^=row-]').length >= 50)
  const gz = [...js.values()].reduce((n, b) => n + gzipSync(b).length, 0)
  const raw = [...js.values()].reduce((n, b) => n + b.length, 0)
  // The admin settings and contacts pages are lazy chunks: what opening them adds.
  const firstLoad = new Set(js.keys())
  await page.click('[data-test=nav-admin]')
  await page.waitForSelector('[data-test=admin-list]')
  await page.click('[data-test=nav-contacts]')
  await page.waitForSelector('[data-test=contact-list]')
  await page.waitForTimeout(300)
  const later = [...js.entries()].filter(([u]) => !firstLoad.has(u))
  const laterGz = later.reduce((n, [, b]) => n + gzipSync(b).length, 0)

  // The inbox remembers nothing across loads: pick "All open" by URL-less click each time.
  const inbox = []
  for (let i = 0; i < 5; i++) {
    await page.goto(server.url + '/desk/', { waitUntil: 'commit' })
    await page.click('[data-test=view-all_open]')
    const ms = await page.evaluate(async () => {
      while (document.querySelectorAll('[data-test^=row-]').length < 50) await new Promise((r) => setTimeout(r, 5))
      return performance.now()
    })
    inbox.push(ms)
  }
  const ticket = []
  for (let i = 0; i < 5; i++) {
    await page.goto(server.url + '/desk/')
    await page.click('[data-test=view-all_open]')
    await page.waitForSelector(`[data-test=row-${big}] a`)
    const ms = await page.evaluate(async (n) => {
      const t0 = performance.now()
      ;(document.querySelector(`[data-test=row-${n}] a`)).click()
      while (document.querySelectorAll('[data-test=conversation] .gd-msg').length < 100) await new Promise((r) => requestAnimationFrame(r))
      await new Promise((r) => requestAnimationFrame(() => r()))
      return performance.now() - t0
    }, big)
    ticket.push(ms)
  }
  const small = []
  for (let i = 0; i < 5; i++) small.push(await firstPage(page, server.url))
  console.log(`desk first-load JS: ${js.size} files, ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped (limit 300)`)
  console.log(`admin settings + contacts, loaded on demand: ${later.length} files, ${(laterGz / 1024).toFixed(1)} KiB gzipped (not in the first load)`)
  console.log(`inbox with 50 tickets: ${median(inbox).toFixed(0)} ms from navigation start, median of 5 [${inbox.map((x) => x.toFixed(0)).join(', ')}] (limit 1000)`)
  console.log(`ticket with 100 messages: ${median(ticket).toFixed(0)} ms from click to painted, median of 5 [${ticket.map((x) => x.toFixed(0)).join(', ')}] (limit 300)`)
  console.log(`inbox first page (50 tickets in the database): API ${median(small.map((x) => x.api)).toFixed(0)} ms, then rendered in ${median(small.map((x) => x.render)).toFixed(0)} ms after the answer, median of 5 [${small.map((x) => x.render.toFixed(0)).join(', ')}]`)
  if (process.env.BENCH_BIG_DATA) await bigInbox(process.env.BENCH_BIG_DATA, median(small.map((x) => x.render)))
} finally {
  await browser.close()
  await server.stop()
}

// The inbox on a generated database of a million tickets: the first page after the API
// answered (median of 5), then 2,000 rows by "load more" (each page's render after its answer)
// and a scroll through all of them (frame intervals, long tasks).
async function bigInbox(data, baseline) {
  const bin = process.env.GONGDAN_BIN || join(repo, 'build/release/gongdan')
  const who = { email: 'bench-desk@bench.example', password: 'bench-desk-password-1' }
  // An admin of our own (ignored when it exists from an earlier run).
  spawnSync(bin, ['user', 'create', '--data', data, '--role', 'admin', '--email', who.email, '--password-stdin'], { input: who.password + '\n' })
  const big = await startServer({ data })
  try {
    const api = await apiSession(big.url, who.email, who.password)
    const total = (await api('GET', '/tickets?limit=1&view=all_open')).items.length
    if (!total) throw new Error('no open tickets in ' + data)
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await ctx.newPage()
    await page.goto(big.url + '/desk/login')
    await page.fill('input[name=email]', who.email)
    await page.fill('input[name=password]', who.password)
    await page.click('[data-test=submit]')
    await page.waitForSelector('[data-test=view-all_open]')
    await firstPage(page, big.url) // warms the server's cache and the browser's
    const first = []
    for (let i = 0; i < 5; i++) first.push(await firstPage(page, big.url))
    // 2,000 rows: "load more" 39 times after the first 50.
    const pages = []
    for (let shown = 50; shown < 2000; shown += 50) {
      pages.push(await page.evaluate(async (n) => {
        const frame = () => new Promise((r) => requestAnimationFrame(() => r()))
        performance.clearResourceTimings()
        document.querySelector('[data-test=load-more]').click()
        // How many the list holds (past 300 only those near the screen are in the page).
        const held = () => Number(document.querySelector('[data-test=shown]').textContent.match(/\d+/)[0])
        while (held() < n + 50) await frame()
        await frame()
        const painted = performance.now()
        const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/tickets?') && e.name.includes('cursor='))
        return { api: entry.responseEnd - entry.startTime, render: painted - entry.responseEnd }
      }, shown))
    }
    const rows = await page.$eval('[data-test=shown]', (e) => Number(e.textContent.match(/\d+/)[0]))
    const drawn = await page.$$eval('[data-test^=row-]', (r) => r.length)
    const scroll = await page.evaluate(scrollThrough)
    const f = scroll.frames
    const firstRender = median(first.map((x) => x.render))
    console.log(`1M inbox first page: API ${median(first.map((x) => x.api)).toFixed(0)} ms, then rendered in ${firstRender.toFixed(0)} ms after the answer, median of 5 [${first.map((x) => x.render.toFixed(0)).join(', ')}] (limit 300; ${(firstRender / baseline).toFixed(2)}× the 50-ticket database's ${baseline.toFixed(0)} ms)`)
    console.log(`1M inbox "load more" to ${rows} rows: each page rendered ${median(pages.map((x) => x.render)).toFixed(0)} ms after its answer (median of ${pages.length}, max ${Math.max(...pages.map((x) => x.render)).toFixed(0)}, the last ${pages[pages.length - 1].render.toFixed(0)}); API median ${median(pages.map((x) => x.api)).toFixed(0)} ms`)
    console.log(`1M inbox scroll through ${rows} rows (${drawn} in the page at a time, ${scroll.height} px, ${f.length} frames in ${scroll.ms.toFixed(0)} ms): frame interval median ${median(f).toFixed(1)} ms, p95 ${pct(f, 0.95).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms; long tasks: ${scroll.long.length}${scroll.long.length ? ', longest ' + Math.max(...scroll.long).toFixed(0) + ' ms' : ''}`)
  } finally {
    await big.stop()
  }
}
