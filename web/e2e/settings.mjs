// Settings without JSON, walked by an admin in the given language: a business calendar (week
// hours, a pasted holiday notice), an SLA policy (priorities from a list, the calendar by name,
// targets in hours and minutes), a trigger built from lists of real statuses with the API's
// error shown on the row at fault, and an automation ("after" as amount and unit). Each is
// checked through the API as stored. Screenshots: settings-<locale>-*.png.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function settingsFlow(browser, url, admin, locale, width, out) {
  const tag = `${locale}-${width}-${Date.now() % 100000}`
  await admin('PATCH', '/me', { locale })
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale, width)
  const shot = (name) => page.screenshot({ path: join(out, `settings-${locale}-${width}-${name}.png`), fullPage: true })
  const saved = async (list) => {
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form]', { state: 'detached' })
    return (await admin('GET', list)).items
  }
  try {
    await page.waitForSelector('[data-test=nav-admin]')
    // A calendar: Monday to Friday 9 to 6, National Day pasted from the notice, one make-up day.
    await page.goto(url + '/desk/admin/calendars')
    await page.click('[data-test=admin-add]')
    await page.fill('[data-test=cal-name]', 'Office ' + tag)
    await page.fill('[data-test=cal-zone]', 'Asia/Shanghai')
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) await page.fill(`[data-test=cal-day-${d}]`, '09:00-12:00, 13:00-18:00')
    await page.click('[data-test=cal-paste-open]')
    await page.fill('[data-test=cal-paste]', '国庆节 2026-10-01 ~ 2026-10-07\n2026年9月20日 上班\n放假通知')
    await page.click('[data-test=cal-paste-add]')
    await page.waitForSelector('[data-test=cal-pasted]')
    check((await page.inputValue('[data-test=cal-holiday-0] input[type=date] >> nth=1')) === '2026-10-07', 'the pasted range has its last day')
    await shot('calendar')
    await noRawKeys(page, 'calendar')
    const calendar = (await saved('/calendars')).find((c) => c.spec.name === 'Office ' + tag)
    check(calendar, 'calendar stored')
    check(JSON.stringify(calendar.spec.weekly_hours.mon) === '["09:00-12:00","13:00-18:00"]', 'week hours: ' + JSON.stringify(calendar.spec))
    check(JSON.stringify(calendar.spec.holidays) === '[{"name":"国庆节","from":"2026-10-01","to":"2026-10-07"}]', 'holidays: ' + JSON.stringify(calendar.spec.holidays))
    check(JSON.stringify(calendar.spec.extra_working_days) === '["2026-09-20"]', 'make-up day: ' + JSON.stringify(calendar.spec))

    // An SLA policy on that calendar, for urgent tickets: first response in 1 h 30 min.
    await page.click('[data-test=admin-nav-sla-policies]')
    await page.click('[data-test=admin-add]')
    await page.fill('[data-test=admin-field-name]', 'Urgent ' + tag)
    await page.selectOption('[data-test=admin-field-calendar]', { label: 'Office ' + tag })
    await page.selectOption('[data-test=schema-conditions] [data-test=member-priority]', ['urgent'])
    await page.fill('[data-test=admin-field-first_response_minutes-hours]', '1')
    await page.fill('[data-test=admin-field-first_response_minutes-minutes]', '30')
    await page.fill('[data-test=admin-field-resolution_minutes-hours]', '8')
    await shot('sla-policy')
    await noRawKeys(page, 'sla-policy')
    const policy = (await saved('/sla-policies')).find((p) => p.name === 'Urgent ' + tag)
    check(policy && policy.calendar === calendar.id, 'policy on the calendar: ' + JSON.stringify(policy))
    check(policy.targets.first_response_minutes === 90 && policy.targets.resolution_minutes === 480, 'targets: ' + JSON.stringify(policy.targets))
    check(JSON.stringify(policy.conditions) === '{"priority":["urgent"]}', 'conditions: ' + JSON.stringify(policy.conditions))

    // A trigger: a pattern that does not compile is refused, the row at fault is marked; fixed, saved.
    await page.click('[data-test=admin-nav-triggers]')
    await page.click('[data-test=admin-add]')
    await page.fill('[data-test=admin-field-name]', 'Solved ' + tag)
    await page.click('[data-test=cond-add-all]')
    await page.selectOption('[data-test=cond-all-0] [data-test=cond-field]', 'status')
    await page.selectOption('[data-test=cond-all-0] [data-test=cond-operator]', 'changed_to')
    const solved = await page.$$eval('[data-test=cond-all-0] [data-test=cond-value] option', (os) => os.map((o) => o.value))
    check(solved.includes('Solved'), 'statuses offered: ' + solved)
    await page.selectOption('[data-test=cond-all-0] [data-test=cond-value]', 'Solved')
    await page.click('[data-test=cond-add-any]')
    await page.selectOption('[data-test=cond-any-0] [data-test=cond-field]', 'subject')
    await page.selectOption('[data-test=cond-any-0] [data-test=cond-operator]', 'regex')
    await page.fill('[data-test=cond-any-0] [data-test=cond-value]', '(unclosed')
    await page.click('[data-test=act-add]')
    await page.selectOption('[data-test=act-0] [data-test=act-type]', 'add_tags')
    await page.fill('[data-test=act-0] [data-test=act-tags]', 'closed-' + tag)
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=cond-any-0].bad')
    check((await page.textContent('[data-test=cond-any-0]')).includes('conditions.any[0].value'), 'the error names the row')
    await shot('trigger-error')
    await noRawKeys(page, 'trigger-error')
    await page.fill('[data-test=cond-any-0] [data-test=cond-value]', '(?i)refund|退款')
    const trigger = (await saved('/triggers')).find((r) => r.name === 'Solved ' + tag)
    check(JSON.stringify(trigger.conditions.all) === '[{"field":"status","operator":"changed_to","value":"Solved"}]', 'trigger conditions: ' + JSON.stringify(trigger.conditions))
    check(JSON.stringify(trigger.actions) === `[{"type":"add_tags","tags":["closed-${tag}"]}]`, 'trigger actions: ' + JSON.stringify(trigger.actions))

    // An automation: pending for 3 business days → tag.
    await page.click('[data-test=admin-nav-automations]')
    await page.click('[data-test=admin-add]')
    await page.fill('[data-test=admin-field-name]', 'Remind ' + tag)
    await page.click('[data-test=cond-add-all]')
    await page.selectOption('[data-test=cond-all-0] [data-test=cond-field]', 'status_category')
    await page.selectOption('[data-test=cond-all-0] [data-test=cond-value]', 'pending')
    await page.fill('[data-test=schema-after] [data-test=member-amount]', '3')
    await page.selectOption('[data-test=schema-after] [data-test=member-unit]', 'business_days')
    await page.click('[data-test=act-add]')
    await page.selectOption('[data-test=act-0] [data-test=act-type]', 'add_tags')
    await page.fill('[data-test=act-0] [data-test=act-tags]', 'reminded')
    await shot('automation')
    await noRawKeys(page, 'automation')
    const auto = (await saved('/automations')).find((a) => a.name === 'Remind ' + tag)
    check(auto && auto.after.amount === 3 && auto.after.unit === 'business_days', 'automation after: ' + JSON.stringify(auto))
    check(auto.conditions.all[0].value === 'pending', 'automation condition: ' + JSON.stringify(auto.conditions))
    // A form's fields as rows: the custom field chosen by name, its order changed.
    const form = (await admin('GET', '/forms')).items[0]
    await page.click('[data-test=admin-nav-forms]')
    await page.click(`[data-test=admin-edit-${form.id}]`)
    await page.click('[data-test=schema-fields] [data-test=row-1] [data-test=row-up]')
    check((await page.inputValue('[data-test=schema-fields] [data-test=row-0] [data-test=member-key]')) === 'serial', 'serial moved up')
    await shot('form-fields')
    await noRawKeys(page, 'form-fields')
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form]', { state: 'detached' })
    const reordered = await admin('GET', '/forms/' + form.id)
    check(reordered.fields.map((f) => f.key).join() === 'serial,model' && reordered.fields[1].required === true, 'form fields reordered: ' + JSON.stringify(reordered.fields))
    await admin('PATCH', '/forms/' + form.id, { fields: form.fields })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(overflow <= 1, `settings fit ${width}px (overflow ${overflow})`)
    // The later walks (the inbox's SLA badges) run under their own rules only.
    for (const path of [`/automations/${auto.id}`, `/triggers/${trigger.id}`, `/sla-policies/${policy.id}`, `/calendars/${calendar.id}`])
      await admin('DELETE', path)
  } finally {
    await page.context().close()
  }
}

// A key the page's language lacks is shown by vue-i18n as the key itself ("rules.op.is"): none
// may be left on a page of the desk (template placeholders such as {{ticket.number}} aside).
export async function noRawKeys(page, where) {
  const keys = await page.evaluate(() =>
    (document.body.innerText.replace(/\{\{[^}]*\}\}/g, '').match(/\b(?:admin|rules|tools|cal|macro|newTicket|rich|ticket|list|filters|apiError|common|history|followers|mailTest|mailPreview)\.[A-Za-z_]+(?:\.[A-Za-z_]+)*\b/g) ?? []))
  check(!keys.length, `untranslated keys on ${where}: ${[...new Set(keys)].join(', ')}`)
}
