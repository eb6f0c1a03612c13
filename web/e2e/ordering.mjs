// Settings put in order by hand, in the given language: an admin drags a saved view onto the
// top of the views list and moves another with the keyboard (the arrow buttons), then drags a
// form's last field to the top, and puts a view's inbox columns in order in its editor (the inbox
// then shows them so); each order is checked through the API as stored.
// Screenshots: ordering-<locale>-*.png.
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { signIn } from './roles.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function orderingFlow(browser, url, admin, locale, width, out) {
  const tag = `${locale}-${Date.now() % 100000}`
  await admin('PATCH', '/me', { locale })
  const views = []
  for (const name of ['A', 'B', 'C'])
    views.push(await admin('POST', '/views', { name: `Order ${name} ${tag}`, shared: true, filters: { tag: 'order-' + name.toLowerCase() } }))
  // The form belongs to a department of its own: a form for every department with a required
  // field would hold up every later ticket of the run.
  const dept = await admin('POST', '/departments', { name: 'Order ' + tag })
  const form = await admin('POST', '/forms', { name: 'Order form ' + tag, department: dept.id, fields: [{ key: 'model' }, { key: 'serial', required: true }] })
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale, width)
  const shot = (name) => page.screenshot({ path: join(out, `ordering-${locale}-${width}-${name}.png`), fullPage: true })
  const mine = async () => {
    // The inbox's list of views (ids as text), in the order the desk shows them.
    const ids = views.map((v) => String(v.id))
    return (await admin('GET', '/views')).items.filter((v) => ids.includes(String(v.id))).map((v) => v.name.split(' ')[1])
  }
  try {
    await page.waitForSelector('[data-test=nav-admin]')
    await page.goto(url + '/desk/admin/views')
    await page.waitForSelector(`[data-test=admin-grip-${views[2].id}]`)
    // Drag C onto A: C comes first.
    await page.dragAndDrop(`[data-test=admin-grip-${views[2].id}]`, `[data-test=admin-row-${views[0].id}]`)
    await page.waitForFunction(() => document.querySelector('[data-test=admin-moved]')?.textContent.trim())
    let order = await mine()
    check(order.join('') === 'CAB', 'dragged C before A: ' + order)
    // The keyboard: B's "move up" button, pressed with Enter, puts it before A.
    await page.focus(`[data-test=admin-up-${views[1].id}]`)
    await page.keyboard.press('Enter')
    await page.waitForFunction((n) => document.querySelector('[data-test=admin-moved]')?.textContent.includes(n), `Order B ${tag}`)
    order = await mine()
    check(order.join('') === 'CBA', 'moved B up: ' + order)
    const rows = await page.$$eval('[data-test^=admin-row-]', (r) => r.map((x) => x.dataset.test.slice(10)))
    check(rows.indexOf(String(views[2].id)) < rows.indexOf(String(views[1].id)) && rows.indexOf(String(views[1].id)) < rows.indexOf(String(views[0].id)), 'the page shows the stored order')
    await shot('views')

    // A view's inbox columns: chosen in its editor and put in order by dragging and by the
    // keyboard; the inbox shows them so.
    await page.click(`[data-test=admin-edit-${views[0].id}]`)
    await page.waitForSelector('[data-test=ordered-columns]')
    for (const c of ['number', 'subject', 'status']) {
      await page.selectOption('[data-test=ordered-add-columns]', c)
      await page.waitForSelector(`[data-test=ordered-item-${c}]`)
    }
    // Drag status onto number: status first.
    await page.dragAndDrop('[data-test=ordered-grip-status]', '[data-test=ordered-item-number]')
    await page.waitForFunction(() => document.querySelector('[data-test=ordered-columns] li')?.dataset.test === 'ordered-item-status')
    // The keyboard: subject's "move up", pressed with Enter, puts it before number.
    await page.focus('[data-test=ordered-up-subject]')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=ordered-columns] li')].map((li) => li.dataset.test.slice(13)).join() === 'status,subject,number')
    await shot('view-columns')
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form]', { state: 'detached' })
    const a = await admin('GET', '/views/' + views[0].id)
    check(a.columns.join() === 'status,subject,number', 'view columns stored in the editor\'s order: ' + JSON.stringify(a.columns))
    await page.goto(url + '/desk/')
    await page.click(`[data-test=view-${views[0].id}]`)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=ticket-list] th[data-test^=col-]')].map((th) => th.dataset.test.slice(4)).join() === 'status,subject,number')
    await shot('inbox-columns')

    // A form's fields: drag the second (serial) onto the first.
    await page.goto(url + '/desk/admin/forms')
    await page.click(`[data-test=admin-edit-${form.id}]`)
    await page.waitForSelector('[data-test=schema-fields] [data-test=row-1] [data-test=row-grip]')
    await page.dragAndDrop('[data-test=schema-fields] [data-test=row-1] [data-test=row-grip]', '[data-test=schema-fields] [data-test=row-0]')
    await shot('form-fields')
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('[data-test=admin-form]', { state: 'detached' })
    const stored = await admin('GET', '/forms/' + form.id)
    check(stored.fields.map((f) => f.key).join(',') === 'serial,model', 'form fields in the dragged order: ' + JSON.stringify(stored.fields))
    check(stored.fields[0].required === true, 'the field kept its settings')
  } catch (e) {
    await shot('failed').catch(() => {})
    throw e
  } finally {
    await page.context().close()
  }
}
