// The knowledge base end to end: an agent writes an article in the desk in Chinese and English
// and publishes both; an anonymous reader finds it in the help centre by a Chinese search (no
// spaces) and reads it in both languages; a customer typing a ticket's subject in the portal is
// offered it, opens it and leaves without submitting, which counts as a deflection; the agent
// sees it suggested beside a ticket and inserts its link into the reply.
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'
import { ADMIN } from './server.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function kbFlow(browser, url, admin, out) {
  const tag = Date.now().toString(36)
  const shot = (page, name) => page.screenshot({ path: join(out, `kb-${name}.png`), fullPage: true })
  const category = await admin('POST', '/kb/categories', { name: 'Printing ' + tag, name_zh: '打印 ' + tag })
  await admin('POST', '/kb/sections', { category: category.id, name: 'Network printers', name_zh: '网络打印机' })
  const writer = await person(admin, 'agent', 'zh-CN', 'kb', '李雷')
  const desk = await signIn(browser, url, writer.email, writer.password, 'zh-CN')
  let articleId
  try {
    await desk.waitForSelector('[data-test=nav-kb]')
    await desk.click('[data-test=nav-kb]')
    await desk.waitForSelector('[data-test=kb-create]')
    await desk.click('[data-test=kb-create]')
    await desk.waitForSelector('[data-test=kb-editor]')
    articleId = Number(desk.url().split('/').pop())
    check(articleId > 0, 'the new article opened: ' + desk.url())
    const write = async (lang, title, body) => {
      await desk.click(`[data-test=kb-lang-${lang}]`)
      await desk.fill('input[data-test=kb-title]', title)
      await desk.fill('textarea[data-test=kb-body]', body)
      await desk.selectOption('[data-test=kb-state]', 'published')
      await desk.click('[data-test=kb-save]')
      await desk.waitForSelector('[data-test=kb-saved]')
    }
    await write('zh-CN', `打印机无法连接网络 ${tag}`, '1. 检查**网线**。\n2. 重启打印机。\n\n<script>window.__pwned=1</script>')
    await desk.click('[data-test=kb-preview]')
    await desk.waitForSelector('[data-test=kb-preview-html] strong')
    await write('en', `Printer cannot reach the network ${tag}`, '1. Check the **cable**.\n2. Restart the printer.')
    await shot(desk, 'desk-editor')
    // A second edit of the Chinese text, then what changed, as the server diffs it.
    await desk.click('[data-test=kb-lang-zh-CN]')
    await desk.fill('textarea[data-test=kb-body]', '1. 检查**网线**。\n2. 重启打印机。\n3. 联系管理员。')
    await desk.click('[data-test=kb-save]')
    await desk.waitForSelector('[data-test=kb-saved]')
    await desk.click('[data-test=kb-versions-toggle]')
    await desk.waitForSelector('[data-test=kb-diff]')
    await desk.click('[data-test=kb-diff]')
    const added = await desk.waitForSelector('[data-test=kb-diff-result] .diff .added')
    check((await added.textContent()).includes('联系管理员'), 'the diff shows the added line')
    check((await desk.textContent('[data-test=kb-versions]')).includes('李雷'), 'versions name their writer')
    await shot(desk, 'desk-diff')
    // The Chinese source changed after the English: the list marks the English as older.
    await desk.click('[data-test=nav-kb]')
    await desk.waitForSelector(`[data-test=kb-outdated-${articleId}-en]`)
    check(!(await desk.$(`[data-test=kb-outdated-${articleId}-zh-CN]`)), 'the source is not older than itself')
    // A draft scheduled to publish by itself tomorrow at nine, the writer's time.
    const draft = await admin('POST', '/kb/articles', { section: (await admin('GET', '/kb/articles/' + articleId)).section })
    await admin('PUT', `/kb/articles/${draft.id}/translations/zh-CN`, { title: `新功能上线 ${tag}`, body: '明天发布。' })
    await desk.goto(url + '/desk/kb/' + draft.id)
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10)
    await desk.fill('[data-test=kb-publish-at]', tomorrow + 'T09:00')
    await desk.click('[data-test=kb-schedule]')
    check((await (await desk.waitForSelector('[data-test=kb-scheduled]')).textContent()).includes('09:00'), 'the schedule shows in local time')
    const scheduled = await admin('GET', `/kb/articles/${draft.id}/translations/zh-CN`)
    check(scheduled.publish_at === tomorrow + 'T01:00:00.000Z', 'nine in Shanghai is one UTC: ' + scheduled.publish_at)
    const article = await admin('GET', '/kb/articles/' + articleId)
    const states = Object.fromEntries(article.translations.map((x) => [x.lang, x.state]))
    check(states['zh-CN'] === 'published' && states.en === 'published', 'both published: ' + JSON.stringify(states))
  } finally {
    await desk.context().close()
  }

  // Anyone, signed in or not: the help centre finds it by a Chinese search.
  const readerCtx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
  try {
    const reader = await readerCtx.newPage()
    await reader.goto(url + '/help')
    check(reader.url().endsWith('/help/zh-CN'), 'the reader got Chinese: ' + reader.url())
    await reader.fill('input[name=q]', '打印机无法连接')
    await reader.press('input[name=q]', 'Enter')
    await reader.waitForSelector(`a[href="/help/zh-CN/articles/${articleId}"]`)
    await shot(reader, 'help-search')
    await reader.click(`a[href="/help/zh-CN/articles/${articleId}"]`)
    await reader.waitForSelector('article strong')
    check((await reader.textContent('article')).includes('网线'), 'the article body shows')
    check(!(await reader.evaluate(() => window.__pwned)), 'the article is inert')
    await reader.click('a[hreflang=en]')
    await reader.waitForSelector('article strong')
    check((await reader.textContent('h1')).includes('Printer cannot reach the network'), 'the English page')
    await shot(reader, 'help-article')
  } finally {
    await readerCtx.close()
  }

  // A customer types a subject in the portal: the article is suggested; opened, then left.
  const before = (await admin('GET', '/kb/stats')).deflections
  const buyer = await person(admin, 'customer', 'zh-CN', 'kbc', '韩梅梅')
  const portal = await signIn(browser, url, buyer.email, buyer.password, 'zh-CN', 360)
  try {
    await portal.waitForURL(/\/portal/)
    await portal.goto(url + '/portal/new')
    await portal.fill('input[data-test=portal-subject]', '我的打印机连不上网络')
    const link = await portal.waitForSelector(`[data-test=portal-suggestion-${articleId}]`)
    await shot(portal, 'portal-suggestion')
    const [tab] = await Promise.all([portal.context().waitForEvent('page'), link.click()])
    await tab.waitForLoadState()
    check((await tab.textContent('h1')).includes('打印机'), 'the suggestion opened the article')
    await tab.close()
    await portal.click('a[href="/portal/"], a[href="/portal"]')
    for (let i = 0; i < 50 && (await admin('GET', '/kb/stats')).deflections <= before; i++)
      await new Promise((r) => setTimeout(r, 100))
    check((await admin('GET', '/kb/stats')).deflections === before + 1, 'one deflection counted')
  } finally {
    await portal.context().close()
  }

  // Beside a ticket about the same thing, the desk suggests it and inserts its link.
  const ticket = await admin('POST', '/tickets', { subject: `Printer offline ${tag}`, body: 'It stopped.', requester: { email: buyer.email } })
  // The admin: agents see the tickets of their departments, and this one has none.
  const agentPage = await signIn(browser, url, ADMIN.email, ADMIN.password, 'en')
  try {
    await agentPage.waitForSelector('[data-test=nav-kb]')
    await agentPage.goto(url + '/desk/tickets/' + ticket.number)
    await agentPage.waitForSelector(`[data-test=kb-insert-${articleId}]`)
    const similar = await agentPage.textContent('[data-test=similar-tickets] h2')
    check(['Similar solved tickets', '相似的已解决工单'].includes(similar.trim()), 'the similar tickets box is beside it: ' + similar)
    await agentPage.click(`[data-test=kb-insert-${articleId}]`)
    const reply = await agentPage.inputValue('textarea')
    check(reply.includes(`/help/`) && reply.includes(`/articles/${articleId}`), 'the link is in the reply: ' + reply)
    await shot(agentPage, 'desk-suggestion')
  } finally {
    await agentPage.context().close()
  }
}
