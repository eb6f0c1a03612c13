import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import { routerKey } from 'vue-router'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import type { StreamEvent } from '../lib/stream'
import type { Schemas } from '../lib/api'

// The stream is replaced by a hand-fed listener.
let listener: ((event: StreamEvent) => void) | null = null
vi.mock('../lib/stream', () => ({
  onStream: (l: (event: StreamEvent) => void) => {
    listener = l
    return () => (listener = null)
  },
}))

import NotificationBell from './NotificationBell.vue'

const reply = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

function render(locale = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(NotificationBell, { global: { plugins: [i18n], stubs: { RouterLink: RouterLinkStub }, provide: { [routerKey as symbol]: { push: vi.fn() } } } })
}

const note = (id: number): Schemas['Notification'] => ({
  id, kind: 'rule', title: `#${id} Printer down`, body: 'Tell the lead', ticket_number: id, read: false,
  created_at: '2026-11-30T03:00:00Z',
})

describe('NotificationBell', () => {
  beforeEach(() => {
    listener = null
  })

  it('counts the unread ones, adds live ones with a toast, and marks all read', async () => {
    const calls: [string, RequestInit][] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      calls.push([url, init])
      if (url.startsWith('/api/v1/notifications?')) return reply({ items: [note(1)], unread: 1, next_cursor: null })
      return reply({ marked: 2 })
    }))
    const w = render()
    await flushPromises()
    expect(calls[0][0]).toBe('/api/v1/notifications?unread=true&limit=20')
    expect(w.find('.el-badge__content').text()).toBe('1')
    expect(w.find('[data-test=bell-toast]').exists()).toBe(false)

    listener!({ type: 'ticket.created', ticket: { number: 5, subject: 's', channel: 'email', status_category: 'new', priority: 'normal', department: null, assignee: null, version: 1 } })  // not a notification
    listener!({ type: 'notification.created', notification: note(7) })
    listener!({ type: 'notification.created', notification: note(7) })  // the same one twice
    await flushPromises()
    expect(w.find('.el-badge__content').text()).toBe('2')
    expect(w.find('[data-test=bell-toast]').text()).toContain('New notification')
    expect(w.find('[data-test=bell-toast]').text()).toContain('#7 Printer down')

    await w.find('[data-test=bell]').trigger('click')
    const links = w.findAllComponents(RouterLinkStub)
    expect(links.map((l) => l.props('to'))).toEqual(['/desk/tickets/7', '/desk/tickets/1'])
    await w.find('[data-test=bell-read]').trigger('click')
    await flushPromises()
    expect(calls[1][0]).toBe('/api/v1/notifications/read')
    expect(calls[1][1].method).toBe('POST')
    expect(w.find('.el-badge__content').exists()).toBe(false)
    expect(w.findAll('[data-test=bell-item].unread')).toHaveLength(0)
  })

  it('speaks Chinese', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ items: [], unread: 0, next_cursor: null })))
    const w = render('zh-CN')
    await flushPromises()
    expect(w.find('[data-test=bell]').text()).toBe('通知')
    listener!({ type: 'notification.created', notification: note(3) })
    await flushPromises()
    expect(w.find('[data-test=bell-toast]').text()).toContain('新通知')
  })

  it('asks for desktop notifications on a click, then shows new ones while the desk is not in front', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => reply({ items: [], unread: 0, next_cursor: null })))
    const shown: { title: string; options: NotificationOptions }[] = []
    class FakeNotification {
      static permission: NotificationPermission = 'default'
      static requestPermission = vi.fn(async () => (FakeNotification.permission = 'granted'))
      onclick: (() => void) | null = null
      constructor(title: string, options: NotificationOptions) {
        shown.push({ title, options })
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification)
    const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(true)
    const w = render()
    await flushPromises()
    await w.find('[data-test=bell]').trigger('click')
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled()  // never without a click
    await w.find('[data-test=bell-desktop] button, button[data-test=bell-desktop]').trigger('click')
    await flushPromises()
    expect(FakeNotification.requestPermission).toHaveBeenCalledOnce()
    expect(w.find('[data-test=bell-desktop-on]').exists()).toBe(true)

    listener!({ type: 'notification.created', notification: note(8) })  // the desk is in front
    await flushPromises()
    expect(shown).toHaveLength(0)
    focus.mockReturnValue(false)
    listener!({ type: 'notification.created', notification: note(9) })
    await flushPromises()
    expect(shown).toEqual([{ title: '#9 Printer down', options: { body: 'Tell the lead', tag: 'gongdan-9', icon: '/icon-192.png' } }])
    focus.mockRestore()
    vi.unstubAllGlobals()
  })
})
