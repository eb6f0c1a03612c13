import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import MessageItem from './MessageItem.vue'

function render(m: any, locale = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(MessageItem, { props: { m, timeZone: 'UTC' }, global: { plugins: [i18n] } })
}

describe('MessageItem', () => {
  it('marks internal notes apart from public replies', () => {
    const note = render({ id: 1, internal: true, html: '<p>n</p>', author: { name: 'A' }, created_at: new Date().toISOString(), attachments: [] })
    expect(note.classes()).toContain('internal')
    expect(note.text()).toContain('Internal note')
    const reply = render({ id: 2, internal: false, html: '<p>r</p>', author: { name: 'A' }, created_at: new Date().toISOString(), attachments: [] }, 'zh-CN')
    expect(reply.classes()).not.toContain('internal')
    expect(reply.text()).toContain('公开回复')
  })

  it('renders hostile HTML inertly', () => {
    const w = render({ id: 3, internal: false, html: '<img src=x onerror="alert(1)"><script>alert(1)</script><a href="javascript:x">l</a>', author: null, created_at: '', attachments: [] })
    const html = w.html()
    expect(html).not.toMatch(/onerror|<script|javascript:/)
  })

  it('shows plain text when there is no HTML, escaped', () => {
    const w = render({ id: 4, internal: false, html: '', body: '<b>x</b>', author: null, created_at: '', attachments: [] })
    expect(w.find('.body').text()).toBe('<b>x</b>')
  })
})
