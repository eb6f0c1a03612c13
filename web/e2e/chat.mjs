// Live chat, a visitor page and an agent page side by side: the admin adds the department's
// widget on the settings page and reads its snippet; another site (another loopback port) pastes
// it; a visitor on a phone-sized page fills the pre-chat form; the agent's Chats page gets the
// chat live, answers, the visitor sees the answer and "typing", writes back, the agent sees the
// visitor has read the answer and ends the chat. Screenshots: chat-<locale>-*.png.
import { createServer } from 'node:http'
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'
import { ADMIN } from './server.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function chatFlow(browser, url, admin, locale, out) {
  const tag = `${locale}-${Date.now() % 100000}`
  const zh = locale === 'zh-CN'
  const shot = (p, name) => p.screenshot({ path: join(out, `chat-${locale}-${name}.png`) })
  const dept = await admin('POST', '/departments', { name: 'Chat ' + tag })
  const agent = await person(admin, 'agent', locale, tag, zh ? '李客服' : 'Alex Agent')
  await admin('PUT', `/agents/${agent.id}/departments`, { departments: [dept.id], all_departments: false })

  // The admin's settings page: the widget for the department, then its snippet.
  const settings = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
  let snippet = ''
  try {
    await settings.waitForSelector('[data-test=view-all_open]')
    await settings.goto(url + '/desk/admin/chat-widgets')
    await settings.click('[data-test=admin-add]')
    await settings.selectOption('[data-test=admin-field-department]', String(dept.id))
    await settings.click('[data-test=admin-save]')
    // The list shows the new widget once the save has answered.
    await settings.waitForSelector('[data-test=admin-save]', { state: 'detached' })
    const made = (await admin('GET', '/chat-widgets')).items.find((w) => w.department === dept.id)
    check(made, 'the widget saved')
    await settings.click(`[data-test=admin-edit-${made.id}]`)
    snippet = await settings.inputValue('[data-test=admin-shown-embed]')
    // The run's public_url names a host nobody resolves: the site below loads the script from
    // the server the run started instead.
    check(snippet.includes('http://desk.example.test/chat.js') && snippet.includes(`data-widget="${made.id}"`), 'snippet: ' + snippet)
    snippet = snippet.replace('http://desk.example.test', url)
  } finally {
    await settings.context().close()
  }

  const site = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.end(`<!doctype html><meta name=viewport content="width=device-width"><h1>Shop</h1>${snippet}`)
  })
  await new Promise((ok) => site.listen(0, '127.0.0.1', ok))
  const desk = await signIn(browser, url, agent.email, agent.password, locale)
  const visitorCtx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale })
  try {
    await desk.waitForSelector('[data-test=view-all_open]')
    await desk.click('[data-test=nav-chats]')
    await desk.waitForSelector('[data-test=chats]')

    const visitor = await visitorCtx.newPage()
    await visitor.goto(`http://127.0.0.1:${site.address().port}/`)
    await visitor.click('[data-gongdan-chat] >> .btn')
    await visitor.fill('[data-gongdan-chat] >> input[name=name]', zh ? '王芳' : 'Pat')
    await visitor.fill('[data-gongdan-chat] >> input[name=email]', `visitor-${tag}@example.cn`)
    const question = (zh ? '订单还没到 ' : 'Where is my order ') + tag
    await visitor.fill('[data-gongdan-chat] >> textarea[name=question]', question)
    await visitor.click('[data-gongdan-chat] >> button[type=submit]')
    await visitor.waitForSelector(`[data-gongdan-chat] >> text=${zh ? '李客服 已接入' : 'Alex Agent joined the chat'}`)

    // The chat reaches the agent's page live; the agent answers.
    await desk.waitForSelector('[data-test^=chat-row-]')
    await desk.click('[data-test^=chat-row-]')
    await desk.waitForSelector(`text=${question}`)
    await desk.fill('textarea[data-test=chat-input], [data-test=chat-input] textarea', zh ? '您好，我来查一下' : 'Hi, let me check')
    await visitor.waitForSelector(`[data-gongdan-chat] >> text=${zh ? '正在输入' : 'is typing'}`)
    await desk.click('[data-test=chat-send]')
    await visitor.waitForSelector(`[data-gongdan-chat] >> text=${zh ? '您好，我来查一下' : 'Hi, let me check'}`)
    await shot(visitor, 'visitor')
    const overflow = await visitor.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(overflow <= 1, `the widget fits 360px (overflow ${overflow})`)

    // The visitor writes back (hostile text stays text); the agent sees it and the read mark.
    await visitor.fill('[data-gongdan-chat] >> .bar textarea', '<b id="x">thanks</b>')
    await visitor.keyboard.press('Enter')
    await desk.waitForFunction(() => document.querySelector('[data-test=chat-talk]')?.textContent.includes('<b id="x">thanks</b>'))
    check(!(await desk.$('#x')) && !(await visitor.$('#x')), 'visitor HTML stays text')
    await desk.waitForSelector('[data-test=chat-read]')
    await shot(desk, 'agent')
    await desk.click('[data-test=chat-end]')
    await visitor.waitForSelector(`[data-gongdan-chat] >> text=${zh ? '会话已结束' : 'This chat has ended'}`)
  } finally {
    site.close()
    await visitorCtx.close()
    await desk.context().close()
  }
}
