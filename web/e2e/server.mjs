// Starts the real `gongdan serve` on a free loopback port with a fresh data directory and the
// built web app; resolves once it prints its listening line.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ADMIN = { email: 'admin@localhost', password: 'e2e-admin-password-1' }
const repo = resolve(new URL('.', import.meta.url).pathname, '../..')

// options.data: an existing data directory (the benchmark's generated one) instead of a new one;
// options.args: more arguments to `serve` (a test clock).
export async function startServer(options = {}) {
  const bin = process.env.GONGDAN_BIN || join(repo, 'build/release/gongdan')
  const data = options.data || mkdtempSync(join(tmpdir(), 'gongdan-e2e-'))
  // public_url: what sign-in link mails point at; the tests open the link on the real address.
  const env = { ...process.env, GONGDAN_ADMIN_PASSWORD: ADMIN.password, GONGDAN_WEB_ROOT: join(repo, 'web/dist'), GONGDAN_PUBLIC_URL: 'http://desk.example.test' }
  const proc = spawn(bin, ['serve', '--data', data, '--listen', '127.0.0.1:0', ...(options.args ?? [])], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  // However this process ends (a failed check, a time-out), the server goes with it.
  process.on('exit', () => proc.exitCode === null && proc.kill('SIGKILL'))
  // A server that dies mid-run says so (otherwise every later walk only reports "fetch failed").
  proc.on('exit', (code, signal) => console.error(`gongdan exited: code ${code}, signal ${signal}`))
  const url = await new Promise((ok, fail) => {
    let buf = ''
    const timer = setTimeout(() => fail(new Error('gongdan did not start')), options.data ? 300000 : 30000)
    proc.stdout.on('data', (d) => {
      buf += d
      const m = buf.match(/gongdan listening on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    })
    proc.on('exit', (code) => fail(new Error('gongdan exited with ' + code)))
  })
  return {
    url,
    data,
    stop: () => new Promise((ok) => { proc.on('exit', ok); proc.kill('SIGTERM') }),
  }
}

// A tiny API client for setting up data outside the browser (cookie + CSRF).
export async function apiSession(url, email, password) {
  const r = await fetch(url + '/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })
  if (!r.ok) throw new Error('login failed ' + r.status)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token } = await r.json()
  return async (method, path, body) => {
    const res = await fetch(url + '/api/v1' + path, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf_token, 'Content-Type': 'application/json', Origin: url },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
}
