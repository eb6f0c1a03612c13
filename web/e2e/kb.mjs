// The knowledge base end to end: an agent writes an article in the desk in Chinese and English,
// uploads an image into it and publishes both; the admin names the help centre and gives it a
// colour; an anonymous reader finds the article in the help centre by a Chinese search (no
// spaces) and reads it in both languages, the image shown; a light agent reads it in the desk
// and cannot change it, and sees an agents-only article's image the public cannot read; a
// customer typing a ticket's subject in the portal (or anyone in the embeddable form) is offered
// it, opens it and leaves without submitting, which counts as a deflection; the agent sees it suggested beside a ticket assigned
// to them and inserts its link into the reply, and once the ticket is solved starts an article
// from the answer.
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'
import { ADMIN } from './server.mjs'

// A 1 × 1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

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
    // An image uploaded in the editor goes into the English text.
    await desk.setInputFiles('[data-test=kb-file-input]', { name: 'cable.png', mimeType: 'image/png', buffer: PNG })
    await desk.waitForSelector('li[data-test^="kb-file-"] img')
    const body = await desk.inputValue('textarea[data-test=kb-body]')
    check(/!\[cable\.png\]\(\/help-files\/\d+\)/.test(body), 'the image is in the text: ' + body)
    await desk.click('[data-test=kb-save]')
    await desk.waitForSelector('[data-test=kb-saved]')
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

  // The admin names the help centre and gives it a colour (Settings → Help centre).
  const site = (await admin('GET', '/help-settings')).items[0]
  await admin('PATCH', '/help-settings/' + site.id, { company_name: '示例科技 ' + tag, colour: '#7a1f5c' })

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
    check((await reader.textContent('header')).includes('示例科技 ' + tag), 'the company name from the setting')
    const colour = await reader.evaluate(() => getComputedStyle(document.querySelector('header')).backgroundColor)
    check(colour === 'rgb(122, 31, 92)', 'the colour from the setting: ' + colour)
    // The embeddable form suggests it too, to someone not signed in.
    await reader.goto(url + '/embed/form?lang=zh-CN')
    await reader.fill('[data-test=embed-subject]', '打印机连不上网络了')
    await reader.waitForSelector(`[data-test=embed-suggestion-${articleId}]`)
    await reader.goto(url + `/help/zh-CN/articles/${articleId}`)
    await reader.click('a[hreflang=en]')
    await reader.waitForSelector('article strong')
    check((await reader.textContent('h1')).includes('Printer cannot reach the network'), 'the English page')
    const img = await reader.waitForSelector('article img[src^="/help-files/"]')
    check(await img.evaluate((e) => e.complete && e.naturalWidth === 1), 'the uploaded image is shown')
    await shot(reader, 'help-article')
  } finally {
    await readerCtx.close()
  }

  // A light agent reads the article in the desk and cannot change it; an agents-only article's
  // image is theirs to see and not the public's.
  const internal = await admin('POST', '/kb/articles', { section: (await admin('GET', '/kb/articles/' + articleId)).section, visibility: 'agents' })
  const form = new FormData()
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'internal.png')
  const uploaded = await fetch(url + '/api/v1/kb/articles/' + internal.id + '/files', { method: 'POST', body: form, headers: await adminUploadHeaders(url) })
  check(uploaded.status === 201, 'the agents-only image uploaded: ' + uploaded.status)
  const secret = (await uploaded.json()).items[0]
  await admin('PUT', `/kb/articles/${internal.id}/translations/en`, { title: `Internal ${tag}`, body: secret.markdown, state: 'published' })
  const anonymous = await fetch(url + secret.url)
  check(anonymous.status === 404, 'the public cannot read an agents-only image: ' + anonymous.status)
  const light = await person(admin, 'light_agent', 'en', 'kbl', 'Lin')
  const lightPage = await signIn(browser, url, light.email, light.password, 'en')
  try {
    await lightPage.waitForSelector('[data-test=nav-kb]')
    await lightPage.goto(url + '/desk/kb/' + articleId)
    await lightPage.waitForSelector('[data-test=kb-editor]')
    check(!(await lightPage.$('[data-test=kb-save]')) && !(await lightPage.$('[data-test=kb-file-input]')), 'a light agent cannot save or upload')
    await lightPage.goto(url + '/help/en/articles/' + internal.id)
    const internalImg = await lightPage.waitForSelector('article img')
    check(await internalImg.evaluate((e) => e.complete && e.naturalWidth === 1), 'an agent sees the agents-only image')
    await shot(lightPage, 'help-agents-only')
  } finally {
    await lightPage.context().close()
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

  // Beside a ticket about the same thing, assigned to the agent, the desk suggests it and the
  // agent inserts its link.
  const ticket = await admin('POST', '/tickets', { subject: `Printer offline ${tag}`, body: 'It stopped.', requester: { email: buyer.email }, assignee: writer.id })
  const agentPage = await signIn(browser, url, writer.email, writer.password, 'en')
  try {
    await agentPage.waitForSelector('[data-test=nav-kb]')
    await agentPage.goto(url + '/desk/tickets/' + ticket.number)
    await agentPage.waitForSelector(`[data-test=kb-insert-${articleId}]`)
    const similar = await agentPage.textContent('[data-test=similar-tickets] h2')
    check(['Similar solved tickets', '相似的已解决工单'].includes(similar.trim()), 'the similar tickets box is beside it: ' + similar)
    await agentPage.click(`[data-test=kb-insert-${articleId}]`)
    const reply = await agentPage.inputValue('textarea')
    check(reply.includes(`/help/`) && reply.includes(`/articles/${articleId}`), 'the link is in the reply: ' + reply)
    await agentPage.click(`[data-test=kb-insert-text-${articleId}]`)
    await agentPage.waitForFunction(() => document.querySelector('textarea')?.value.includes('Restart the printer'))
    await shot(agentPage, 'desk-suggestion')
    // Solved with a reply that deserves to be an article: "create article from this answer".
    const answer = `Unplug the printer for ten seconds ${tag}.`
    const sent = await admin('POST', `/tickets/${ticket.number}/messages`, { body: answer })
    const solved = (await admin('GET', '/statuses')).items.find((s) => s.category === 'solved' && s.active)
    await admin('PATCH', '/tickets/' + ticket.number, { status: solved.id })
    await agentPage.reload()
    await agentPage.click(`[data-test=kb-from-${sent.id}]`)
    await agentPage.waitForURL(/\/desk\/kb\/\d+$/)
    await agentPage.waitForSelector('[data-test=kb-editor]')
    check((await agentPage.inputValue('textarea[data-test=kb-body]')).includes(answer), 'the draft holds the answer')
    check((await agentPage.inputValue('input[data-test=kb-title]')).includes(`Printer offline ${tag}`), 'the draft is titled by the subject')
  } finally {
    await agentPage.context().close()
  }
  await admin('PATCH', '/help-settings/' + site.id, { company_name: site.company_name, colour: site.colour })
}

// The admin's cookie and CSRF token for a multipart upload (the apiSession client sends JSON).
async function adminUploadHeaders(url) {
  const r = await fetch(url + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) })
  const { csrf_token } = await r.json()
  return { Cookie: r.headers.get('set-cookie').split(';')[0], 'X-CSRF-Token': csrf_token, Origin: url }
}
