// The last desk gaps of issue 17, walked by the roles that use them: an agent adds a follower
// to a ticket, drops and pastes attachments into a reply, and reads the history in words; a
// supervisor removes the follower; a light agent sees the followers and may not change them;
// an admin tests a mailbox's connection, previews a mail template with sample data, deletes a
// quarantined message and finds the deletion in the audit log by the server's filters. Checked
// through the API. Screenshots: desk17-<locale>-<width>-*.png.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'
import { noRawKeys } from './settings.mjs'

const WORDS = {
  en: { priority: 'changed Priority from Normal to Urgent', added: 'as a follower', removed: 'from the followers', ok: 'Works', skipped: 'No server set' },
  'zh-CN': { priority: '将优先级从“普通”改为“紧急”', added: '添加了关注人', removed: '移除了关注人', ok: '正常', skipped: '未设置服务器' },
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

// A file dropped onto the reply editor, and one pasted into its text box, as the browser makes them.
async function dropAndPaste(page, tag) {
  await page.evaluate((name) => {
    const dt = new DataTransfer()
    dt.items.add(new File(['dropped ' + name], `dropped-${name}.txt`, { type: 'text/plain' }))
    const editor = document.querySelector('[data-test=editor]')
    editor.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
    editor.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  }, tag)
  await page.waitForSelector(`.attached li:has-text("dropped-${tag}.txt")`)
  await page.evaluate((name) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], `pasted-${name}.png`, { type: 'image/png' }))
    document.querySelector('textarea[data-test=reply-text], [data-test=reply-text] textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  }, tag)
  await page.waitForSelector(`.attached li:has-text("pasted-${tag}.png")`)
}

async function postMail(url, raw) {
  const r = await fetch(url + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) })
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token } = await r.json()
  const res = await fetch(url + '/api/v1/mail/inbound', { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, Origin: url }, body: raw })
  return res.json()
}

export async function desk17Flow(browser, url, admin, locale, width, out) {
  const w = WORDS[locale]
  const tag = `${locale}-${width}-${Date.now() % 100000}`.toLowerCase()
  const shot = (p, name) => p.screenshot({ path: join(out, `desk17-${locale}-${width}-${name}.png`), fullPage: true })
  const agent = await person(admin, 'agent', locale, tag)
  const supervisor = await person(admin, 'supervisor', locale, tag)
  const light = await person(admin, 'light_agent', locale, tag)
  const follower = await admin('POST', '/contacts', { email: `follower-${tag}@example.cn`, name: (locale === 'zh-CN' ? '钱先生 ' : 'Mr Qian ') + tag })
  const ticket = await admin('POST', '/tickets', { subject: 'Followers ' + tag, body: 'x', requester: { email: `req-${tag}@example.cn` }, assignee: agent.id })
  const pages = []
  try {
    // The agent: a follower added from the lookup, two attachments by drop and paste, the history.
    const page = await signIn(browser, url, agent.email, agent.password, locale, width)
    pages.push(page)
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/tickets/' + ticket.number)
    await page.waitForSelector('[data-test=no-followers]')
    await page.fill('[data-test=follower-lookup]', 'follower-' + tag)
    await page.click(`[data-test=follower-pick-${follower.id}]`)
    await page.waitForSelector(`[data-test=follower-${follower.id}]`)
    check((await admin('GET', `/tickets/${ticket.number}/followers`)).items.some((p) => p.id === follower.id), 'the follower added')
    await dropAndPaste(page, tag)
    await page.fill('[data-test=reply-text]', 'Two files ' + tag)
    await page.click('[data-test=send]')
    await page.waitForFunction((t) => document.querySelector('[data-test=conversation]')?.textContent.includes(t), 'Two files ' + tag)
    const sent = (await admin('GET', `/tickets/${ticket.number}/messages?limit=50`)).items.find((m) => m.body.startsWith('Two files ' + tag))
    check(sent?.attachments?.length === 2, 'the dropped and the pasted file went with the reply: ' + JSON.stringify(sent?.attachments))
    await page.selectOption('[data-test=side-priority]', 'urgent')
    await page.click('[data-test=side-save]')
    await page.waitForFunction(() => document.querySelector('[data-test=side] [role=status]'))
    await page.click('.history summary')
    await page.waitForSelector('[data-test=history-priority]')
    const history = await page.textContent('[data-test=history]')
    check(history.includes(`${agent.name} ${w.priority}`), 'the priority change in words: ' + history)
    check(history.includes(w.added) && history.includes(follower.name), 'the follower in words: ' + history)
    check(!/\bpriority:|followers:|custom_fields/.test(history), 'no raw field names: ' + history)
    await shot(page, 'ticket')
    await noRawKeys(page, 'ticket followers')

    // The supervisor removes the follower; the history says so.
    const sup = await signIn(browser, url, supervisor.email, supervisor.password, locale, width)
    pages.push(sup)
    await sup.waitForSelector('[data-test=view-all_open]')
    await sup.goto(url + '/desk/tickets/' + ticket.number)
    await sup.click(`[data-test=follower-remove-${follower.id}]`)
    await sup.waitForSelector('[data-test=no-followers]')
    check((await admin('GET', `/tickets/${ticket.number}/followers`)).items.length === 0, 'the follower removed')
    await sup.click('.history summary')
    await sup.waitForFunction((word) => document.querySelector('[data-test=history]')?.textContent.includes(word), w.removed)

    // The light agent reads the followers and is offered no change.
    await admin('PATCH', '/tickets/' + ticket.number, { add_followers: [follower.id] })
    const lp = await signIn(browser, url, light.email, light.password, locale, width)
    pages.push(lp)
    await lp.waitForSelector('[data-test=view-all_open]')
    await lp.goto(url + '/desk/tickets/' + ticket.number)
    await lp.waitForSelector(`[data-test=follower-${follower.id}]`)
    check(!(await lp.$('[data-test=follower-lookup]')) && !(await lp.$(`[data-test=follower-remove-${follower.id}]`)), 'light agents change no followers')

    // The admin: a mailbox's connection tested (SMTP to the run's receiver; no IMAP server set).
    const ap = await signIn(browser, url, ADMIN.email, ADMIN.password, locale, width)
    pages.push(ap)
    await admin('PATCH', '/me', { locale })
    await ap.waitForSelector('[data-test=nav-admin]')
    const box = (await admin('GET', '/mailboxes?limit=200')).items.find((b) => b.address === 'help@desk.example')
    await ap.goto(url + '/desk/admin/mailboxes')
    await ap.click(`[data-test=admin-edit-${box.id}]`)
    await ap.click('[data-test=mailbox-test-run]')
    await ap.waitForSelector('[data-test=mailbox-test-result]')
    check((await ap.textContent('[data-test=mailbox-test-smtp]')).includes(w.ok), 'SMTP works: ' + (await ap.textContent('[data-test=mailbox-test-result]')))
    check((await ap.textContent('[data-test=mailbox-test-imap]')).includes(w.skipped), 'no IMAP server set')
    await shot(ap, 'mailbox-test')
    await noRawKeys(ap, 'mailbox test')

    // A mail template previewed with sample data, in each of its languages.
    const tmpl = await admin('POST', '/mail-templates', { name: 'Preview ' + tag, variants: [
      { language: 'zh-CN', subject: '已收到 #{{ticket.number}}', body: '{{requester.name}} 您好，{{ticket.subject}} {{custom_fields.model}}' },
      { language: 'en', subject: 'We got #{{ticket.number}}', body: 'Hello {{requester.name}}' }] })
    await ap.goto(url + '/desk/admin/mail-templates')
    await ap.click(`[data-test=admin-edit-${tmpl.id}]`)
    await ap.waitForSelector('[data-test=mail-preview]')
    const zh = await ap.textContent('[data-test=mail-preview-zh-CN]')
    check(zh.includes('已收到 #1024') && zh.includes('王芳 您好') && zh.includes('custom_fields.model'), 'the Chinese variant previewed: ' + zh)
    check((await ap.textContent('[data-test=mail-preview-en]')).includes('Hello Wang Fang'), 'the English variant previewed')
    await shot(ap, 'template-preview')
    await noRawKeys(ap, 'template preview')
    await admin('DELETE', '/mail-templates/' + tmpl.id)

    // A quarantined message deleted, then found in the audit log by the server's filters.
    const held = await postMail(url, `From: robot@example.cn\r\nTo: help@desk.example\r\nSubject: Out of office ${tag}\r\nAuto-Submitted: auto-replied\r\n\r\naway\r\n`)
    check(held.status === 'quarantined', 'mail held: ' + JSON.stringify(held))
    await ap.goto(url + '/desk/admin/quarantine')
    ap.once('dialog', (d) => d.accept())
    await ap.click(`[data-test=quarantine-delete-${held.quarantine}]`)
    await ap.waitForSelector(`[data-test=quarantine-${held.quarantine}]`, { state: 'detached' })
    await ap.waitForSelector('[data-test=quarantine-done]')
    const audited = (await admin('GET', `/audit?action=mail.quarantine.delete&target=quarantine:${held.quarantine}`)).items
    check(audited.length === 1, 'the deletion audited: ' + JSON.stringify(audited) + ' ' + held.quarantine)
    await ap.goto(url + '/desk/admin/audit')
    await ap.fill('[data-test=audit-target]', 'quarantine:' + held.quarantine)
    await ap.fill('[data-test=audit-action]', 'mail.')
    await ap.click('[data-test=audit-apply]')
    await ap.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-test=audit-list] tbody tr td:nth-child(3)')].map((td) => td.textContent.trim())
      return cells.length === 1 && cells[0] === 'mail.quarantine.delete'
    })
    check((await ap.getAttribute('[data-test=audit-export-csv]', 'href')).includes('target=quarantine%3A' + held.quarantine), 'the export uses the same filters')
    await shot(ap, 'audit-filtered')
    await noRawKeys(ap, 'audit filtered')
  } finally {
    for (const p of pages) await p.context().close()
  }
}
