// The installable desk: its service worker registers from the desk (never from the portal or
// the embedded form), controls the page after a reload, keeps the app shell in one versioned
// cache and nothing of the API, and the desk opens with the network gone.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function serviceWorkerFlow(browser, url, locale, out) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale })
  try {
    // The portal and the embedded form register nothing.
    const portal = await ctx.newPage()
    await portal.goto(url + '/embed/form')
    await portal.waitForSelector('[data-test=embed-submit]')
    await portal.goto(url + '/portal/login')
    await portal.waitForSelector('input[name=email]')
    check((await portal.evaluate(() => navigator.serviceWorker.getRegistrations())).length === 0, 'no worker from the portal or the form')
    await portal.close()

    const page = await ctx.newPage()
    await page.goto(url + '/desk/login')
    await page.fill('input[name=email]', ADMIN.email)
    await page.fill('input[name=password]', ADMIN.password)
    await page.click('[data-test=submit]')
    await page.waitForSelector('[data-test=view-all_open]')
    await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration('/desk/'))?.active, null, { timeout: 20000 })
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)
    check(scope === url + '/desk/', 'the worker controls the desk only: ' + scope)
    await page.reload()
    await page.waitForSelector('[data-test=view-all_open]')
    check(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the worker controls the page after a reload')
    const cache = await page.evaluate(async () => {
      const names = await caches.keys()
      const urls = []
      for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname)
      return { names, urls }
    })
    check(cache.names.length === 1 && /^gongdan-shell-[0-9a-f]{12}$/.test(cache.names[0]), 'one versioned cache: ' + cache.names)
    check(cache.urls.includes('/desk/') && cache.urls.some((u) => /^\/assets\/main-.*\.js$/.test(u)), 'the shell is cached')
    check(!cache.urls.some((u) => u.startsWith('/api/')), 'nothing of the API is cached: ' + cache.urls.filter((u) => u.startsWith('/api/')))

    // No network: the desk still opens (on its sign-in page, as the session cannot be checked)
    // and says it is offline.
    await ctx.setOffline(true)
    await page.goto(url + '/desk/')
    await page.waitForSelector('[data-test=offline]')
    await page.waitForSelector('input[name=email]')
    await page.screenshot({ path: join(out, `${locale}-360-desk-offline.png`), fullPage: true })
    await ctx.setOffline(false)
    await page.goto(url + '/desk/')
    await page.waitForSelector('[data-test=view-all_open]')
    check(!(await page.$('[data-test=offline]')), 'the offline line goes with the network back')
  } finally {
    await ctx.close()
  }
}
