// Contacts, organizations, an admin page and ticket links in the desk, in the given language and
// width: find a contact by name, open it with its tickets, edit it; add a department through the
// admin settings and see it listed; link two tickets. Screenshots go next to the others.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'

const WORDS = {
  en: { name: 'Zhang San', dept: 'Billing desk', saved: 'Saved', contacts: 'Contacts', related: 'Related to' },
  'zh-CN': { name: '张三丰', dept: '财务部', saved: '已保存', contacts: '联系人', related: '相关' },
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function directoryFlow(browser, url, admin, locale, width, out) {
  const w = WORDS[locale]
  const tag = `${locale}-${width}`
  const shot = (page, name) => page.screenshot({ path: join(out, `${tag}-${name}.png`), fullPage: true })
  const noOverflow = async (page, what) => {
    const o = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(o <= 1, `${what} fits ${width}px (overflow ${o})`)
  }
  await admin('PATCH', '/me', { locale })
  const domain = `acme-${tag.toLowerCase()}.example.cn`
  const org = await admin('POST', '/organizations', { name: 'Acme ' + tag, domains: [domain] })
  const email = `zhang@${domain}`
  const first = await admin('POST', '/tickets', { subject: 'Invoice question ' + tag, body: 'x', requester: { email, name: w.name } })
  const second = await admin('POST', '/tickets', { subject: 'Second issue ' + tag, body: 'y', requester: { email: `other@${domain}` } })
  const contactId = first.requester.id

  const ctx = await browser.newContext({ viewport: { width, height: width < 500 ? 740 : 800 }, locale })
  try {
    const page = await ctx.newPage()
    await page.goto(url + '/desk/login')
    await page.fill('input[name=email]', ADMIN.email)
    await page.fill('input[name=password]', ADMIN.password)
    await page.click('[data-test=submit]')
    await page.waitForSelector('[data-test=view-all_open]')

    // Contacts: search by name, open, see the tickets, edit.
    await page.click('[data-test=nav-contacts]')
    await page.waitForSelector('[data-test=contact-list]')
    check((await page.textContent('h1')).includes(w.contacts), 'contacts page in ' + locale)
    await page.fill('[data-test=contact-search]', w.name)
    await page.keyboard.press('Enter')
    await page.waitForSelector(`[data-test=contact-${contactId}]`)
    check((await page.$$('[data-test^=contact-] a')).length >= 1, 'search found the contact')
    await shot(page, 'contacts')
    await noOverflow(page, 'contacts list')
    await page.click(`[data-test=contact-${contactId}] a`)
    await page.waitForSelector('[data-test=their-tickets] a')
    check((await page.textContent('[data-test=their-tickets]')).includes('Invoice question ' + tag), 'the contact\'s ticket is listed')
    check(Number(await page.$eval('[data-test=contact-org]', (s) => s.value)) === org.id, 'joined the organization by domain')
    await page.fill('[data-test=contact-phones]', `+86 138 0000 ${width}${locale === 'en' ? 1 : 2}`)
    await page.fill('[data-test=contact-notes]', 'VIP ' + tag)
    await page.click('[data-test=contact-save]')
    await page.waitForSelector('[data-test=contact-saved], [data-test=contact-error]')
    check(!(await page.$('[data-test=contact-error]')), 'save failed: ' + (await page.$('[data-test=contact-error]') && await page.textContent('[data-test=contact-error]')))
    check((await page.textContent('[data-test=contact-saved]')).includes(w.saved), 'saved in ' + locale)
    const saved = await admin('GET', '/contacts/' + contactId)
    check(saved.notes === 'VIP ' + tag && saved.phones.length === 1, 'contact edit stored: ' + JSON.stringify(saved))
    await shot(page, 'contact')
    await noOverflow(page, 'contact page')

    // Organization: its page lists both members' tickets.
    await page.goto(url + '/desk/organizations/' + org.id)
    await page.waitForSelector('[data-test=their-tickets] a >> nth=1')
    await page.waitForFunction((e) => document.querySelector('[data-test=org-members]')?.textContent.includes(e), email)
    await shot(page, 'organization')

    // Admin: add a department, see it in the list.
    await page.click('[data-test=nav-admin]')
    await page.waitForSelector('[data-test=admin-departments] [data-test=admin-list]')
    await page.click('[data-test=admin-add]')
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form] .gd-error')
    const dept = w.dept + ' ' + tag
    await page.fill('[data-test=admin-field-name]', dept)
    await page.fill('[data-test=admin-field-description]', 'e2e')
    await page.click('[data-test=admin-save]')
    await page.waitForFunction((d) => document.querySelector('[data-test=admin-list]')?.textContent.includes(d), dept)
    check((await admin('GET', '/departments')).items.some((d) => d.name === dept), 'department stored')
    await shot(page, 'admin-departments')
    await noOverflow(page, 'admin page')
    // Its automatic assignment: round robin.
    const newDept = (await admin('GET', '/departments')).items.find((d) => d.name === dept)
    await page.click(`[data-test=admin-edit-${newDept.id}]`)
    await page.waitForSelector('[data-test=assignment-mode]')
    await page.waitForTimeout(200)
    await page.selectOption('[data-test=assignment-mode]', 'round_robin')
    await page.click('[data-test=assignment-save]')
    await page.waitForFunction(() => document.querySelector('[data-test=department-assignment] [role=status]'))
    check((await admin('GET', `/departments/${newDept.id}/assignment`)).mode === 'round_robin', 'assignment saved')
    // Agents and roles: put a new agent in the department just made.
    const agent = await admin('POST', '/agents', { email: `dep-${tag.toLowerCase()}@example.cn`, name: 'Agent ' + tag, role: 'agent' })
    const deptId = (await admin('GET', '/departments')).items.find((d) => d.name === dept).id
    await page.click('[data-test=admin-nav-agents]')
    await page.click(`[data-test=admin-edit-${agent.id}]`)
    await page.check(`[data-test=agent-dep-${deptId}]`)
    await page.click('[data-test=agent-departments-save]')
    await page.waitForFunction(() => document.querySelector('[data-test=agent-departments] [role=status]'))
    check((await admin('GET', `/agents/${agent.id}/departments`)).departments.includes(deptId), 'agent joined the department')
    await shot(page, 'admin-agent')
    await noOverflow(page, 'admin agents page')
    // A trigger typed as JSON ("advanced") with a bad condition: the error names the part at
    // fault, next to the JSON box.
    await page.click('[data-test=admin-nav-triggers]')
    await page.waitForSelector('[data-test=admin-triggers]')
    await page.click('[data-test=admin-add]')
    await page.fill('[data-test=admin-field-name]', 'Bad rule')
    await page.check('[data-test=admin-advanced-conditions]')
    await page.check('[data-test=admin-advanced-actions]')
    await page.fill('[data-test=admin-field-conditions]', '{"all": [{"field": "colour", "operator": "is", "value": "red"}], "any": []}')
    await page.fill('[data-test=admin-field-actions]', '[{"type": "add_tags", "tags": ["x"]}]')
    await page.click('[data-test=admin-save]')
    await page.waitForFunction(() => /conditions\.all\[0\]\.field/.test(document.querySelector('[data-test=admin-form]')?.textContent))
    await shot(page, 'admin-trigger-error')

    // Ticket links: relate the contact's ticket to the other one.
    await page.goto(url + '/desk/tickets/' + first.number)
    await page.waitForSelector('[data-test=ticket-links]')
    await page.fill('[data-test=link-number]', String(second.number))
    await page.click('[data-test=link-add]')
    await page.waitForSelector('[data-test=link-list]')
    check((await page.textContent('[data-test=link-list]')).includes(w.related + ' #' + second.number), 'link shown')
    const links = await admin('GET', `/tickets/${second.number}/links`)
    check(links.items.some((l) => l.ticket === first.number), 'the other side has the link')
    await shot(page, 'ticket-links')

    // Split: a later message becomes a new ticket linked to this one; then merge it back.
    const extra = await admin('POST', `/tickets/${first.number}/messages`, { body: 'A separate problem ' + tag, internal: false })
    await page.reload()
    page.once('dialog', (d) => d.accept())
    await page.click(`[data-test=split-${extra.id}]`)
    await page.waitForFunction((n) => !location.pathname.endsWith('/' + n), first.number)
    const splitNumber = Number(page.url().match(/tickets\/(\d+)/)[1])
    await page.waitForFunction(() => /A separate problem/.test(document.querySelector('[data-test=conversation]')?.textContent))
    check((await admin('GET', `/tickets/${splitNumber}/links`)).items.some((l) => l.ticket === first.number), 'split ticket linked back')
    page.once('dialog', (d) => d.accept())
    await page.fill('[data-test=ticket-merge-into]', String(first.number))
    await page.click('[data-test=ticket-merge]')
    await page.waitForURL('**/desk/tickets/' + first.number)
    check((await admin('GET', `/tickets/${splitNumber}`)).merged_into === first.number, 'merged back from the ticket page')
  } finally {
    await ctx.close()
  }
}

// Installable: the page links a manifest whose icons (192 and 512 PNG, one maskable) are served.
export async function pwaCheck(browser, url) {
  const page = await browser.newPage()
  try {
    await page.goto(url + '/desk/login')
    const href = await page.getAttribute('link[rel=manifest]', 'href')
    const manifest = await (await fetch(new URL(href, url))).json()
    check(manifest.start_url === '/desk/' && manifest.display === 'standalone', 'manifest basics')
    const sizes = []
    for (const icon of manifest.icons) {
      const r = await fetch(new URL(icon.src, url))
      check(r.ok && r.headers.get('content-type') === icon.type, `icon ${icon.src} served as ${icon.type}`)
      sizes.push(icon.sizes + (icon.purpose ? ' ' + icon.purpose : ''))
    }
    check(sizes.includes('192x192') && sizes.includes('512x512') && sizes.includes('512x512 maskable'), 'icon sizes: ' + sizes)
    const apple = await fetch(new URL(await page.getAttribute('link[rel=apple-touch-icon]', 'href'), url))
    check(apple.ok, 'apple touch icon')
  } finally {
    await page.close()
  }
}

// The portal's sign-in link: asked for on the sign-in page, mailed (to a receiver here), opened,
// used once; the second use is refused in plain words. In zh-CN at 360 px.
export async function portalLinkFlow(browser, url, admin, out, smtp) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
  try {
    const email = `link-${Date.now()}@example.cn`
    await admin('POST', '/contacts', { email, name: '林小姐', locale: 'zh-CN' })
    const page = await ctx.newPage()
    await page.goto(url + '/portal/login')
    await page.click('[data-test=link-signin] summary')
    await page.fill('[data-test=link-email]', email)
    await page.click('[data-test=link-send]')
    await page.waitForSelector('[data-test=link-sent]')
    check((await page.textContent('[data-test=link-sent]')).includes('15 分钟'), 'told in Chinese')
    await page.screenshot({ path: join(out, 'zh-CN-360-portal-link-asked.png'), fullPage: true })
    const mail = await smtp.waitFor((m) => m.rcpt.includes(email))
    const m = smtp.text(mail).match(/http:\/\/desk\.example\.test\/portal\/link#([A-Za-z0-9_-]+)/)
    check(m, 'the mail carries the link on public_url: ' + smtp.text(mail))
    const link = url + '/portal/link#' + m[1]
    await page.goto(link)
    await page.waitForSelector('[data-test=link-redeem]')
    check(!page.url().includes(m[1]), 'the token leaves the address bar')
    await page.screenshot({ path: join(out, 'zh-CN-360-portal-link-open.png'), fullPage: true })
    await page.click('[data-test=link-redeem]')
    await page.waitForSelector('[data-test=portal-new]')
    check((await admin('GET', '/audit?limit=5')).items.some((a) => a.action === 'auth.login' && a.target.includes(email)), 'signed in by link')
    const again = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })).newPage()
    await again.goto(link)
    await again.click('[data-test=link-redeem]')
    await again.waitForSelector('[data-test=link-error]')
    check((await again.textContent('[data-test=link-error]')).includes('已经用过'), 'second use refused')
    await again.screenshot({ path: join(out, 'zh-CN-360-portal-link-used.png'), fullPage: true })
    await again.context().close()
  } finally {
    await ctx.close()
  }
}
