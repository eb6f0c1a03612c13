import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import MessageItem from './MessageItem.vue'
import { messageFixture } from '../testing'
import type { Schemas } from '../lib/api'

function render(more: Partial<Schemas['Message']> & { id: number }, locale = 'en') {
  const m = messageFixture(more.id, more)
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(MessageItem, { props: { m, timeZone: 'UTC' }, global: { plugins: [i18n] } })
}

describe('MessageItem', () => {
  it('marks internal notes apart from public replies', () => {
    const note = render({ id: 1, internal: true, html: '<p>n</p>', author: { id: 1, name: 'A' }, created_at: new Date().toISOString(), attachments: [] })
    expect(note.classes()).toContain('internal')
    expect(note.text()).toContain('Internal note')
    const reply = render({ id: 2, internal: false, html: '<p>r</p>', author: { id: 1, name: 'A' }, created_at: new Date().toISOString(), attachments: [] }, 'zh-CN')
    expect(reply.classes()).not.toContain('internal')
    expect(reply.text()).toContain('公开回复')
  })

  it('renders hostile HTML inertly', () => {
    const w = render({ id: 3, internal: false, html: '<img src=x onerror="alert(1)"><script>alert(1)</script><a href="javascript:x">l</a>', author: null, created_at: '', attachments: [] })
    const html = w.html()
    expect(html).not.toMatch(/onerror|<script|javascript:/)
  })

  it('shows how a reply went out by mail and what the mail channel flagged', () => {
    const failed = render({ id: 5, internal: false, body: 'r', author: null, created_at: '', attachments: [],
      delivery: { status: 'failed', to: 'c@example.com', cc: [], attempts: 1, last_error: 'bounced: 5.1.1', message_id: '', sent_at: null }, mail_flags: [] })
    const d = failed.find('[data-test="delivery"]')
    expect(d.text()).toBe('Mail to c@example.com not delivered')
    expect(d.attributes('title')).toBe('bounced: 5.1.1')
    expect(d.classes()).toContain('mail-failed')
    const forged = render({ id: 6, internal: true, body: 'n', author: null, created_at: '', attachments: [],
      delivery: null, mail_flags: ['unverified sender: claims agent@desk.example', 'loop guard: auto-reply'] }, 'zh-CN')
    const flags = forged.findAll('[data-test="mail-flag"]')
    expect(flags.map((f) => f.text())).toEqual(['发件人未验证', '邮件提示'])
    expect(flags[0].classes()).toContain('flag-unverified')
    expect(forged.find('[data-test="delivery"]').exists()).toBe(false)
  })

  it('shows plain text when there is no HTML, escaped', () => {
    const w = render({ id: 4, internal: false, html: '', body: '<b>x</b>', author: null, created_at: '', attachments: [] })
    expect(w.find('.body').text()).toBe('<b>x</b>')
  })
})
