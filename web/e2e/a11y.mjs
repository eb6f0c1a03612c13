// Accessibility: axe-core (npm) run in the page over the main screens, as the roles that use
// them (the inbox and a ticket as an agent, the settings as an admin, the portal as a customer),
// in both languages, at 360 and 1280 px. A serious or critical violation fails the walk, named
// with its rule, help text and the elements at fault.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

// Evaluated through the DevTools protocol: the desk's Content-Security-Policy (script-src 'self')
// rightly refuses an injected script tag.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

// The WCAG 2.1 A and AA rules and axe's best practices, as axe ships them.
async function violations(page, where) {
  await page.evaluate(axeSource)
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`)
  })
  return found.map((f) => `${where}: ${f}`)
}

export async function a11yFlow(browser, url, admin, locale, width) {
  const tag = `a11y-${locale}-${width}-${Date.now() % 100000}`.toLowerCase()
  const agent = await person(admin, 'agent', locale, tag)
  const customer = await person(admin, 'customer', locale, tag)
  const ticket = await admin('POST', '/tickets', { subject: 'Accessible ' + tag, body: 'Can everyone read this?', requester: { email: customer.email }, assignee: agent.id })
  await admin('POST', `/tickets/${ticket.number}/messages`, { body: 'Yes, with a screen reader too.', internal: false })
  await admin('PATCH', '/me', { locale })
  const found = []
  const pages = []
  try {
    const page = await signIn(browser, url, agent.email, agent.password, locale, width)
    pages.push(page)
    await page.waitForSelector('[data-test=view-all_open]')
    await page.click('[data-test=view-all_open]')
    await page.waitForSelector(`text=Accessible ${tag}`)
    found.push(...(await violations(page, 'inbox')))
    await page.goto(url + '/desk/tickets/' + ticket.number)
    await page.waitForSelector('[data-test=ticket-followers]')
    found.push(...(await violations(page, 'ticket')))

    const ap = await signIn(browser, url, ADMIN.email, ADMIN.password, locale, width)
    pages.push(ap)
    await ap.waitForSelector('[data-test=nav-admin]')
    for (const path of ['statuses', 'triggers', 'mailboxes', 'audit']) {
      await ap.goto(url + '/desk/admin/' + path)
      await ap.waitForSelector(path === 'audit' ? '[data-test=audit-list]' : '[data-test=admin-list]')
      found.push(...(await violations(ap, 'settings/' + path)))
    }

    const ctx = await browser.newContext({ viewport: { width, height: 800 }, locale })
    const cp = await ctx.newPage()
    pages.push(cp)
    await cp.goto(url + '/portal/login')
    await cp.fill('input[name=email]', customer.email)
    await cp.fill('input[name=password]', customer.password)
    await cp.click('[data-test=submit]')
    await cp.waitForSelector(`text=Accessible ${tag}`)
    found.push(...(await violations(cp, 'portal')))
    await cp.click(`text=Accessible ${tag}`)
    await cp.waitForSelector('text=Yes, with a screen reader too.')
    found.push(...(await violations(cp, 'portal ticket')))
  } finally {
    for (const p of pages) await p.context().close()
  }
  if (found.length) throw new Error(`axe: ${found.length} serious or critical violations:\n  ` + found.join('\n  '))
}
