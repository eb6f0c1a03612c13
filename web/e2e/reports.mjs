// Reports in the desk, per role and language: an admin, a supervisor of one department and an
// agent each open the dashboard (today's numbers, last 7 days beside the 7 before, a chart) and
// a report page (grouping, table, CSV export), and each sees only their own scope: the agent
// their own tickets, the supervisor their department's, the admin everyone's. Then SLA compliance:
// the target met on the agent's ticket, with the met and breached columns.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

const WORDS = {
  en: { dashboard: 'Dashboard', own: 'Your own numbers', departments: 'Your departments’ numbers', all: 'Everyone’s numbers' },
  'zh-CN': { dashboard: '仪表盘', own: '你自己的数据', departments: '你所在部门的数据', all: '全部数据' },
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

async function walk(browser, url, who, locale, expect, out) {
  const page = await signIn(browser, url, who.email, who.password, locale)
  try {
    await page.waitForSelector('[data-test=nav-reports]')
    await page.click('[data-test=nav-reports]')
    await page.waitForSelector('[data-test=dash-today]')
    // The desk speaks the person's own language (the admin's may differ from the browser's).
    const words = WORDS[expect.locale] ?? WORDS.en
    const heading = await page.textContent('h1')
    check(heading.includes(words.dashboard), 'the dashboard is in ' + expect.locale + ': ' + heading)
    // Today's backlog: what this role may see.
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=today-backlog] .value')?.textContent?.trim() === String(n),
      expect.backlog, { timeout: 10000 })
    check((await page.textContent('.hint')).includes(words[expect.scope]), 'scope ' + expect.scope)
    await page.waitForSelector('[data-test=period-tickets_created] .previous')
    await page.waitForSelector('[data-test=report-chart] canvas')
    await page.screenshot({ path: join(out, `reports-dashboard-${expect.scope}-${locale}.png`), fullPage: true })
    // A custom range, today alone: its numbers are today's, beside the day before; a range
    // ending before it starts is refused.
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-test=today-tickets_created] .value')?.textContent?.trim() ?? ''))
    const todayCreated = (await page.textContent('[data-test=today-tickets_created] .value')).trim()
    await page.click('[data-test=dash-custom]')
    const day = await page.inputValue('[data-test=dash-to]')
    const before = new Date(Date.parse(day + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10)
    await page.fill('[data-test=dash-from]', day)
    await page.fill('[data-test=dash-to]', before)
    await page.click('[data-test=dash-show]')
    await page.waitForSelector('[data-test=dash-range-error]')
    await page.fill('[data-test=dash-to]', day)
    await page.click('[data-test=dash-show]')
    await page.waitForFunction((d) => document.querySelector('[data-test=dash-period-title]')?.textContent?.includes(d), day)
    check((await page.textContent('[data-test=dash-previous-range]')).includes(before), 'the previous day beside the custom range')
    check(!(await page.$('[data-test=dash-range-error]')), 'the error is gone')
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=period-tickets_created] .value')?.textContent?.trim() === n,
      todayCreated, { timeout: 10000 })
    await page.screenshot({ path: join(out, `reports-dashboard-custom-${expect.scope}-${locale}.png`), fullPage: true })
    // The backlog report by department: the rows this role may see.
    await page.click('[data-test=reports-link]')
    await page.waitForSelector('[data-test=report-filters]')
    await page.selectOption('[data-test=report-metric]', 'backlog')
    await page.waitForSelector('[data-test=report-table]')
    await page.selectOption('[data-test=report-group]', 'department')
    await page.click('[data-test=report-run]')
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=report-total]')?.textContent?.trim() === String(n),
      expect.backlog, { timeout: 10000 })
    // The total is the same by age: wait for the department rows to replace the age bands.
    await page.waitForFunction(
      () => [...document.querySelectorAll('[data-test=report-table] tbody tr')].every((tr) => !/^(0-1d|1-3d|3-7d|7-30d|30d\+)/.test(tr.textContent.trim())),
      undefined, { timeout: 10000 }).catch(() => {})
    const rows = await page.$$eval('[data-test=report-table] tbody tr', (trs) => trs.map((tr) => tr.textContent))
    check(rows.length === expect.departments, `${expect.departments} department rows, got ${JSON.stringify(rows)}`)
    const href = await page.getAttribute('[data-test=report-csv]', 'href')
    const csv = await page.evaluate((h) => fetch(h).then((r) => r.text()), href)
    check(csv.startsWith('key,label,value,count,part') && csv.includes('"total"'), 'the CSV export: ' + csv)
    // The XLSX export beside it: a zip (PK) of the same report.
    const xlsx = await page.evaluate((h) => fetch(h).then(async (r) => [r.headers.get('content-type'), new Uint8Array(await r.arrayBuffer()).slice(0, 2).join()]),
      await page.getAttribute('[data-test=report-xlsx]', 'href'))
    check(xlsx[0].includes('spreadsheetml') && xlsx[1] === '80,75', 'the XLSX export: ' + xlsx)
    check((await page.textContent('[data-test=report-xlsx]')).includes('XLSX'), 'the XLSX link is named')
    await page.screenshot({ path: join(out, `reports-backlog-${expect.scope}-${locale}.png`), fullPage: true })
    await page.selectOption('[data-test=report-metric]', 'sla_compliance')
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=report-outcomes]')?.textContent?.includes(String(n)),
      expect.met, { timeout: 10000 })
    const heads = await page.$$eval('[data-test=report-table] th', (ths) => ths.map((th) => th.textContent))
    check(heads.length === 4, 'met and breached columns: ' + JSON.stringify(heads))
    await page.screenshot({ path: join(out, `reports-sla-${expect.scope}-${locale}.png`), fullPage: true })
    // Only the walk's tag: the open tickets this role may see, by department.
    await page.selectOption('[data-test=report-metric]', 'backlog')
    await page.selectOption('[data-test=report-filter]', 'tag')
    await page.fill('[data-test=report-filter-value]', expect.tag)
    await page.selectOption('[data-test=report-group]', 'department')
    await page.click('[data-test=report-run]')
    await page.waitForFunction(
      (n) => document.querySelector('[data-test=report-total]')?.textContent?.trim() === String(n),
      expect.tagged, { timeout: 10000 })
    await page.screenshot({ path: join(out, `reports-tag-${expect.scope}-${locale}.png`), fullPage: true })
  } finally {
    await page.context().close()
  }
}

export async function reportsFlow(browser, url, admin, locale, out) {
  const tag = locale + Date.now()
  const sales = await admin('POST', '/departments', { name: 'Sales ' + tag })
  const support = await admin('POST', '/departments', { name: 'Support ' + tag })
  const agent = await person(admin, 'agent', locale, 'rep-a-' + tag)
  const boss = await person(admin, 'supervisor', locale, 'rep-s-' + tag)
  await admin('PUT', `/agents/${agent.id}/departments`, { departments: [sales.id], all_departments: false })
  await admin('PUT', `/agents/${boss.id}/departments`, { departments: [sales.id], all_departments: false })
  // An SLA for this walk's sales department only; the agent's ticket meets its first response.
  const policy = await admin('POST', '/sla-policies', { name: 'Walk ' + tag, position: 0, conditions: { department: [sales.id] }, targets: { first_response_minutes: 600 } })
  const label = ('walk-' + tag).toLowerCase()
  const ticket = (department, assignee) =>
    admin('POST', '/tickets', { subject: 'Report ' + tag, body: 'numbers', requester: { email: `rep-${tag}@example.cn` }, department, assignee, tags: [label] })
  const mine = await ticket(sales.id, agent.id)
  await admin('POST', `/tickets/${mine.number}/messages`, { body: 'on it', internal: false })
  await ticket(sales.id, null)
  await ticket(support.id, null)
  const all = await admin('GET', '/reports/backlog?group_by=department')
  const sla = await admin('GET', '/reports/sla_compliance')
  const me = await admin('GET', '/me')
  try {
    await walk(browser, url, agent, locale, { locale, scope: 'own', backlog: 1, departments: 1, met: 1, tag: label, tagged: 1 }, out)
    await walk(browser, url, boss, locale, { locale, scope: 'departments', backlog: 2, departments: 1, met: 1, tag: label, tagged: 2 }, out)
    await walk(browser, url, ADMIN, locale, { locale: me.locale, scope: 'all', backlog: all.total.count, departments: all.rows.length, met: sla.total.part, tag: label, tagged: 3 }, out)
  } finally {
    await admin('DELETE', `/sla-policies/${policy.id}`)
  }
}
