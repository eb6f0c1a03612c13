import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import KbLinkPicker from './KbLinkPicker.vue'

describe('KbLinkPicker', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })
  it('searches in the desk language then the other and hands back the placeholder that follows the ticket\'s language', async () => {
    vi.useFakeTimers()
    const asked: string[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      asked.push(url)
      const zh = url.includes('lang=zh-CN')
      const items = zh ? [] : [{ article_id: 12, lang: 'en', title: 'Reset a password', url: '/help/en/articles/12', snippet: '', section_id: 1, visibility: 'public' }]
      return new Response(JSON.stringify({ items }), { status: 200, headers: { 'Content-Type': 'application/json' } })
    }))
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh } })
    const w = mount(KbLinkPicker, { global: { plugins: [i18n] } })
    await w.find('[data-test=kb-link-search]').setValue('password')
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(asked.map((u) => new URL(u, 'http://x').searchParams.get('lang'))).toEqual(['en', 'zh-CN'])
    await w.find('[data-test=kb-link-12]').trigger('click')
    expect(w.emitted('pick')?.[0]).toEqual(['{{kb.article.12}}'])
    expect(w.find('[data-test=kb-link-hint]').text()).toContain('{{kb.article.12}}')
  })
})
