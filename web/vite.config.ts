/// <reference types="vitest" />
import { defineConfig, type Plugin } from 'vite'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
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

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [resolver()], dts: false }),
    Components({ resolvers: [resolver()], dts: false }),
    gzipAssets(),
  ],
  base: '/',
  build: { target: 'es2020', assetsDir: 'assets', chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      '/api/v1/stream': { target: target.replace(/^http/, 'ws'), ws: true },
      '/api': { target, changeOrigin: false },
    },
  },
  test: { environment: 'jsdom', include: ['src/**/*.test.ts'] },
})
