// Issue 19's figure "the dashboard's first paint with data under 1 s in Chromium", against a
// running server (bench/reports.sh starts it on the million-ticket copy): signed in as an admin,
// the dashboard is loaded anew LOADS times; each load is timed from navigation start until every
// card of today and of the last 7 days shows a number (not "…") and both charts are drawn. The
// first load fetches the page's scripts; the rest find them in the cache, as a returning user.
//   URL=http://127.0.0.1:PORT EMAIL=… PASSWORD=… node e2e/dashboard_bench.mjs
import { chromium } from 'playwright-core'

const { URL: url, EMAIL: email, PASSWORD: password } = process.env
const loads = Number(process.env.LOADS || 6)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
setTimeout(() => { console.error('dashboard bench timed out'); process.exit(3) }, 180000).unref()
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  await page.goto(url + '/desk/login')
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.click('[data-test=submit]')
  await page.waitForSelector('[data-test=nav-reports]')
  const times = []
  for (let i = 0; i < loads; i++) {
    await page.goto(url + '/desk/dashboard', { waitUntil: 'commit' })
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const done = () => {
        const values = [...document.querySelectorAll('[data-test^=today-] .value, [data-test^=period-] .value')]
        return values.length >= 12 && values.every((v) => v.textContent.trim() !== '…') &&
          document.querySelectorAll('[data-test=report-chart] canvas').length >= 2
      }
      const tick = () => (done() ? resolve(performance.now()) : requestAnimationFrame(tick))
      tick()
    }))
    times.push(Math.round(ms))
  }
  const backlog = await page.textContent('[data-test=today-backlog] .value')
  console.log(JSON.stringify({ first_ms: times[0], median_ms: median(times.slice(1)), loads: times, backlog: backlog.trim() }))
} finally {
  await browser.close()
}
