// Handle time end to end, on a server of its own on the test clock: an agent keeps a ticket open
// in the desk and works on it (the browser's clock and the server's move together, 30 s a
// heartbeat), then the department's supervisor sees the time in the report by agent and on the
// ticket, in zh-CN.
import { join } from 'node:path'
import { ADMIN, apiSession, startServer } from './server.mjs'
import { person, signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function workTimeFlow(browser, out) {
  const start = new Date().toISOString().slice(0, 19) + 'Z'
  const server = await startServer({ args: ['--test-clock', start, '--enable-test-clock'] })
  const url = server.url
  try {
    const admin = await apiSession(url, ADMIN.email, ADMIN.password)
    const dept = await admin('POST', '/departments', { name: 'Field service' })
    const agent = await person(admin, 'agent', 'zh-CN', 'work', '李工')
    const boss = await person(admin, 'supervisor', 'zh-CN', 'work-boss', '王主管')
    for (const p of [agent, boss]) await admin('PUT', `/agents/${p.id}/departments`, { departments: [dept.id], all_departments: false })
    const ticket = await admin('POST', '/tickets', { subject: '打印机卡纸', body: '第三层的打印机', requester: { email: 'work@example.cn' }, department: dept.id, assignee: agent.id })

    // The agent opens the ticket on a browser clock the walk moves.
    const page = await signIn(browser, url, agent.email, agent.password, 'zh-CN')
    await page.waitForSelector('[data-test=nav-reports]')
    await page.clock.install({ time: Date.parse(start) })
    await page.goto(url + '/desk/tickets/' + ticket.number)
    await page.waitForSelector('[data-test=subject]')
    const spent = () => admin('GET', `/tickets/${ticket.number}/work-time`).then((w) => w.total_ms)
    // The page's first heartbeat (0) starts the count; each one after adds the 30 s both clocks
    // moved (the first may add nothing should the start reach the server after the clock moved).
    const pause = () => new Promise((ok) => setTimeout(ok, 100))
    let counted = 0
    for (let beat = 0; beat < 4; beat++) {
      await page.mouse.move(100 + beat * 10, 200)  // the agent is active
      await admin('POST', '/test/clock', { advance_seconds: 30 })
      await page.clock.runFor(30_000)
      // The heartbeat goes over the stream: wait until the server counted it.
      for (let i = 0; i < 50 && (await spent()) === counted; i++) await pause()
      counted = await spent()
    }
    check(counted === 120_000 || counted === 90_000, 'two minutes counted: ' + counted)
    await page.screenshot({ path: join(out, 'worktime-agent-ticket.png'), fullPage: true })
    await page.context().close()

    // The supervisor: the report by agent, and the ticket's time spent.
    const sup = await signIn(browser, url, boss.email, boss.password, 'zh-CN')
    await sup.waitForSelector('[data-test=nav-reports]')
    await sup.goto(url + '/desk/reports')
    await sup.waitForSelector('[data-test=report-filters]')
    await sup.selectOption('[data-test=report-metric]', 'handle_time')
    await sup.selectOption('[data-test=report-group]', 'agent')
    await sup.click('[data-test=report-run]')
    await sup.waitForSelector(`[data-test=report-row-${agent.id}]`, { timeout: 10000 })
    const row = await sup.textContent(`[data-test=report-row-${agent.id}]`)
    check(row.includes('李工') && row.includes('2 min'), 'the agent\'s handle time in the report: ' + row)
    check((await sup.textContent('[data-test=report-total]')).trim() === '2 min', 'the total')
    check((await sup.textContent('[data-test=report-summary]')).includes('处理时长'), 'the metric named in Chinese')
    await sup.screenshot({ path: join(out, 'worktime-supervisor-report.png'), fullPage: true })
    await sup.goto(url + '/desk/tickets/' + ticket.number)
    await sup.waitForSelector('[data-test=ticket-work-time]')
    check((await sup.textContent('[data-test=work-time-total]')).trim() === '2 min', 'time spent on the ticket')
    check((await sup.textContent(`[data-test=work-time-${agent.id}]`)).includes('李工'), 'the agent named')
    await sup.screenshot({ path: join(out, 'worktime-supervisor-ticket.png'), fullPage: true })
    await sup.context().close()
  } finally {
    await server.stop()
  }
}
