// Web figures in headless Chromium against the real server (see bench/web.md):
//   1. the desk's first-load JavaScript, gzipped (everything the browser fetched to show the inbox);
//   2. the inbox with 50 tickets: navigation start → 50 rows in the DOM (median of 5 loads);
//   3. a ticket with 100 messages: click in the inbox → 100 messages rendered (median of 5).
import { chromium } from 'playwright-core'
import { gzipSync } from 'node:zlib'
import { ADMIN, apiSession, startServer } from './server.mjs'

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const server = await startServer()
setTimeout(() => { console.error('bench timed out'); process.exit(3) }, 240000).unref()
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
  console.log(`desk first-load JS: ${js.size} files, ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped (limit 300)`)
  console.log(`admin settings + contacts, loaded on demand: ${later.length} files, ${(laterGz / 1024).toFixed(1)} KiB gzipped (not in the first load)`)
  console.log(`inbox with 50 tickets: ${median(inbox).toFixed(0)} ms from navigation start, median of 5 [${inbox.map((x) => x.toFixed(0)).join(', ')}] (limit 1000)`)
  console.log(`ticket with 100 messages: ${median(ticket).toFixed(0)} ms from click to painted, median of 5 [${ticket.map((x) => x.toFixed(0)).join(', ')}] (limit 300)`)
} finally {
  await browser.close()
  await server.stop()
}
