// Scheduled report mails on the settings page built from their declaration, as an admin in
// zh-CN: the form in Chinese, a customer's address refused as a recipient with the reason beside
// the field, then a weekly XLSX mail to a supervisor saved and listed with its next sending time;
// the supervisor, who reads reports, does not get the page.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function reportMailFlow(browser, url, admin, out) {
  const tag = 'rmail' + Date.now()
  await admin('PATCH', '/me', { locale: 'zh-CN' })
  const boss = await person(admin, 'supervisor', 'zh-CN', 'rm-s-' + tag)
  const customer = await person(admin, 'customer', 'zh-CN', 'rm-c-' + tag)
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, 'zh-CN')
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/admin/report-schedules')
    await page.waitForSelector('[data-test=admin-add]')
    check((await page.textContent('body')).includes('报表邮件'), 'the page title in Chinese')
    await page.click('[data-test=admin-add]')
    await page.waitForSelector('[data-test=admin-form]')
    const form = await page.textContent('[data-test=admin-form]')
    for (const words of ['频率', '发送时间', '时区', '指标', '收件人', '附件']) check(form.includes(words), 'the form names ' + words)
    await page.fill('[data-test=admin-field-name]', '每周报表 ' + tag)
    await page.selectOption('[data-test=admin-field-frequency]', 'weekly')
    await page.fill('[data-test=admin-field-weekday]', '1')
    await page.fill('[data-test=admin-field-hour]', '9')
    await page.fill('[data-test=admin-field-time_zone]', 'Asia/Shanghai')
    await page.fill('[data-test=admin-field-metrics]', 'tickets_created, csat')
    await page.selectOption('[data-test=admin-field-group_by]', 'department')
    await page.selectOption('[data-test=admin-field-attachment]', 'xlsx')
    // A customer is no recipient: refused, the reason beside the field.
    await page.fill('[data-test=admin-field-recipients]', customer.email)
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form] .gd-error')
    check((await page.textContent('[data-test=admin-form] .gd-error')).includes(customer.email), 'the refused address is named')
    await page.screenshot({ path: join(out, 'report-mail-refused-zh-CN.png'), fullPage: true })
    await page.fill('[data-test=admin-field-recipients]', boss.email)
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form]', { state: 'detached' })
    const saved = (await admin('GET', '/report-schedules?limit=200')).items.find((s) => s.name === '每周报表 ' + tag)
    check(saved && saved.frequency === 'weekly' && saved.attachment === 'xlsx', 'saved as filled in: ' + JSON.stringify(saved))
    check(JSON.stringify(saved.metrics) === JSON.stringify(['tickets_created', 'csat']), 'the metrics: ' + JSON.stringify(saved.metrics))
    check(saved.recipients.length === 1 && saved.recipients[0] === boss.email, 'the recipient: ' + JSON.stringify(saved.recipients))
    // 09:00 in Shanghai on a Monday is 01:00 UTC on that Monday.
    check(/T01:00:00\.000Z$/.test(saved.next_send) && new Date(saved.next_send).getUTCDay() === 1, 'next sent on a Monday 09:00 Shanghai: ' + saved.next_send)
    await page.waitForSelector(`[data-test=admin-row-${saved.id}]`)
    check((await page.textContent(`[data-test=admin-row-${saved.id}]`)).includes('weekly'), 'listed')
    await page.screenshot({ path: join(out, 'report-mail-admin-zh-CN.png'), fullPage: true })
  } finally {
    await page.context().close()
  }
  // The supervisor reads reports but is offered no report mail settings.
  const desk = await signIn(browser, url, boss.email, boss.password, 'zh-CN')
  try {
    await desk.waitForSelector('[data-test=nav-reports]')
    check(!(await desk.$('[data-test=admin-nav-report-schedules]')), 'no report mail settings for a supervisor')
    const status = await desk.evaluate(() => fetch('/api/v1/report-schedules').then((r) => r.status))
    check(status === 403, 'the API refuses a supervisor: ' + status)
  } finally {
    await desk.context().close()
  }
}
