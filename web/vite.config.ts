/// <reference types="vitest" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// GONGDAN_URL: the running gongdan the dev server forwards the API and the stream to.
const target = process.env.GONGDAN_URL || 'http://127.0.0.1:8080'
// Under Vitest, components come without their CSS (node cannot import .css files).
const resolver = () => ElementPlusResolver({ importStyle: process.env.VITEST ? false : 'css' })

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [resolver()], dts: false }),
    Components({ resolvers: [resolver()], dts: false }),
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
