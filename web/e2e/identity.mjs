// Two-factor sign-in and the audit log in the desk, in the given language: an agent enrols from
// the profile page (the QR code shows; the code is computed here with RFC 6238, not asked of the
// server) and signs in again in two steps; an admin requires two-factor sign-in for agents on the
// security page (and of a custom role), and a new agent's first sign-in lands on the enrolment
// page alone; the admin
// reads the audit log and verifies its chain. Screenshots: identity-<locale>-*.png.
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import { ADMIN } from './server.mjs'
import { person, signIn } from './roles.mjs'

// el-input puts data-test on its <input> (or, in some versions, on the wrapper).
const field = (name) => `input[data-test=${name}], [data-test=${name}] input`

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const ch of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0')
  const bytes = []
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2))
  return Buffer.from(bytes)
}

// RFC 6238 with SHA-1, six digits, 30-second steps; `offset` in steps from now.
export function totp(secret, offset = 0, now = Date.now()) {
  const counter = Math.floor(now / 1000 / 30) + offset
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest()
  const at = mac[mac.length - 1] & 0x0f
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1000000).padStart(6, '0')
}

// On the page the card is on: start, scan (the QR image is there), confirm with a code, save
// the recovery codes. Returns the secret.
async function enrolHere(page, shot, name) {
  await page.click('[data-test=second-factor-start]')
  await page.waitForSelector('[data-test=second-factor-qr]')
  const loaded = await page.$eval('[data-test=second-factor-qr]', (img) => img.complete && img.naturalWidth > 0)
  check(loaded, 'the QR code image renders')
  const secret = (await page.textContent('[data-test=second-factor-secret]')).trim()
  await shot(page, name + '-qr')
  await page.fill(field('second-factor-code'), totp(secret))
  await page.click('[data-test=second-factor-confirm]')
  await page.waitForSelector('[data-test=recovery-codes]')
  const codes = await page.$$eval('[data-test=recovery-codes] code', (els) => els.map((e) => e.textContent))
  check(codes.length === 10, 'ten recovery codes shown')
  await shot(page, name + '-codes')
  await page.click('[data-test=codes-saved]')
  return secret
}

export async function identityFlow(browser, url, admin, locale, out) {
  const shot = (page, name) => page.screenshot({ path: join(out, `identity-${locale}-${name}.png`), fullPage: true })
  // An agent enrols from the profile page.
  const agent = await person(admin, 'agent', locale, 'totp-' + locale)
  let page = await signIn(browser, url, agent.email, agent.password, locale)
  let secret
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/profile')
    await page.waitForSelector('[data-test=second-factor-start]')
    secret = await enrolHere(page, shot, 'profile')
    await page.waitForSelector('[data-test=second-factor-on]')
  } finally {
    await page.context().close()
  }
  // …and signs in again: the password, then the code (the next step's: this step's is used).
  page = await signIn(browser, url, agent.email, agent.password, locale)
  try {
    await page.waitForSelector('[data-test=second-step]')
    await shot(page, 'second-step')
    await page.fill(field('second-step-code'), '000000' === totp(secret, 1) ? '111111' : '000000')
    await page.click('[data-test=second-step-submit]')
    await page.waitForSelector('[data-test=second-step] .gd-error')
    await page.fill(field('second-step-code'), totp(secret, 1))
    await page.click('[data-test=second-step-submit]')
    await page.waitForSelector('[data-test=view-all_open]')
  } finally {
    await page.context().close()
  }

  // The admin requires it of agents and of a custom role; a new agent's first sign-in may only
  // enrol.
  const nightShift = await admin('POST', '/roles', {
    name: 'Night shift ' + locale, name_zh: '夜班 ' + locale, permissions: ['tickets.view', 'tickets.reply'],
  })
  page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/admin/security')
    await page.waitForSelector('[data-test=require-agent]')
    if (!(await page.isChecked('[data-test=require-agent]'))) await page.check('[data-test=require-agent]')
    await page.check('[data-test=require-role-' + nightShift.id + ']')
    await page.click('[data-test=policy-save]')
    await page.waitForSelector('[data-test=security-settings] [role=status]')
    await shot(page, 'security')
    const policy = await admin('GET', '/second-factor-policy')
    check(policy.required_roles.includes('agent'), 'agents must enrol')
    check(policy.required_custom_roles.includes(nightShift.id), 'the custom role must enrol')
  } finally {
    await page.context().close()
  }
  const newcomer = await person(admin, 'agent', locale, 'must-enrol-' + locale)
  page = await signIn(browser, url, newcomer.email, newcomer.password, locale)
  try {
    await page.waitForURL(/\/desk\/enrol$/)
    await page.waitForSelector('[data-test=second-factor-start]')
    await shot(page, 'must-enrol')
    await enrolHere(page, shot, 'enrol')
    await page.waitForSelector('[data-test=view-all_open]')
  } finally {
    await page.context().close()
    await admin('PUT', '/second-factor-policy', { required_roles: [] })
    await admin('DELETE', '/roles/' + nightShift.id)
  }

  // The admin reads the audit log: the enrolments are there, and the chain is intact.
  page = await signIn(browser, url, ADMIN.email, ADMIN.password, locale)
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/admin/audit')
    await page.waitForSelector('[data-test=audit-list] tbody tr')
    await page.fill('[data-test=audit-action]', 'user.second_factor_enable')
    await page.press('[data-test=audit-action]', 'Enter')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=audit-list] tbody tr[data-test^=audit-]').length >= 2)
    await page.click('[data-test=audit-verify]')
    await page.waitForSelector('[data-test=audit-verified]')
    check(!(await page.$('[data-test=audit-verified].gd-error')), 'the audit chain is intact')
    await shot(page, 'audit')
  } finally {
    await page.context().close()
  }
}
