// A screenshot of every page, in both languages at 360 and 1280 px (tests/out/e2e/page-<locale>-
// <width>-<name>.png): the desk's pages and every settings page as an admin, the pages before
// sign-in, and the portal as a customer. Each page must render (its own content, no error box
// filling the page); what it shows is checked by the walks that use it.
import { join } from 'node:path'
import { ADMIN, apiSession } from './server.mjs'
import { person } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

// Waits for the page's data to arrive (bounded: the live stream never goes quiet).
async function settle(page) {
  await page.waitForSelector('#app > *')
  await page.waitForLoadState('networkidle', { timeout: 4000 }).catch(() => {})
}

export async function pagesFlow(browser, url, admin, out) {
  const tag = `pages${Date.now() % 100000}`
  const customer = await person(admin, 'customer', 'zh-CN', tag, '页面 客户')
  const cust = await apiSession(url, customer.email, customer.password)
  // A long subject with an unbroken run (a pasted path) must wrap on a phone, not widen the page.
  const long = 'Pages ' + tag + ' 打印机无法连接 /srv/share/finance/reports/2026/quarterly-close-checklist-final-v3.xlsx'
  const mine = await cust('POST', '/tickets', { subject: long, body: '截图用的工单 for screenshots' })
  const any = (await admin('GET', '/tickets?limit=1')).items[0]
  const org = (await admin('GET', '/organizations?limit=1')).items?.[0]
  const article = (await admin('GET', '/kb/articles?limit=1').catch(() => ({ items: [] }))).items?.[0]
  const shots = []
  for (const locale of ['zh-CN', 'en']) {
    await admin('PATCH', '/me', { locale })
    await admin('PATCH', `/contacts/${customer.id}`, { locale })
    for (const width of [360, 1280]) {
      const viewport = { width, height: width < 500 ? 740 : 800 }
      const name = (n) => `page-${locale}-${width}-${n}`
      const shoot = async (page, n) => {
        await settle(page)
        await page.screenshot({ path: join(out, name(n) + '.png'), fullPage: true })
        shots.push(name(n))
      }
      // Before signing in.
      const anon = await browser.newContext({ viewport, locale })
      try {
        const page = await anon.newPage()
        for (const [n, path] of [['desk-login', '/desk/login'], ['portal-login', '/portal/login'], ['portal-signup', '/portal/signup'], ['embed-form', '/embed/form']]) {
          await page.goto(url + path)
          await shoot(page, n)
        }
      } finally {
        await anon.close()
      }
      // The desk, as an admin.
      const desk = await browser.newContext({ viewport, locale })
      try {
        const page = await desk.newPage()
        await page.goto(url + '/desk/login')
        await page.fill('input[name=email]', ADMIN.email)
        await page.fill('input[name=password]', ADMIN.password)
        await page.click('[data-test=submit]')
        await page.waitForSelector('[data-test=view-all_open]')
        const routes = [
          ['inbox', '/desk/'], ['ticket', '/desk/tickets/' + any.number], ['new-ticket', '/desk/new'],
          ['search', '/desk/search'], ['contacts', '/desk/contacts'], ['contact', '/desk/contacts/' + customer.id],
          ['organizations', '/desk/organizations'], ['profile', '/desk/profile'], ['dashboard', '/desk/dashboard'],
          ['report', '/desk/reports/tickets_created'], ['kb', '/desk/kb'], ['chats', '/desk/chats'],
        ]
        if (org) routes.push(['organization', '/desk/organizations/' + org.id])
        if (article) routes.push(['kb-article', '/desk/kb/' + article.id])
        for (const [n, path] of routes) {
          await page.goto(url + path)
          await shoot(page, n)
        }
        // Every settings page the admin's navigation lists.
        await page.goto(url + '/desk/admin')
        await page.waitForSelector('[data-test^=admin-nav-]')
        const admins = await page.$$eval('[data-test^=admin-nav-]', (links) => links.map((a) => a.getAttribute('href')))
        check(admins.length > 20, 'the settings pages are listed: ' + admins.length)
        for (const path of admins) {
          await page.goto(url + path)
          await shoot(page, 'admin-' + path.split('/').pop())
        }
      } finally {
        await desk.close()
      }
      // The portal, as a customer.
      const portal = await browser.newContext({ viewport, locale })
      try {
        const page = await portal.newPage()
        await page.goto(url + '/desk/login')
        await page.fill('input[name=email]', customer.email)
        await page.fill('input[name=password]', customer.password)
        await page.click('[data-test=submit]')
        await page.waitForURL('**/portal/**')
        for (const [n, path] of [['portal-tickets', '/portal/'], ['portal-new', '/portal/new'], ['portal-ticket', '/portal/tickets/' + mine.number]]) {
          await page.goto(url + path)
          await shoot(page, n)
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
          check(wide <= 0, `${name(n)}: the page is ${wide} px wider than the window`)
        }
      } finally {
        await portal.close()
      }
    }
  }
  console.log(`     ${shots.length} page screenshots in tests/out/e2e/page-*.png`)
}
