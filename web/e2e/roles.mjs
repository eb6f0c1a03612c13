// Every role's day in the desk, in the given language: an admin changes a mail channel's
// encryption (a select of tls/starttls/none) and saves it; a supervisor and an agent assign tickets
// to colleagues from the directory, look a contact up (read-only); a light agent writes an
// internal note and is offered no public reply; a customer who opens the desk lands in the
// portal. Screenshots go next to the others (roles-<locale>-*.png).
import { join } from 'node:path'
import { ADMIN, apiSession } from './server.mjs'

const WORDS = {
  en: { colleague: 'Wang Fang', contacts: 'Contacts' },
  'zh-CN': { colleague: '王芳', contacts: '联系人' },
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function signIn(browser, url, email, password, locale, width = 1280) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, locale })
  const page = await ctx.newPage()
  await page.goto(url + '/desk/login')
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', password)
  await page.click('[data-test=submit]')
  return page
}

// Makes one person of `role` speaking `locale`; returns their account and password.
export async function person(admin, role, locale, tag, name) {
  const password = 'role-password-1'
  const email = `${role.replace('_', '')}-${tag}-${Date.now()}@example.cn`
  const body = { email, name: name ?? `${role} ${tag}`, locale, time_zone: 'Asia/Shanghai', password }
  const user = role === 'customer' ? await admin('POST', '/contacts', body) : await admin('POST', '/agents', { ...body, role })
  return { ...user, password }
}

// The admin edits an existing mailbox: its encryption is a choice, and saving it works.
async function adminMailbox(browser, url, admin, locale, shot) {
  const box = (await admin('GET', '/mailboxes?limit=200')).items[0]
  check(box, 'the run set up a mailbox')
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/admin/mailboxes')
    await page.click(`[data-test=admin-edit-${box.id}]`)
    const tls = await page.waitForSelector('[data-test=admin-field-imap_tls]')
    check((await tls.evaluate((e) => e.tagName)) === 'SELECT', 'the encryption is a select')
    const next = box.imap_tls === 'starttls' ? 'tls' : 'starttls'
    await page.selectOption('[data-test=admin-field-imap_tls]', next)
    await shot(page, 'admin-mailbox')
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form]', { state: 'detached' })
    const saved = (await admin('GET', '/mailboxes/' + box.id))
    check(saved.imap_tls === next && saved.smtp_tls === box.smtp_tls, 'the mailbox saved: ' + JSON.stringify(saved))
  } finally {
    await page.context().close()
  }
}

export async function rolesFlow(browser, url, admin, locale, out) {
  const w = WORDS[locale]
  const tag = locale.toLowerCase()
  const shot = (page, name) => page.screenshot({ path: join(out, `roles-${locale}-${name}.png`), fullPage: true })
  const supervisor = await person(admin, 'supervisor', locale, tag)
  const agent = await person(admin, 'agent', locale, tag)
  const colleague = await person(admin, 'agent', locale, tag, `${w.colleague} ${tag}`)
  const light = await person(admin, 'light_agent', locale, tag)
  const customer = await person(admin, 'customer', locale, tag)
  const ticket = await admin('POST', '/tickets', { subject: 'Roles ' + tag, body: 'x', requester: { email: customer.email } })
  const pages = []
  await admin('PATCH', '/me', { locale })
  await adminMailbox(browser, url, admin, locale, shot)
  try {
    // The supervisor gives the ticket to the agent, picked from the directory.
    const sup = await signIn(browser, url, supervisor.email, supervisor.password, locale)
    pages.push(sup)
    await sup.waitForSelector('[data-test=view-all_open]')
    await sup.goto(url + '/desk/tickets/' + ticket.number)
    await sup.waitForSelector(`[data-test=side-assignee] option[value="${agent.id}"]`, { state: 'attached' })
    await sup.selectOption('[data-test=side-assignee]', String(agent.id))
    await sup.click('[data-test=side-save]')
    await sup.waitForSelector('[data-test=side] [role=status]')
    check((await admin('GET', '/tickets/' + ticket.number)).assignee?.id === agent.id, 'supervisor assigned to the agent')

    // The agent passes it on to a colleague, then looks the customer up without an edit button.
    const ag = await signIn(browser, url, agent.email, agent.password, locale)
    pages.push(ag)
    await ag.waitForSelector('[data-test=view-all_open]')
    await ag.goto(url + '/desk/tickets/' + ticket.number)
    await ag.waitForSelector(`[data-test=side-assignee] option[value="${colleague.id}"]`, { state: 'attached' })
    check(!(await ag.$(`[data-test=side-assignee] option[value="${light.id}"]`)), 'a light agent is no assignee')
    await ag.selectOption('[data-test=side-assignee]', String(colleague.id))
    await ag.click('[data-test=side-save]')
    await ag.waitForSelector('[data-test=side] [role=status]')
    check((await admin('GET', '/tickets/' + ticket.number)).assignee?.id === colleague.id, 'agent assigned to a colleague')
    await shot(ag, 'agent-assigned')
    await ag.click('[data-test=nav-contacts]')
    await ag.waitForSelector('[data-test=contact-list]')
    await ag.fill('[data-test=contact-search]', customer.email)
    await ag.keyboard.press('Enter')
    await ag.waitForSelector(`[data-test=contact-${customer.id}]`)
    check((await ag.textContent('h1')).includes(w.contacts), 'contacts page in ' + locale)
    check(!(await ag.$('[data-test=contact-new]')), 'only admins add contacts')
    await ag.click(`[data-test=contact-${customer.id}] a`)
    await ag.waitForSelector('[data-test=readonly-contact][disabled]')
    check(!(await ag.$('[data-test=contact-save]')), 'only admins change contacts')
    await shot(ag, 'agent-contact')

    // The light agent reads the ticket and writes a note; there is no reply to offer.
    const li = await signIn(browser, url, light.email, light.password, locale)
    pages.push(li)
    await li.waitForSelector('[data-test=view-all_open]')
    await li.click('[data-test=view-all_open]')
    await li.check(`[data-test=row-${ticket.number}] input[type=checkbox]`)
    check(!(await li.$('[data-test=bulk-apply]')) && !(await li.$('[data-test=merge]')), 'no bulk change for a light agent')
    await li.goto(url + '/desk/tickets/' + ticket.number)
    await li.waitForSelector('[data-test=editor] textarea')
    check(!(await li.$('[data-test=tab-reply]')), 'no public reply for a light agent')
    check(await li.$eval('[data-test=side-assignee]', (s) => s.disabled), 'a light agent assigns nobody')
    await li.fill('[data-test=editor] textarea', 'light note ' + tag)
    await li.click('[data-test=send]')
    await li.waitForSelector('[data-test=conversation] .gd-msg.internal')
    const messages = await admin('GET', `/tickets/${ticket.number}/messages?limit=50`)
    check(messages.items.some((m) => m.internal && m.body.includes('light note ' + tag)), 'the note was internal')
    await shot(li, 'light-note')

    // The customer who opens the desk is sent to the portal, and sees no note there.
    const cu = await signIn(browser, url, customer.email, customer.password, locale)
    pages.push(cu)
    await cu.waitForURL('**/portal/**')
    await cu.goto(url + '/desk/')
    await cu.waitForURL('**/portal/')
    await cu.goto(url + '/desk/tickets/' + ticket.number)
    await cu.waitForURL('**/portal/')
    await cu.waitForSelector('[data-test=portal-new]')
    const own = await apiSession(url, customer.email, customer.password)
    check((await own('GET', `/tickets/${ticket.number}/messages?limit=50`)).items.every((m) => !m.internal), 'customer sees no note')
    await shot(cu, 'customer-portal')
  } finally {
    for (const p of pages) await p.context().close()
  }
}
