// Custom roles in the desk, in the given language: the admin composes a "notes and assign" role
// on the Roles page's matrix and gives it to an agent; that agent's desk offers what the role
// allows (internal notes, the assignee) and nothing else (no public reply, no other field, no new
// ticket, no settings). Screenshots go next to the others (customroles-<locale>-*.png).
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

const WORDS = {
  en: { title: 'Roles', name: 'Notes and assign' },
  'zh-CN': { title: '角色', name: 'Notes and assign', zh: '备注与分配' },
}
const GRANTED = ['tickets.view', 'tickets.note', 'tickets.assign']

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function customRolesFlow(browser, url, admin, locale, out) {
  const w = WORDS[locale]
  const tag = locale.toLowerCase() + '-' + Date.now()
  const shot = (page, name) => page.screenshot({ path: join(out, `customroles-${locale}-${name}.png`), fullPage: true })
  await admin('PATCH', '/me', { locale })
  const pages = []
  try {
    // The admin adds the role on the matrix and ticks what it may do.
    const ad = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
    pages.push(ad)
    await ad.waitForSelector('[data-test=view-all_open]')
    await ad.goto(url + '/desk/admin/roles')
    await ad.waitForSelector('[data-test=roles-matrix]')
    check((await ad.textContent('[data-test=roles] h1')).includes(w.title), 'the roles page in ' + locale)
    const name = `${w.name} ${tag}`
    await ad.fill('input[data-test=role-name]', name)
    if (w.zh) await ad.fill('input[data-test=role-name-zh]', `${w.zh} ${tag}`)
    await ad.click('[data-test=role-add]')
    // The new role's column appears once the server has it.
    const column = await ad.waitForSelector(`[data-test^=role-col-]:has-text("${w.zh ? w.zh + ' ' + tag : name}")`)
    const role = { id: Number((await column.getAttribute('data-test')).slice('role-col-'.length)) }
    for (const p of GRANTED) await ad.check(`[data-test="perm-${role.id}-${p}"]`)
    await ad.click('[data-test=roles-save]')
    await ad.waitForSelector('[data-test=roles-saved]')
    const saved = await admin('GET', '/roles/' + role.id)
    check(JSON.stringify(saved.permissions) === JSON.stringify(GRANTED), 'saved permissions: ' + JSON.stringify(saved.permissions))
    await shot(ad, 'matrix')

    // An agent holds it; a colleague is there to be assigned.
    const holder = await person(admin, 'agent', locale, 'custom-' + tag)
    const colleague = await person(admin, 'agent', locale, 'colleague-' + tag)
    const given = await admin('PATCH', '/agents/' + holder.id, { role_id: role.id })
    check(given.role_id === role.id && given.role === 'light_agent', 'role given: ' + JSON.stringify(given))
    const ticket = await admin('POST', '/tickets', { subject: 'Custom role ' + tag, body: 'x', requester: { email: `cr-${tag}@example.cn` } })

    const ag = await signIn(browser, url, holder.email, holder.password, locale)
    pages.push(ag)
    await ag.waitForSelector('[data-test=view-all_open]')
    check(!(await ag.$('[data-test=new-ticket-link]')), 'no new ticket without tickets.create')
    check(!(await ag.$('[data-test=nav-admin]')), 'no settings without settings.manage')
    await ag.goto(url + '/desk/tickets/' + ticket.number)
    await ag.waitForSelector('[data-test=editor] textarea')
    check(!(await ag.$('[data-test=tab-reply]')), 'no public reply without tickets.reply')
    check(await ag.$eval('[data-test=side-priority]', (s) => s.disabled), 'no field change without tickets.edit')
    await ag.waitForSelector(`[data-test=side-assignee] option[value="${colleague.id}"]`, { state: 'attached' })
    check(!(await ag.$eval('[data-test=side-assignee]', (s) => s.disabled)), 'the assignee is open to tickets.assign')
    await ag.selectOption('[data-test=side-assignee]', String(colleague.id))
    await ag.click('[data-test=side-save]')
    await ag.waitForSelector('[data-test=side] [role=status]')
    check((await admin('GET', '/tickets/' + ticket.number)).assignee?.id === colleague.id, 'assigned by the custom role')
    await ag.fill('[data-test=editor] textarea', 'custom note ' + tag)
    await ag.click('[data-test=send]')
    await ag.waitForSelector('[data-test=conversation] .gd-msg.internal')
    const messages = await admin('GET', `/tickets/${ticket.number}/messages?limit=50`)
    check(messages.items.some((m) => m.internal && m.body.includes('custom note ' + tag)), 'the note was internal')
    await shot(ag, 'ticket')
  } finally {
    for (const p of pages) await p.context().close()
  }
}
