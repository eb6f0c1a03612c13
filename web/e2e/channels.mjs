// Every channel in one inbox, in the given language: the admin sees the inbound sources' page
// (built from the declaration) and adds a generic source and a WeCom one through its form; a customer's message
// arrives through that source's signed webhook (signed here as a provider signs it); an agent
// sees it in the inbox marked with its channel, opens it and logs a phone call with the form on
// the ticket page. Checked through the API. Screenshots: channels-<locale>-*.png.
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import { person, signIn } from './roles.mjs'
import { ADMIN } from './server.mjs'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function channelsFlow(browser, url, admin, locale, width, out) {
  const tag = `${locale}-${width}-${Date.now() % 100000}`.toLowerCase()
  const shot = (p, name) => p.screenshot({ path: join(out, `channels-${locale}-${width}-${name}.png`), fullPage: true })
  const page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale, width)
  let secret = ''
  let sourceId = 0
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/admin/inbound-sources')
    await page.waitForSelector('[data-test=admin-inbound-sources]')
    await page.click('[data-test=admin-add]')
    await page.selectOption('[data-test=admin-field-kind]', 'generic')
    await page.fill('[data-test=admin-field-name]', 'Shop chat ' + tag)
    await page.click('[data-test=admin-save]')
    await page.waitForSelector('.secret code')
    secret = (await page.textContent('.secret code')).trim()
    await shot(page, 'source')
    const sources = (await admin('GET', '/inbound-sources')).items
    const made = sources.find((s) => s.name === 'Shop chat ' + tag)
    check(made && made.kind === 'generic' && made.has_signing_secret, 'the source saved: ' + JSON.stringify(made))
    sourceId = made.id

    // A WeCom customer-service source through the same form: its own fields, in this language.
    await page.click('[data-test=admin-add]')
    await page.selectOption('[data-test=admin-field-kind]', 'wecom')
    const lang = await page.evaluate(() => document.documentElement.lang)
    const aesLabel = (await page.textContent('label:has([data-test=admin-field-aes_key]) > span')).trim()
    check(aesLabel.startsWith(lang.startsWith('zh') ? '加密密钥' : 'Encryption key'), `the AES key field in ${lang}: ${aesLabel}`)
    await page.fill('[data-test=admin-field-name]', 'WeCom ' + tag)
    await page.fill('[data-test=admin-field-app_id]', 'ww' + tag.replace(/[^a-z0-9]/g, ''))
    await page.fill('[data-test=admin-field-signing_secret]', 'Token' + tag.replace(/[^a-z0-9]/g, ''))
    await page.fill('[data-test=admin-field-aes_key]', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C')
    await page.fill('[data-test=admin-field-api_token]', 'kf-secret')
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/inbound-sources') && r.request().method() === 'POST'),
      page.click('[data-test=admin-save]'),
    ])
    check(saved.status() === 201, `the WeCom source saved: ${saved.status()} ${await saved.text()}`)
    const wecom = (await admin('GET', '/inbound-sources')).items.find((s) => s.name === 'WeCom ' + tag)
    check(wecom && wecom.kind === 'wecom' && wecom.has_aes_key && wecom.has_api_token, 'the WeCom source saved: ' + JSON.stringify(wecom))
  } finally {
    await page.context().close()
  }

  // The customer writes through the source, signed as the generic protocol says.
  const body = JSON.stringify({ id: 'e2e-' + tag, from: { id: 'shopper-' + tag, name: '王芳 ' + tag }, text: 'Where is order ' + tag })
  const ts = String(Math.floor(Date.now() / 1000))
  const sig = 'sha256=' + createHmac('sha256', secret).update(ts + '.' + body).digest('hex')
  const res = await fetch(`${url}/api/v1/inbound/${sourceId}/webhook`, {
    method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Gongdan-Timestamp': ts, 'X-Gongdan-Signature': sig },
  })
  const taken = await res.json()
  check(res.status === 200 && taken.result === 'created', 'webhook took it: ' + JSON.stringify(taken))
  const number = taken.ticket

  const agent = await person(admin, 'agent', locale, tag)
  await admin('PUT', `/agents/${agent.id}/departments`, { departments: [], all_departments: true })
  const desk = await signIn(browser, url, agent.email, agent.password, locale, width)
  try {
    await desk.waitForSelector('[data-test=view-all_open]')
    await desk.click('[data-test=view-all_open]')
    await desk.waitForSelector(`[data-test=channel-${number}]`)
    const label = (await desk.textContent(`[data-test=channel-${number}]`)).trim()
    check(label === (locale === 'zh-CN' ? '即时通讯' : 'IM'), 'the channel shows: ' + label)
    await shot(desk, 'inbox')
    await desk.goto(url + '/desk/tickets/' + number)
    await desk.waitForSelector('[data-test=call-form]')
    await desk.selectOption('[data-test=call-direction]', 'outbound')
    await desk.fill('[data-test=call-number]', '+86 138 0013 8000')
    await desk.fill('[data-test=call-minutes]', '2')
    await desk.selectOption('[data-test=call-outcome]', 'answered')
    await desk.fill('[data-test=call-notes]', 'Called back ' + tag)
    await desk.click('[data-test=call-save]')
    await desk.waitForFunction((w) => document.querySelector('[data-test=call-list]')?.textContent.includes(w), 'Called back ' + tag)
    await shot(desk, 'call')
    const calls = (await admin('GET', `/tickets/${number}/calls`)).items
    check(calls.length === 1 && calls[0].duration_seconds === 120 && calls[0].direction === 'outbound' && calls[0].author === agent.id,
      'the call logged: ' + JSON.stringify(calls))
    const overflow = await desk.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(overflow <= 1, `ticket page fits ${width}px (overflow ${overflow})`)
  } finally {
    await desk.context().close()
  }
}
