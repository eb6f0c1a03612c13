// Customer satisfaction: a ticket of a department with a survey is solved → the survey mail
// arrives with rating links → the customer (not signed in) opens one in zh-CN, adds a comment
// and rates; a forged link gets a clear page → the assigned agent sees the rating on the ticket
// → a signed-in customer rates another solve from the portal's ticket page → a supervisor of the
// department sees the CSAT score on the dashboard.
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function csatFlow(browser, url, admin, smtp, out) {
  const tag = 'csat' + Date.now()
  const dept = await admin('POST', '/departments', { name: '满意度 ' + tag })
  // Only this department's tickets get a survey: the other walks' solves stay quiet.
  await admin('POST', '/csat-surveys', { name: 'CSAT ' + tag, department: dept.id, delay_minutes: 0, question_en: 'How did we do?', question_zh: '您对本次服务满意吗？' })
  const agent = await person(admin, 'agent', 'zh-CN', 'csat-a-' + tag)
  const boss = await person(admin, 'supervisor', 'en', 'csat-s-' + tag)
  for (const who of [agent, boss]) await admin('PUT', `/agents/${who.id}/departments`, { departments: [dept.id], all_departments: false })
  const customer = `${tag}@example.cn`
  await admin('POST', '/contacts', { email: customer, name: '王芳', locale: 'zh-CN' })
  const ticket = await admin('POST', '/tickets', { subject: '打印机 ' + tag, body: '打印机坏了', requester: { email: customer }, department: dept.id, assignee: agent.id })
  const solved = (await admin('GET', '/statuses')).items.find((s) => s.category === 'solved')
  await admin('PATCH', '/tickets/' + ticket.number, { status: solved.id })

  const mail = await smtp.waitFor((m) => m.rcpt.includes(customer) && smtp.text(m).includes('/portal/csat/'))
  const link = smtp.text(mail).match(/http:\/\/desk\.example\.test(\/portal\/csat\/[0-9a-f.]+)\?rating=bad/)
  check(link, 'the survey mail carries a rating link on public_url: ' + smtp.text(mail))

  // The customer rates without signing in.
  const ctx = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  try {
    await page.goto(url + link[1] + '?rating=bad')
    await page.waitForSelector('[data-test=csat-question]')
    check((await page.textContent('[data-test=csat-question]')).includes('您对本次服务满意吗'), 'the question in Chinese')
    check((await page.textContent('[data-test=csat-ticket]')).includes(String(ticket.number)), 'the ticket named')
    await page.fill('textarea[data-test=csat-comment], [data-test=csat-comment] textarea', '等了太久')
    await page.screenshot({ path: join(out, 'csat-rate-zh-CN.png'), fullPage: true })
    await page.click('[data-test=csat-send]')
    await page.waitForSelector('[data-test=csat-thanks]')
    // Opened again: answered already, no second rating.
    await page.reload()
    await page.waitForSelector('[data-test=csat-thanks]')
    check(!(await page.$('[data-test=csat-send]')), 'no second rating')
    // A forged link: a clear page, not an error screen.
    await page.goto(url + '/portal/csat/1.2.' + 'a'.repeat(32))
    await page.waitForSelector('[data-test=csat-invalid]')
    await page.screenshot({ path: join(out, 'csat-invalid-zh-CN.png'), fullPage: true })
  } finally {
    await ctx.close()
  }

  // A signed-in customer rates from the portal's ticket page: the one-click links are there too.
  const member = await person(admin, 'customer', 'zh-CN', 'csat-c-' + tag)
  const second = await admin('POST', '/tickets', { subject: '门禁卡 ' + tag, body: '门禁卡失效', requester: { email: member.email }, department: dept.id })
  await admin('PATCH', '/tickets/' + second.number, { status: solved.id })
  await smtp.waitFor((m) => m.rcpt.includes(member.email) && smtp.text(m).includes('/portal/csat/'))
  const portal = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'zh-CN' })
  const pp = await portal.newPage()
  try {
    await pp.goto(url + '/portal/login')
    await pp.fill('input[name=email]', member.email)
    await pp.fill('input[name=password]', member.password)
    await pp.click('[data-test=submit]')
    await pp.waitForSelector('text=门禁卡 ' + tag)
    await pp.goto(url + '/portal/tickets/' + second.number)
    await pp.waitForSelector('[data-test=portal-csat]')
    check((await pp.textContent('[data-test=portal-csat]')).includes('满意'), 'the rating links in Chinese')
    await pp.screenshot({ path: join(out, 'csat-portal-ticket-zh-CN.png'), fullPage: true })
    await pp.click('[data-test=portal-csat-good]')
    await pp.waitForSelector('[data-test=csat-send]')
    await pp.click('[data-test=csat-send]')
    await pp.waitForSelector('[data-test=csat-thanks]')
    await pp.goto(url + '/portal/tickets/' + second.number)
    await pp.waitForSelector('[data-test=portal-status]')
    check(!(await pp.$('[data-test=portal-csat]')), 'no rating links once rated')
  } finally {
    await portal.close()
  }
  const rated = await admin('GET', `/tickets/${second.number}/csat`)
  check(rated.items[0]?.rating === 'good', 'rated good from the portal: ' + JSON.stringify(rated.items))

  // The agent sees the rating and the comment on the ticket.
  const desk = await signIn(browser, url, agent.email, agent.password, 'zh-CN')
  try {
    await desk.waitForSelector('[data-test=nav-reports]')
    await desk.goto(url + '/desk/tickets/' + ticket.number)
    await desk.waitForSelector('[data-test=ticket-csat] [data-test=csat-rating]')
    check((await desk.textContent('[data-test=csat-rating]')).includes('不满意'), 'the rating in Chinese')
    check((await desk.textContent('[data-test=ticket-csat] [data-test=csat-comment]')).includes('等了太久'), 'the comment')
    await desk.screenshot({ path: join(out, 'csat-ticket-agent-zh-CN.png'), fullPage: true })
  } finally {
    await desk.context().close()
  }

  // The supervisor's dashboard: two ratings in their department, one satisfied.
  const dash = await signIn(browser, url, boss.email, boss.password, 'en')
  try {
    await dash.waitForSelector('[data-test=nav-reports]')
    await dash.click('[data-test=nav-reports]')
    await dash.waitForFunction(() => document.querySelector('[data-test=period-csat] .value')?.textContent?.trim() === '50%', null, { timeout: 10000 })
    await dash.waitForFunction(() => document.querySelector('[data-test=period-csat_response_rate] .value')?.textContent?.trim() === '100%', null, { timeout: 10000 })
    await dash.screenshot({ path: join(out, 'csat-dashboard-supervisor-en.png'), fullPage: true })
  } finally {
    await dash.context().close()
  }
}
