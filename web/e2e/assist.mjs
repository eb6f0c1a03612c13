// Drafts and summaries (issue 22): the admin tests the model endpoint from the settings page,
// then an agent (zh-CN) clicks "Draft reply" on a ticket and finds the draft in the editor,
// not sent, and a summary beside it. The endpoint is a chat-completions stub on 127.0.0.1.
import { createServer } from 'node:http'
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

const DRAFT = '您好，请先检查打印机的网线是否插好，然后重启打印机。'

// POST /v1/chat/completions with the Bearer key: a draft for a draft, bullets for a summary.
async function startStub() {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const ok = req.url === '/v1/chat/completions' && req.headers.authorization === 'Bearer e2e-key'
      const asked = ok ? JSON.parse(body) : null
      const summary = asked && asked.messages[0].content.startsWith('Summarize')
      const content = summary ? '- 打印机无法连接' : (asked?.messages.length === 1 ? 'OK' : DRAFT)
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(ok ? { choices: [{ message: { role: 'assistant', content } }], usage: { prompt_tokens: 42, completion_tokens: 9 } } : { error: 'key' }))
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}/v1`, stop: () => server.close() }
}

export async function assistFlow(browser, url, admin, locale, out) {
  const stub = await startStub()
  const setting = (await admin('GET', '/assist-settings')).items[0]
  try {
    await admin('PATCH', '/assist-settings/' + setting.id, { enabled: true, base_url: stub.url, model: 'e2e-model', api_key: 'e2e-key' })
    const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
    try {
      await page.waitForSelector('[data-test=view-all_open]')
      await page.goto(url + '/desk/admin/assist-settings')
      await page.click(`[data-test=admin-edit-${setting.id}]`)
      await page.click('[data-test=assist-test-run]')
      const result = await (await page.waitForSelector('[data-test=assist-test-result]')).textContent()
      check(result.includes('OK'), 'the endpoint answered the test: ' + result)
      await page.screenshot({ path: join(out, `assist-admin-${locale}.png`), fullPage: true })
    } finally {
      await page.context().close()
    }
    const agent = await person(admin, 'agent', locale, 'assist')
    await admin('PUT', `/agents/${agent.id}/departments`, { departments: [], all_departments: true })
    const ticket = await admin('POST', '/tickets', { subject: '打印机无法连接', body: '办公室的打印机从今天早上开始无法连接，重启之后还是不行。', requester: { email: `assist-${Date.now()}@example.cn`, name: '王芳' } })
    const desk = await signIn(browser, url, agent.email, agent.password, locale)
    try {
      await desk.waitForSelector('[data-test=nav-search]')
      await desk.goto(url + '/desk/tickets/' + ticket.number)
      const button = await desk.waitForSelector('[data-test=assist-draft]')
      check((await button.textContent()).includes(locale === 'zh-CN' ? '起草回复' : 'Draft reply'), 'the button speaks ' + locale)
      await button.click()
      await desk.waitForSelector('[data-test=assist-drafted]')
      const reply = await desk.inputValue('textarea')
      check(reply.includes(DRAFT), 'the draft is in the editor: ' + reply)
      await desk.click('[data-test=assist-summarize]')
      const summary = await (await desk.waitForSelector('[data-test=assist-summary]')).textContent()
      check(summary.includes('打印机无法连接'), 'the summary is shown: ' + summary)
      await desk.screenshot({ path: join(out, `assist-ticket-${locale}.png`), fullPage: true })
      const messages = (await admin('GET', `/tickets/${ticket.number}/messages`)).items
      check(messages.length === 1, 'nothing was sent by itself: ' + messages.length)
    } finally {
      await desk.context().close()
    }
  } finally {
    await admin('PATCH', '/assist-settings/' + setting.id, { enabled: false })
    stub.stop()
  }
}
