// OpenID Connect sign-in in Chromium: npm's oidc-provider (tests/oidc/provider.mjs, as the
// integration tests run it) on 127.0.0.1 behind a provider the admin declared; the admin sees it
// in the settings with the redirect URI to register; then Meimei clicks the provider's button on
// the desk's sign-in page, signs in on the provider's own page and lands in the desk as an agent.
// Screenshots: oidc-<locale>-*.png.
import { spawn, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN } from './server.mjs'
import { signIn } from './roles.mjs'

const PROVIDER = join(dirname(fileURLToPath(import.meta.url)), '../../tests/oidc')

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
})

async function startProvider(redirectUri) {
  if (!existsSync(join(PROVIDER, 'node_modules', 'oidc-provider')))
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: PROVIDER, stdio: 'pipe' })
  const port = await freePort()
  const proc = spawn('node', ['provider.mjs', String(port), redirectUri], { cwd: PROVIDER, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve() })
    proc.on('exit', (code) => reject(new Error('the OIDC provider exited: ' + code)))
  })
  return { issuer: `http://127.0.0.1:${port}`, stop: () => proc.kill() }
}

export async function oidcFlow(browser, url, admin, locale, out) {
  const shot = (page, name) => page.screenshot({ path: join(out, `oidc-${locale}-${name}.png`), fullPage: true })
  const provider = await startProvider(url + '/api/v1/auth/oidc/callback')
  let declared
  try {
    declared = await admin('POST', '/oidc-providers', {
      name: 'e2e SSO ' + locale, issuer: provider.issuer, client_id: 'gongdan', client_secret: 'gongdan-secret',
      scopes: ['openid', 'email', 'profile', 'groups'], button_en: 'Company account', button_zh: '公司账号',
      mappings: [{ claim: 'groups', value: 'support', role: 'agent' }],
    })
    let page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
    try {
      await page.waitForSelector('[data-test=view-all_open]')
      await page.goto(url + '/desk/admin/oidc-providers')
      await page.click(`[data-test=admin-edit-${declared.id}]`)
      const hint = await page.textContent('[data-test=oidc-callback]')
      check(hint.includes('/api/v1/auth/oidc/callback'), 'the form shows the redirect URI')
      await shot(page, 'settings')
    } finally {
      await page.context().close()
    }
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale })
    page = await ctx.newPage()
    try {
      await page.goto(url + '/desk/login')
      const button = page.locator('[data-test=sso-button]', { hasText: locale === 'zh-CN' ? '公司账号' : 'Company account' })
      await button.click()
      await page.fill('input[name=login]', 'meimei')
      await page.fill('input[name=password]', 'any')
      await page.click('button[type=submit]')
      await page.waitForSelector('[data-test=view-all_open]')
      check(page.url().startsWith(url + '/desk'), 'back in the desk: ' + page.url())
      await shot(page, 'signed-in')
    } finally {
      await ctx.close()
    }
  } finally {
    if (declared) await admin('DELETE', '/oidc-providers/' + declared.id)
    provider.stop()
  }
}
