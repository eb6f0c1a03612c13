// The API reference at /api/docs: Redoc renders the server's own OpenAPI document, offline (no
// request leaves this server) and within the page's Content-Security-Policy.
import { join } from 'node:path'

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

export async function apiDocsCheck(browser, url, out) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const elsewhere = []
  const problems = []
  const origin = new URL(url).origin
  await page.route('**/*', (route) => {
    const u = route.request().url()
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue()
    elsewhere.push(u)
    return route.abort()
  })
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  page.on('pageerror', (e) => problems.push(String(e)))
  try {
    // Redoc renders the operations near the one in view first and the rest later, in the
    // background: a deep link to the operation makes it render whatever the document's size.
    const r = await page.goto(url + '/api/docs#operation/createTicket')
    check(r.ok(), '/api/docs answers ' + r.status())
    check((r.headers()['content-security-policy'] || '').includes("script-src 'self'"), 'the page CSP')
    // An operation rendered in the main column, with its path and the error codes.
    await page.locator('h2', { hasText: 'Create a ticket with its first message' }).waitFor({ timeout: 20000 })
    const text = await page.textContent('body')
    check(text.includes('gongdan API'), 'the title')
    check(text.includes('/api/v1/tickets/{number}/messages'), 'a path')
    check(text.includes('invalid_argument'), 'the error codes')
    check(/Live updates/.test(text), 'the live stream in prose')
    await page.screenshot({ path: join(out, 'api-docs.png') })
    check(!elsewhere.length, 'requests to other hosts: ' + elsewhere.join(', '))
    check(!problems.length, 'errors in the page: ' + problems.join(' | '))
  } finally {
    await page.close()
  }
}
