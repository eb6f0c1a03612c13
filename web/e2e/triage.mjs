// Triage (issue 22): the admin reads a trained model's held-out measures and confusion table,
// switches the department field to suggestions, and an agent sets a new ticket's department
// with one click on the suggestion; beside the ticket, the similar solved ticket's reply goes
// into the editor with one click.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

const SOLVING_REPLY = '请打开后盖取出卡纸 (open the back cover and pull the paper out)'

async function trainedDepartments(admin) {
  const tag = Date.now()
  const printers = await admin('POST', '/departments', { name: '打印机 Printers ' + tag })
  const billing = await admin('POST', '/departments', { name: '账单 Billing ' + tag })
  const solved = (await admin('GET', '/statuses')).items.find((s) => s.category === 'solved' && s.active).id
  const requester = { email: `triage-${tag}@example.cn`, name: '王芳' }
  for (let i = 0; i < 30; i++) {
    await admin('POST', '/tickets', { subject: `打印机卡纸 printer jam ${i}`, body: 'the printer jams, 打印机无法打印', department: printers.id, status: solved, requester })
    await admin('POST', '/tickets', { subject: `发票退款 invoice refund ${i}`, body: 'charged twice on the invoice, 申请退款', department: billing.id, status: solved, requester })
  }
  // One solved printer ticket with the reply that solved it, for the similar-tickets box.
  const answered = await admin('POST', '/tickets', { subject: '打印机卡纸 printer jam answered', body: 'the printer jams', department: printers.id, requester })
  await admin('POST', `/tickets/${answered.number}/messages`, { body: SOLVING_REPLY, internal: false })
  await admin('PATCH', '/tickets/' + answered.number, { status: solved })
  await admin('POST', '/triage/train', {})
  for (let i = 0; i < 200; i++) {
    const dept = (await admin('GET', '/triage')).items.find((f) => f.field === 'department')
    if (dept.model) return { printers, billing, requester }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the department model was not trained')
}

export async function triageFlow(browser, url, admin, locale, out) {
  const { printers, requester } = await trainedDepartments(admin)
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
  try {
    await page.waitForSelector('[data-test=nav-admin]')
    await page.goto(url + '/desk/admin/triage')
    await page.waitForSelector('[data-test=triage-confusion-department] tbody tr')
    const measures = await page.textContent('[data-test=triage-measures-department]')
    check(/%/.test(measures), 'the held-out accuracy is shown: ' + measures)
    await page.selectOption('[data-test=triage-mode-department]', 'suggest')
    await page.waitForFunction(async () => {
      const r = await fetch('/api/v1/triage')
      const body = await r.json()
      return body.items.find((f) => f.field === 'department').mode === 'suggest'
    })
    await page.screenshot({ path: join(out, `triage-admin-${locale}.png`), fullPage: true })
  } finally {
    await page.context().close()
  }
  const agent = await person(admin, 'agent', locale, 'triage')
  await admin('PUT', `/agents/${agent.id}/departments`, { departments: [], all_departments: true })
  const ticket = await admin('POST', '/tickets', { subject: '打印机又卡纸了', body: '办公室的打印机又卡纸了，重启之后还是不行，麻烦尽快处理。printer jams again', requester })
  const desk = await signIn(browser, url, agent.email, agent.password, locale)
  try {
    await desk.waitForSelector('[data-test=nav-search]')
    await desk.goto(url + '/desk/tickets/' + ticket.number)
    await desk.waitForSelector('[data-test=triage-apply-department]')
    await desk.screenshot({ path: join(out, `triage-ticket-${locale}.png`), fullPage: true })
    const detected = await desk.textContent('[data-test=side-language]')
    check(detected.includes('zh-CN'), 'the detected language is shown: ' + detected)
    await desk.click('[data-test^=similar-insert-]')
    const reply = await desk.inputValue('textarea')
    check(reply.includes(SOLVING_REPLY), 'the similar ticket\'s reply is in the editor: ' + reply)
    await desk.click('[data-test=triage-apply-department]')
    await desk.waitForSelector('[data-test=triage-apply-department]', { state: 'detached' })
    const after = await admin('GET', '/tickets/' + ticket.number)
    check(after.department?.id === printers.id, 'the suggestion set the department: ' + JSON.stringify(after.department))
  } finally {
    await desk.context().close()
    await admin('PATCH', '/triage-settings/' + (await admin('GET', '/triage')).items.find((f) => f.field === 'department').setting_id, { mode: 'off' })
  }
}
