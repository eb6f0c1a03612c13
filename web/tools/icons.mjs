// Renders the PWA icons (PNG, which every browser's install prompt accepts) from favicon.svg with
// the same headless Chromium the e2e tests use. Run once after changing the logo:
//   node tools/icons.mjs
import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const pub = resolve(new URL('.', import.meta.url).pathname, '../public')
const svg = readFileSync(resolve(pub, 'favicon.svg'), 'utf8')
// Maskable: the glyph inside the 80% safe zone on a full-bleed background.
const maskable = svg.replace('rx="12"', 'rx="0"').replace('font-size="34"', 'font-size="26"').replace('y="44"', 'y="41"')
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
try {
  for (const [name, size, src] of [['icon-192.png', 192, svg], ['icon-512.png', 512, svg], ['icon-maskable-512.png', 512, maskable], ['apple-touch-icon.png', 180, maskable]]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${src}`)
    await page.screenshot({ path: resolve(pub, name), omitBackground: true })
    await page.close()
  }
} finally {
  await browser.close()
}
