// An agent's inbox day, in the given language: page past the first 50 tickets, narrow the list
// with the filter bar, save the filter as a view of their own, give two tickets to a colleague
// at once, and read an SLA badge in the list and on the ticket (red: under an hour left).
// Screenshots: inbox-<locale>-*.png beside the others.
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'

const COUNT = 61

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

// Once per run: urgent tickets owe a first response within 30 minutes.
export async function inboxSetup(admin) {
  await admin('POST', '/sla-policies', { name: 'Urgent first response', position: 1, conditions: { priority: ['urgent'] }, targets: { first_response_minutes: 30, resolution_minutes: 600 } })
}

export async function inboxFlow(browser, url, admin, locale, out) {
  const tag = 'page-' + locale.toLowerCase()
  const shot = (page, name) => page.screenshot({ path: join(out, `inbox-${locale}-${name}.png`), fullPage: true })
  for (let i = 0; i < COUNT; i++)
    await admin('POST', '/tickets', { subject: `Paging ${tag} ${i}`, body: 'x', tags: [tag], requester: { email: `paging-${i}@example.cn` } })
  const urgent = await admin('POST', '/tickets', { subject: `Urgent ${tag}`, body: 'x', priority: 'urgent', tags: [tag], requester: { email: `urgent-${tag}@example.cn` }, custom_fields: { model: 'x200' } })
  check(urgent.sla.first_response_due_at, 'the urgent ticket has an SLA')
  const agent = await person(admin, 'agent', locale, tag)
  const colleague = await person(admin, 'agent', locale, tag, (locale === 'zh-CN' ? '李娜 ' : 'Li Na ') + tag)
  const page = await signIn(browser, url, agent.email, agent.password, locale)
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.click('[data-test=view-all_open]')
    // The filter bar: by tag, then page through all of them.
    await page.fill('[data-test=filter-tag]', tag)
    await page.press('[data-test=filter-tag]', 'Enter')
    await page.waitForFunction((n) => document.querySelectorAll('[data-test^=row-]').length === n, 50)
    check(await page.$('[data-test=load-more]'), 'more than a page: a load-more button')
    await page.click('[data-test=load-more]')
    await page.waitForFunction((n) => document.querySelectorAll('[data-test^=row-]').length === n, COUNT + 1)
    check(!(await page.$('[data-test=load-more]')), 'all shown: no more to load')
    const rows = await page.$$eval('[data-test^=row-]', (r) => r.map((x) => x.dataset.test))
    check(new Set(rows).size === COUNT + 1, 'every ticket once')
    await shot(page, 'paged')

    // Narrow to urgent: one row, its SLA red before the breach.
    await page.selectOption('[data-test=filter-priority]', 'urgent')
    await page.waitForSelector(`[data-test=row-${urgent.number}]`)
    await page.waitForFunction(() => document.querySelectorAll('[data-test^=row-]').length === 1)
    const badge = await page.textContent(`[data-test=row-${urgent.number}] [data-test=sla-badge]`)
    check(await page.getAttribute(`[data-test=row-${urgent.number}] [data-test=sla-badge]`, 'data-sla') === 'warning', 'red under an hour left')
    check(locale === 'zh-CN' ? /剩余/.test(badge) : /left/.test(badge), 'time left in ' + locale + ': ' + badge)
    await shot(page, 'filtered-sla')

    // Save it as a view of one's own; the view shows with its count.
    const name = (locale === 'zh-CN' ? '紧急 ' : 'Urgent ') + tag
    check(!(await page.$('[data-test=view-shared]')), 'agents save personal views only')
    await page.fill('[data-test=view-name]', name)
    await page.click('[data-test=view-save]')
    await page.waitForSelector('[data-test=view-note]')
    const views = (await page.evaluate(async () => (await fetch('/api/v1/views')).json())).items
    const listed = views.find((v) => v.name === name)
    check(listed, 'the view is listed')
    const mine = await page.evaluate(async (id) => (await fetch('/api/v1/views/' + id)).json(), listed.id)
    check(mine.owner_id === agent.id && !mine.shared, 'a personal view: ' + JSON.stringify(mine))
    await page.waitForFunction((id) => document.querySelector(`[data-test=count-${id}]`)?.textContent.trim() === '1', mine.id)
    check((await page.$$('[data-test^=row-]')).length === 1, 'the view lists the urgent ticket')

    // SLA state and a custom field: the same query the API takes, one row each time.
    await page.click('[data-test=view-all_open]')
    await page.fill('[data-test=filter-tag]', tag)
    await page.press('[data-test=filter-tag]', 'Enter')
    await page.waitForFunction((n) => document.querySelectorAll('[data-test^=row-]').length === n, 50)
    const listed1 = page.waitForResponse((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('sla=warning'))
    await page.selectOption('[data-test=filter-sla]', 'warning')
    await listed1
    await page.waitForFunction(() => document.querySelectorAll('[data-test^=row-]').length === 1)
    check(await page.$(`[data-test=row-${urgent.number}]`), 'the SLA filter keeps the ticket due within the hour')
    await page.selectOption('[data-test=filter-sla]', '')
    await page.waitForFunction((n) => document.querySelectorAll('[data-test^=row-]').length === n, 50)
    await page.selectOption('[data-test=filter-field]', 'model')
    const listed2 = page.waitForResponse((r) => r.url().includes('field.model=x200'))
    await page.selectOption('[data-test=filter-field-value]', 'x200')
    await listed2
    await page.waitForFunction(() => document.querySelectorAll('[data-test^=row-]').length === 1)
    check(await page.$(`[data-test=row-${urgent.number}]`), 'the custom field filter keeps the X-200 ticket')
    check(/X-200|x200/.test(await page.textContent('[data-test=filter-field-chip-model]')), 'the field shows as a chip')
    await shot(page, 'filtered-field')
    await page.click('[data-test=filter-clear]')

    // Bulk: two tickets go to a colleague.
    await page.click('[data-test=view-all_open]')
    await page.fill('[data-test=filter-tag]', tag)
    await page.press('[data-test=filter-tag]', 'Enter')
    await page.waitForFunction((n) => document.querySelectorAll('[data-test^=row-]').length === n, 50)
    const two = (await page.$$eval('[data-test^=row-]', (r) => r.slice(0, 2).map((x) => Number(x.dataset.test.slice(4)))))
    for (const n of two) await page.check(`[data-test=row-${n}] input[type=checkbox]`)
    await page.selectOption('[data-test=bulk-assignee]', String(colleague.id))
    await page.click('[data-test=bulk-apply]')
    await page.waitForFunction(() => /2/.test(document.querySelector('.gd-bulk [role=status]')?.textContent ?? ''))
    for (const n of two) check((await admin('GET', '/tickets/' + n)).assignee?.id === colleague.id, `#${n} assigned to the colleague`)

    // The ticket page shows each SLA target with its due time.
    await page.goto(url + '/desk/tickets/' + urgent.number)
    await page.waitForSelector('[data-test=ticket-sla] [data-test=sla-badge][data-sla=warning]')
    check(await page.$('[data-test=sla-first_response]'), 'first response target listed')
    await shot(page, 'ticket-sla')
  } catch (e) {
    await shot(page, 'failed').catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
}
