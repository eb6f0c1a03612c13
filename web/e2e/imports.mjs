// Moving in: the run imports the documented CSV fixture (tests/fixtures/import/csv) into the
// server's data directory with `gongdan import csv`, then an agent opens an imported ticket in
// the given language, sees where it came from, and finds it by its old id in the search box.
// Screenshots: import-<locale>.png beside the others.
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { person, signIn } from './roles.mjs'

const repo = resolve(new URL('.', import.meta.url).pathname, '../..')

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

// Once per run.
export function importSetup(server) {
  const bin = process.env.GONGDAN_BIN || join(repo, 'build/release/gongdan')
  const csv = join(repo, 'tests/fixtures/import/csv/tickets.csv')
  const run = spawnSync(bin, ['import', 'csv', csv, '--data', server.data], { encoding: 'utf8' })
  check(run.status === 0, 'gongdan import csv: ' + run.stderr)
}

export async function importFlow(browser, url, admin, locale, out) {
  const [ticket] = (await admin('GET', '/tickets?external_id=C-1001')).items
  check(ticket, 'the imported ticket is found by its old id')
  const agent = await person(admin, 'agent', locale, 'import-' + locale.toLowerCase())
  const page = await signIn(browser, url, agent.email, agent.password, locale)
  try {
    await page.waitForSelector('[data-test=view-all_open]')
    await page.goto(url + '/desk/tickets/' + ticket.number)
    const origin = await page.textContent('[data-test=imported-from]')
    const expected = locale === 'zh-CN' ? '导入自 csv，原编号 #C-1001' : 'Imported from csv, where it was #C-1001'
    check(origin.trim() === expected, 'the ticket says where it came from: ' + origin)
    await page.screenshot({ path: join(out, `import-${locale}.png`), fullPage: true })
  } finally {
    await page.context().close()
  }
}
