// An agent's day at the phone, in the given language: a customer calls; the agent finds the
// contact, opens a ticket for them (channel phone, a call note for colleagues), then applies a
// shared macro after reading what it will change; a light agent is offered neither. Checked
// through the API. Screenshots: agentday-<locale>-*.png.
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'
import { noRawKeys } from './settings.mjs'

// A 1×1 PNG: the pasted screenshot.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function agentDayFlow(browser, url, admin, locale, width, out) {
  const tag = `${locale}-${width}-${Date.now() % 100000}`.toLowerCase()
  const agent = await person(admin, 'agent', locale, tag)
  const light = await person(admin, 'light_agent', locale, tag)
  const caller = await admin('POST', '/contacts', { email: `caller-${tag}@example.cn`, name: locale === 'zh-CN' ? '赵女士 ' + tag : 'Ms Zhao ' + tag })
  const macro = await admin('POST', '/macros', {
    name: 'Solve ' + tag, shared: true,
    actions: [{ type: 'set_field', field: 'status', value: 'Solved' }, { type: 'add_tags', tags: ['phone-' + tag] }],
    reply: 'Ticket #{{ticket.number}} is solved, {{requester.name}}.', reply_internal: false,
  })
  const page = await signIn(browser, url, agent.email, agent.password, locale, width)
  const shot = (p, name) => p.screenshot({ path: join(out, `agentday-${locale}-${width}-${name}.png`), fullPage: true })
  try {
    await page.waitForSelector('[data-test=new-ticket-link]')
    await page.click('[data-test=new-ticket-link]')
    await page.fill('[data-test=new-lookup]', 'caller-' + tag)
    await page.click(`[data-test=new-pick-${caller.id}]`)
    check((await page.inputValue('[data-test=new-email]')) === caller.email, 'the contact picked')
    await page.selectOption('[data-test=new-channel]', 'phone')
    await page.selectOption('[data-test=new-priority]', 'high')
    await page.fill('[data-test=new-subject]', 'Printer jammed ' + tag)
    await page.fill('[data-test=new-body]', 'The printer on floor 3 jams on every page.')
    await page.fill('[data-test=new-note]', 'Called at 10:05, sounded urgent ' + tag)
    await shot(page, 'new-ticket')
    await noRawKeys(page, 'new-ticket')
    await page.click('[data-test=new-create]')
    await page.waitForURL(/\/desk\/tickets\/\d+$/)
    const number = Number(page.url().match(/tickets\/(\d+)/)[1])
    const made = await admin('GET', '/tickets/' + number)
    check(made.channel === 'phone' && made.requester.id === caller.id && made.priority === 'high' && made.assignee?.id === agent.id,
      'the ticket for the caller: ' + JSON.stringify({ channel: made.channel, requester: made.requester, priority: made.priority, assignee: made.assignee }))
    const messages = (await admin('GET', `/tickets/${number}/messages?limit=50`)).items
    check(messages.some((m) => m.internal && m.body.includes('sounded urgent ' + tag)), 'the call note is internal')

    // The macro: what it will do first, then applied as one change.
    await page.waitForSelector('[data-test=macro-choose]')
    await page.selectOption('[data-test=macro-choose]', String(macro.id))
    const preview = await page.textContent('[data-test=macro-preview]')
    const solved = locale === 'zh-CN' ? '已解决' : 'Solved'
    check(preview.includes(solved) && preview.includes('phone-' + tag), 'preview names the changes: ' + preview)
    check((await page.textContent('[data-test=macro-reply]')).includes(`#${number} is solved, ${caller.name}`), 'preview fills the reply')
    await shot(page, 'macro-preview')
    await noRawKeys(page, 'macro-preview')
    await page.click('[data-test=macro-apply]')
    await page.waitForSelector('[data-test=macro-done]')
    const after = await admin('GET', '/tickets/' + number)
    check(after.status.name === 'Solved' && after.tags.includes('phone-' + tag), 'macro applied: ' + JSON.stringify({ status: after.status, tags: after.tags }))
    await page.waitForFunction((n) => document.querySelector('[data-test=conversation]')?.textContent.includes(`#${n} is solved`), number)
    const sent = (await admin('GET', `/tickets/${number}/messages?limit=50`)).items.find((m) => m.body.includes(`#${number} is solved`))
    check(sent.body === `Ticket #${number} is solved, ${caller.name}.`, 'the reply as previewed: ' + sent.body)
    // A formatted reply: bold and a list, sent as sanitised HTML.
    await page.check('[data-test=rich-toggle]')
    const box = await page.waitForSelector('[data-test=rich] .ProseMirror')
    await box.click()
    await page.keyboard.type('Please ')
    await page.click('[data-test=rich-bold]')
    await page.keyboard.type('restart it')
    await page.click('[data-test=rich-bold]')
    await page.keyboard.press('Enter')
    await page.click('[data-test=rich-bulletList]')
    await page.keyboard.type('then print a test page ' + tag)
    // A screenshot pasted into the text: uploaded, shown where it was pasted, sent inline.
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
      document.querySelector('[data-test=rich] .ProseMirror').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }, PNG)
    const pasted = await page.waitForSelector('[data-test=rich] .ProseMirror img[src^="/api/v1/attachments/"]')
    await page.waitForFunction((i) => i.complete && i.naturalWidth > 0, pasted)
    await page.waitForSelector('[data-test=attached-inline]')
    const inlineId = Number((await pasted.getAttribute('src')).split('/').pop())
    await shot(page, 'rich-reply')
    await noRawKeys(page, 'rich-reply')
    await page.click('[data-test=send]')
    await page.waitForFunction((w) => document.querySelector('[data-test=conversation]')?.textContent.includes(w), 'then print a test page ' + tag)
    const reply = (await admin('GET', `/tickets/${number}/messages?limit=50`)).items.find((m) => m.body.includes('then print a test page ' + tag))
    check(/<strong>restart it<\/strong>/.test(reply.html) && /<ul><li><p>then print/.test(reply.html), 'formatted reply stored: ' + reply.html)
    check(await page.$('[data-test=conversation] strong'), 'the bold text shows')
    check(reply.html.includes(`<img src="/api/v1/attachments/${inlineId}"`) && reply.attachments.some((f) => f.id === inlineId),
      'the pasted image is inline in the stored reply and one of its attachments: ' + reply.html + ' ' + JSON.stringify(reply.attachments))
    const shown = await page.waitForSelector(`[data-test=conversation] .body img[src="/api/v1/attachments/${inlineId}"]`)
    await page.waitForFunction((i) => i.complete && i.naturalWidth > 0, shown)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(overflow <= 1, `ticket page fits ${width}px (overflow ${overflow})`)

    // A light agent changes no ticket: no new ticket, no macros.
    const li = await signIn(browser, url, light.email, light.password, locale, width)
    await li.waitForSelector('[data-test=view-all_open]')
    check(!(await li.$('[data-test=new-ticket-link]')), 'no new ticket for a light agent')
    await li.goto(url + '/desk/tickets/' + number)
    await li.waitForSelector('[data-test=editor] textarea')
    check(!(await li.$('[data-test=macros]')), 'no macros for a light agent')
    await li.context().close()
  } finally {
    await page.context().close()
  }
}
