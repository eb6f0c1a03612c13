// LDAP sign-in in the desk: a real slapd (Debian's, started here on 127.0.0.1 with the test
// directory of tests/fixtures/ldap, as tests/integration/slapd.py does) behind a directory the
// admin declared; the admin opens it, tests a login and sees the role its groups give; then
// Alice signs in with her directory password and lands in the desk as an agent. Screenshots:
// ldap-<locale>-*.png.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN } from './server.mjs'
import { signIn } from './roles.mjs'

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/ldap/directory.ldif')
const BASE = 'dc=example,dc=org'
const field = (name) => `input[data-test=${name}], [data-test=${name}] input`

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
})

const accepts = (port) => new Promise((resolve) => {
  const c = connect(port, '127.0.0.1', () => { c.end(); resolve(true) })
  c.on('error', () => resolve(false))
})

async function startSlapd() {
  const dir = mkdtempSync(join(tmpdir(), 'gongdan-slapd-'))
  mkdirSync(join(dir, 'db'))
  const config = join(dir, 'slapd.conf')
  writeFileSync(config, [
    'include /etc/ldap/schema/core.schema', 'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema', 'include /etc/ldap/schema/nis.schema',
    'modulepath /usr/lib/ldap', 'moduleload back_mdb', `pidfile ${dir}/slapd.pid`, 'database mdb',
    'maxsize 10485760', `suffix "${BASE}"`, `directory ${dir}/db`, '',
  ].join('\n'))
  execFileSync('/usr/sbin/slapadd', ['-f', config, '-l', FIXTURE], { stdio: 'pipe' })
  const port = await freePort()
  const url = `ldap://127.0.0.1:${port}`
  const proc = spawn('/usr/sbin/slapd', ['-f', config, '-h', url + '/', '-d', '0'], { stdio: 'ignore' })
  for (let i = 0; i < 400 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 50))
  check(await accepts(port), 'slapd listens')
  return { url, stop: () => { proc.kill(); rmSync(dir, { recursive: true, force: true }) } }
}

export async function ldapFlow(browser, url, admin, locale, out) {
  const shot = (page, name) => page.screenshot({ path: join(out, `ldap-${locale}-${name}.png`), fullPage: true })
  const slapd = await startSlapd()
  let directory
  try {
    directory = await admin('POST', '/ldap-directories', {
      name: 'e2e ' + locale, url: slapd.url, base_dn: BASE,
      bind_dn: 'cn=gongdan,ou=people,' + BASE, bind_password: 'service-secret',
      mappings: [{ group: 'cn=support,ou=groups,' + BASE, role: 'agent' }],
    })
    let page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
    try {
      await page.waitForSelector('[data-test=view-all_open]')
      await page.goto(url + '/desk/admin/ldap-directories')
      await page.click(`[data-test=admin-edit-${directory.id}]`)
      await page.fill(field('ldap-test-login'), 'alice@example.org')
      await page.click('[data-test=ldap-test-run]')
      await page.waitForSelector('[data-test=ldap-test-person]')
      const role = (await page.textContent('[data-test=ldap-test-role]')).trim()
      check(['Agent', '客服'].includes(role), 'the test shows the role the groups give: ' + role)
      await shot(page, 'test')
    } finally {
      await page.context().close()
    }
    page = await signIn(browser, url, 'alice@example.org', 'alice-pass-1', locale)
    try {
      await page.waitForSelector('[data-test=view-all_open]')
      await shot(page, 'signed-in')
    } finally {
      await page.context().close()
    }
  } finally {
    if (directory) await admin('DELETE', '/ldap-directories/' + directory.id)
    slapd.stop()
  }
}
