/// <reference types="vitest" />
import { defineConfig, type Plugin } from 'vite'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// GONGDAN_URL: the running gongdan the dev server forwards the API and the stream to.
const target = process.env.GONGDAN_URL || 'http://127.0.0.1:8080'
// Under Vitest, components come without their CSS (node cannot import .css files).
const resolver = () => ElementPlusResolver({ importStyle: process.env.VITEST ? false : 'css' })

// Writes a .gz twin of every text asset; gongdan sends it to browsers that accept gzip.
function gzipAssets(): Plugin {
  let outDir = 'dist'
  return {
    name: 'gongdan-gzip-assets',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir
    },
    closeBundle() {
      const dir = join(outDir, 'assets')
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue
        writeFileSync(join(dir, name + '.gz'), gzipSync(readFileSync(join(dir, name)), { level: 9 }))
      }
    },
  }
}

// Redoc's sidebar shows its maker's logo from a CDN; the API reference (/api/docs) must not reach
// another host, so the build drops that address from Redoc's bundle (an empty src: no image).
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg'
function redocOffline(): Plugin {
  return {
    name: 'gongdan-redoc-offline',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.includes('redoc.standalone')) continue
        const text = String(file.source)
        if (!text.includes(REDOC_CDN_LOGO))
          this.error(`Redoc's bundle no longer names ${REDOC_CDN_LOGO}: check what /api/docs loads from other hosts`)
        file.source = text.replaceAll(REDOC_CDN_LOGO, '')
      }
    },
  }
}

// The desk's app shell: the entry and the pages a signed-in agent opens first (and what they
// import), with their styles. The service worker caches these on install (web/sw/sw.js).
const SHELL_PAGES = /views\/desk\/(DeskLayout|LoginPage|InboxPage|TicketPage)\.vue$/
const SHELL_FILES = ['/desk/', '/manifest.webmanifest', '/favicon.svg', '/icon-192.png']

// Writes sw.js (web/sw/sw.js with the shell's files and a version made from their names).
function serviceWorker(): Plugin {
  return {
    name: 'gongdan-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((f) => f.type === 'chunk')
      const byName = new Map(chunks.map((c) => [c.fileName, c]))
      const files = new Set<string>()
      const add = (name: string) => {
        const chunk = byName.get(name)
        if (!chunk || files.has(name)) return
        files.add(name)
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css)
        for (const imported of chunk.imports) add(imported)
      }
      for (const c of chunks)
        if ((c.isEntry && c.name === 'main') || (c.facadeModuleId && SHELL_PAGES.test(c.facadeModuleId))) add(c.fileName)
      if (files.size < 5) this.error('the desk shell is missing from the bundle: check SHELL_PAGES')
      const shell = [...SHELL_FILES, ...[...files].sort().map((f) => '/' + f)]
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12)
      const source = readFileSync(new URL('./sw/sw.js', import.meta.url), 'utf8')
        .replace("'__VERSION__'", JSON.stringify(version))
        .replace('__SHELL__', JSON.stringify(shell))
      this.emitFile({ type: 'asset', fileName: 'sw.js', source })
    },
  }
}

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [resolver()], dts: false }),
    Components({ resolvers: [resolver()], dts: false }),
    redocOffline(),
    serviceWorker(),
    gzipAssets(),
  ],
  base: '/',
  build: {
    target: 'es2020',
    assetsDir: 'assets',
    // 600 kB for the app's chunks; the API reference (/api/docs, a page of its own) is Redoc's
    // prebuilt bundle, about 1.1 MB, loaded by nothing else.
    chunkSizeWarningLimit: 1200,
    rollupOptions: { input: { main: 'index.html', 'api-docs': 'api-docs.html' } },
  },
  server: {
    proxy: {
      '/api/v1/stream': { target: target.replace(/^http/, 'ws'), ws: true },
      '/api': { target, changeOrigin: false },
    },
  },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts'] },
})
