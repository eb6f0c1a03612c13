// A contact's personal data, as an admin in zh-CN: the contact page's export link downloads the
// archive, and erasing asks first in a dialog, then leaves the contact without their name; a
// retention policy shows its dry-run count on the settings page; an agent opening the contact
// page sees no privacy buttons.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function privacyFlow(browser, url, admin, out) {
  const tag = 'privacy' + Date.now()
  await admin('PATCH', '/me', { locale: 'zh-CN' })
  const contact = await admin('POST', '/contacts', { email: `${tag}@example.cn`, name: '隐私 ' + tag, locale: 'zh-CN' })
  await admin('POST', '/tickets', { subject: '打印机 ' + tag, body: '我是 隐私 ' + tag, requester: { email: contact.email } })
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, 'zh-CN')
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/contacts/' + contact.id)
    await page.waitForSelector('[data-test=contact-privacy]')
    check((await page.textContent('[data-test=contact-privacy]')).includes('导出该联系人的全部数据'), 'the export link in Chinese')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=contact-export]')])
    const file = join(out, 'privacy-export.tar')
    await download.saveAs(file)
    const bytes = readFileSync(file)
    check(bytes.includes(Buffer.from('contact.json')) && bytes.includes(Buffer.from(contact.email)), 'the archive holds contact.json with the contact')
    await page.click('[data-test=contact-erase]')
    await page.waitForSelector('[data-test=erase-warning]')
    check((await page.textContent('[data-test=erase-warning]')).includes('无法撤销'), 'the warning in Chinese')
    await page.screenshot({ path: join(out, 'privacy-erase-dialog-zh-CN.png'), fullPage: true })
    await page.click('[data-test=erase-confirm]')
    await page.waitForSelector('[data-test=contact-erased]')
    check((await page.textContent('[data-test=contact-erased]')).includes('已删除'), 'told in Chinese')
    const after = await admin('GET', '/contacts/' + contact.id)
    check(after.name === '' && !after.email.includes(tag), 'the contact has lost name and address: ' + JSON.stringify(after))
    await page.screenshot({ path: join(out, 'privacy-admin-zh-CN.png'), fullPage: true })
    // A retention policy on the settings page built from its declaration: switched off, with
    // the dry run's count beside it.
    const dept = await admin('POST', '/departments', { name: '保留 ' + tag })
    const policy = await admin('POST', '/retention-policies', { name: '保留 ' + tag, department: dept.id, months: 12, action: 'delete' })
    await page.goto(url + '/desk/admin/retention-policies')
    await page.waitForSelector(`[data-test=admin-row-${policy.id}]`)
    check((await page.textContent('body')).includes('保留策略'), 'the page title in Chinese')
    check((await page.textContent('[data-test=admin-list] thead')).includes('试运行'), 'the dry run column in Chinese')
    check((await page.textContent(`[data-test=admin-row-${policy.id}]`)).includes('0'), 'the dry run counts no ticket in a new department')
    await page.screenshot({ path: join(out, 'privacy-retention-zh-CN.png'), fullPage: true })
  } finally {
    await page.context().close()
  }
  // An agent reads the contact but is offered neither button.
  const agent = await person(admin, 'agent', 'zh-CN', 'privacy-a-' + tag)
  const desk = await signIn(browser, url, agent.email, agent.password, 'zh-CN')
  try {
    await desk.waitForSelector('[data-test=nav-reports], [data-test=view-all_open]')
    await desk.goto(url + '/desk/contacts/' + contact.id)
    await desk.waitForSelector('[data-test=contact-form]')
    check(!(await desk.$('[data-test=contact-privacy]')), 'no privacy buttons for an agent')
    check(!(await desk.$('[data-test=contact-export]')) && !(await desk.$('[data-test=contact-erase]')), 'no export or erase for an agent')
  } finally {
    await desk.context().close()
  }
}
