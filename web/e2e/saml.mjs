// SAML sign-in in Chromium: Debian's pysaml2 as the identity provider (tests/saml/idp.py, as the
// integration tests run it, with a throwaway key made here) on 127.0.0.1, declared by the admin
// from its metadata; the admin sees it in the settings with our metadata URL; then Lei clicks
// its button on the desk's sign-in page (labelled in the page's language), signs in on the IdP's
// own form, whose self-submitting page posts the Response to our ACS, and lands signed in (a
// customer: her groups map to nothing, and the provider lets such people into the portal). A
// refusal's reason is worded in the page's language. Screenshots: saml-<locale>-*.png.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN } from './server.mjs'
import { signIn } from './roles.mjs'

const IDP = join(dirname(fileURLToPath(import.meta.url)), '../../tests/saml/idp.py')

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
})

async function startIdp(spMetadataUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'gongdan-saml-'))
  for (const name of ['idp', 'other'])
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
      '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`)], { stdio: 'pipe' })
  const port = await freePort()
  const proc = spawn('/usr/bin/python3', [IDP, String(port), dir, spMetadataUrl], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('listening')) resolve() })
    proc.on('exit', (code) => reject(new Error('the SAML IdP exited: ' + code)))
  })
  const base = `http://127.0.0.1:${port}`
  return { base, stop: () => { proc.kill(); rmSync(dir, { recursive: true, force: true }) } }
}

export async function samlFlow(browser, url, admin, out) {
  const idp = await startIdp(url + '/api/v1/auth/saml/metadata')
  let declared
  try {
    const metadata = await (await fetch(idp.base + '/metadata')).text()
    declared = await admin('POST', '/saml-providers', {
      name: 'e2e SAML', metadata, button_en: 'Company SAML', button_zh: '公司 SAML 账号',
      mappings: [{ attribute: 'groups', value: 'support', role: 'agent' }], unmapped: 'customer',
    })
    for (const locale of ['zh-CN', 'en']) {
      const shot = (page, name) => page.screenshot({ path: join(out, `saml-${locale}-${name}.png`), fullPage: true })
      let page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
      try {
        await page.waitForSelector('[data-test=view-all_open]')
        await page.goto(url + '/desk/admin/saml-providers')
        await page.click(`[data-test=admin-edit-${declared.id}]`)
        const hint = await page.textContent('[data-test=saml-metadata]')
        check(hint.includes('/api/v1/auth/saml/metadata'), 'the form shows our metadata URL')
        await shot(page, 'settings')
      } finally {
        await page.context().close()
      }
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale })
      page = await ctx.newPage()
      try {
        await page.goto(url + '/desk/login?sso_reason=signature&sso_error=x')
        const error = await page.textContent('[data-test=sso-error]')
        check(error.includes(locale === 'zh-CN' ? '签名' : 'not signed with its certificate'), 'the reason in ' + locale + ': ' + error)
        const button = page.locator('[data-test=sso-button][data-kind=saml]', { hasText: locale === 'zh-CN' ? '公司 SAML 账号' : 'Company SAML' })
        await button.waitFor()  // the buttons come from the API once the page is up
        if (locale === 'en') {  // one walk through the IdP's form is enough
          await button.click()
          await page.fill('input[name=login]', 'lilei')
          await page.fill('input[name=password]', 'any')
          await page.click('button[type=submit]')
          await page.waitForURL((u) => u.pathname.startsWith('/portal') || u.pathname.startsWith('/desk'))
          await page.waitForLoadState('networkidle')
          check(!page.url().includes('sso_error'), 'signed in: ' + page.url())
          const me = await page.request.get(url + '/api/v1/me')
          check(me.ok() && (await me.json()).email === 'lilei@example.org', 'the session is Lei\'s')
          await shot(page, 'signed-in')
        } else {
          check(await button.count() === 1, 'one button, labelled in Chinese')
          await shot(page, 'sign-in-page')
        }
      } finally {
        await ctx.close()
      }
    }
  } finally {
    if (declared) await admin('DELETE', '/saml-providers/' + declared.id)
    idp.stop()
  }
}
