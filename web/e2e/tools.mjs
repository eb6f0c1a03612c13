// The pages that were missing, walked by the roles that use them: an admin sets a department's
// mail signature and acknowledgement and the defaults, an agent's skills and working hours,
// reads the audit log (filtered, exported as CSV), the mail quarantine (raw download, intake
// again) and the job queue; a ticket's sent mail is listed on its page; an agent makes an API
// token (shown once) and revokes it. Checked through the API. Screenshots: tools-<locale>-*.png.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'
import { noRawKeys } from './settings.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

// Raw mail in, as a mail gate would post it (an admin session may).
async function postMail(url, raw) {
  const r = await fetch(url + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) })
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token } = await r.json()
  const res = await fetch(url + '/api/v1/mail/inbound', { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, Origin: url }, body: raw })
  return res.json()
}

export async function toolsFlow(browser, url, admin, locale, width, out) {
  const tag = `${locale}-${width}-${Date.now() % 100000}`
  await admin('PATCH', '/me', { locale })
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale, width)
  const shot = (p, name) => p.screenshot({ path: join(out, `tools-${locale}-${width}-${name}.png`), fullPage: true })
  try {
    await page.waitForSelector('[data-test=nav-admin]')
    // A department's signature and acknowledgement, with the department.
    const dept = await admin('POST', '/departments', { name: 'Mail ' + tag })
    await page.goto(url + '/desk/admin/departments')
    await page.click(`[data-test=admin-edit-${dept.id}]`)
    const form = '[data-test=keyed-mail_settings]'
    await page.waitForSelector(`${form} [data-test=admin-field-signature]`)
    await page.selectOption(`${form} [data-test=admin-field-acknowledge]`, 'true')
    await page.fill(`${form} [data-test=admin-field-ack_subject_zh]`, '已收到 #{{ticket.number}}')
    await page.fill(`${form} [data-test=admin-field-signature]`, '售后部 ' + tag)
    await page.click('[data-test=keyed-save-mail_settings]')
    await page.waitForSelector(`${form} [data-test=keyed-saved]`)
    const mine = await admin('GET', '/mail/settings/' + dept.id)
    check(mine.acknowledge === true && mine.signature === '售后部 ' + tag && mine.ack_subject_zh === '已收到 #{{ticket.number}}', 'department mail settings: ' + JSON.stringify(mine))
    await shot(page, 'department-mail')
    await noRawKeys(page, 'department-mail')
    // The defaults every department falls back on.
    await page.click('[data-test=admin-nav-mail_settings]')
    await page.fill(`${form} [data-test=admin-field-ack_subject_en]`, 'We got #{{ticket.number}} ' + tag)
    await page.click('[data-test=keyed-save-mail_settings]')
    await page.waitForSelector(`${form} [data-test=keyed-saved]`)
    check((await admin('GET', '/mail/settings/default')).ack_subject_en === 'We got #{{ticket.number}} ' + tag, 'default acknowledgement saved')

    // An agent's skills (a bad one refused, naming it) and working hours.
    const agent = await person(admin, 'agent', locale, tag, 'Skills ' + tag)
    const cal = await admin('POST', '/calendars', { name: 'Hours ' + tag, time_zone: 'Asia/Shanghai', weekly_hours: { mon: ['09:00-18:00'] } })
    await page.click('[data-test=admin-nav-agents]')
    await page.click(`[data-test=admin-edit-${agent.id}]`)
    await page.waitForSelector(`[data-test=agent-calendar] option[value="${cal.id}"]`, { state: 'attached' })
    await page.fill('[data-test=agent-skills]', 'language:zh-CN, language:fr')
    await page.click('[data-test=agent-work-save]')
    await page.waitForFunction(() => /skills\[1\]/.test(document.querySelector('[data-test=agent-work] [role=alert]')?.textContent))
    await page.fill('[data-test=agent-skills]', 'language:zh-CN, tag:billing')
    await page.selectOption('[data-test=agent-calendar]', String(cal.id))
    await page.click('[data-test=agent-work-save]')
    await page.waitForSelector('[data-test=agent-work] [role=status]')
    check(JSON.stringify((await admin('GET', `/agents/${agent.id}/skills`)).skills) === '["language:zh-CN","tag:billing"]', 'skills saved')
    check((await admin('GET', `/agents/${agent.id}/availability`)).calendar === cal.id, 'working hours saved')
    await shot(page, 'agent-work')
    await noRawKeys(page, 'agent-work')

    // The quarantine: an auto-reply that belongs to no ticket is held; intake again keeps it held.
    const held = await postMail(url, `From: robot@example.cn\r\nTo: help@desk.example\r\nSubject: Out of office ${tag}\r\nAuto-Submitted: auto-replied\r\n\r\naway\r\n`)
    check(held.status === 'quarantined', 'mail held: ' + JSON.stringify(held))
    await page.click('[data-test=admin-nav-quarantine]')
    await page.waitForSelector(`[data-test=quarantine-${held.quarantine}]`)
    const raw = await (await fetch(url + (await page.getAttribute(`[data-test=quarantine-raw-${held.quarantine}]`, 'href')), { headers: { Cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).text()
    check(raw.includes('Out of office ' + tag), 'raw message downloadable')
    await page.click(`[data-test=quarantine-retry-${held.quarantine}]`)
    await page.waitForSelector('[data-test=quarantine-done]')
    await shot(page, 'quarantine')
    await noRawKeys(page, 'quarantine')

    // The audit log: the skills change is there; filtered by action; exported.
    await page.click('[data-test=admin-nav-audit]')
    await page.waitForSelector('[data-test=audit-list] tbody tr >> nth=1')
    await page.fill('[data-test=audit-action]', 'agent.skills')
    await page.press('[data-test=audit-action]', 'Enter')
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-test=audit-list] tbody tr td:nth-child(3)')].map((td) => td.textContent.trim())
      return cells.length >= 1 && cells.every((a) => a === 'agent.skills')
    })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=audit-csv]')])
    const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8')
    check(csv.includes('agent.skills') && csv.split('\r\n')[0].includes('action'), 'CSV export: ' + csv.slice(0, 200))
    await shot(page, 'audit')
    await noRawKeys(page, 'audit')

    // The job queue: finished mail jobs are listed.
    await page.click('[data-test=admin-nav-jobs]')
    await page.waitForSelector('[data-test=jobs-list]')
    await page.selectOption('[data-test=jobs-state]', 'done')
    await page.waitForSelector('[data-test=jobs-list] tbody tr[data-test^=job-]')
    await shot(page, 'jobs')
    await noRawKeys(page, 'jobs')

    // A ticket's sent mail, on its page.
    const ticket = await admin('POST', '/tickets', { subject: 'Mailed ' + tag, body: 'x', requester: { email: `mailed-${tag}@example.cn` } })
    await admin('POST', `/tickets/${ticket.number}/messages`, { body: 'Reply by mail ' + tag, internal: false })
    await page.goto(url + '/desk/tickets/' + ticket.number)
    await page.click('[data-test=outbound-mail] summary')
    await page.waitForFunction((e) => document.querySelector('[data-test=outbound-mail]')?.textContent.includes(e), `mailed-${tag}@example.cn`)
    await shot(page, 'ticket-outbound')
    await noRawKeys(page, 'ticket-outbound')

    // An agent's own API token: shown once, works, revoked.
    const agentPage = await signIn(browser, url, agent.email, agent.password, locale, width)
    await agentPage.waitForSelector('[data-test=profile]')
    await agentPage.click('[data-test=profile]')
    check(!(await agentPage.$('[data-test=token-scope-mail]')), 'agents are offered no mail scope')
    await agentPage.fill('[data-test=token-name]', 'ci ' + tag)
    await agentPage.click('[data-test=token-create]')
    const token = (await (await agentPage.waitForSelector('[data-test=token-once] code')).textContent()).trim()
    const me = await fetch(url + '/api/v1/me', { headers: { Authorization: 'Bearer ' + token } })
    check(me.ok, 'the token works: ' + me.status)
    await shot(agentPage, 'profile-token')
    await noRawKeys(agentPage, 'profile-token')
    agentPage.once('dialog', (d) => d.accept())
    await agentPage.click('[data-test^=token-revoke-]')
    await agentPage.waitForSelector('[data-test^=token-revoke-]', { state: 'detached' })
    check((await fetch(url + '/api/v1/me', { headers: { Authorization: 'Bearer ' + token } })).status === 401, 'the revoked token is refused')
    await agentPage.context().close()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(overflow <= 1, `pages fit ${width}px (overflow ${overflow})`)
  } finally {
    await page.context().close()
  }
}
