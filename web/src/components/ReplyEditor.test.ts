import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import ReplyEditor from './ReplyEditor.vue'

function render(props: Record<string, unknown>) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh } })
  return mount(ReplyEditor, { props: { number: 9, agent: true, statuses: [], ...props }, global: { plugins: [i18n] } })
}

describe('ReplyEditor', () => {
  beforeEach(() => localStorage.clear())

  it('sends safe HTML and text, and clears the kept draft only when sent', async () => {
    const bodies: Record<string, unknown>[] = []
    let fail = true
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(init.body as string))
      if (fail) return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'try later' } }), { status: 503, headers: { 'Content-Type': 'application/json' } })
      return new Response(JSON.stringify({ id: 1 }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    }))
    const w = render({ signature: '-- Li' })
    await w.find('textarea').setValue('<script>x</script> hi')
    expect(localStorage.getItem('gongdan.draft.9.reply')).toBe('<script>x</script> hi')
    await w.find('[data-test=send]').trigger('click')
    await flushPromises()
    expect(w.find('[role=alert]').text()).toBe('try later')
    expect(localStorage.getItem('gongdan.draft.9.reply')).toBe('<script>x</script> hi')
    fail = false
    await w.find('[data-test=send]').trigger('click')
    await flushPromises()
    expect(bodies[1]).toMatchObject({ body: '<script>x</script> hi\n\n-- Li', internal: false, attachments: [] })
    expect(bodies[1].html).toBe('<p>&lt;script&gt;x&lt;/script&gt; hi</p><p>-- Li</p>')
    expect(localStorage.getItem('gongdan.draft.9.reply')).toBeNull()
    expect(w.emitted('sent')).toHaveLength(1)
  })

  it("words the box for who writes: the customer to the support team, an agent to the customer", async () => {
    const placeholder = (w: ReturnType<typeof render>) => w.find('textarea').attributes('placeholder')
    expect(placeholder(render({ agent: false }))).toBe(en.portal.placeholderReply)
    expect(placeholder(render({ agent: true }))).toBe(en.ticket.placeholderReply)
    expect(placeholder(render({ agent: false }))).not.toBe(en.ticket.placeholderReply)
    expect(placeholder(render({ notesOnly: true }))).toBe(en.ticket.placeholderNote)
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { en, 'zh-CN': zh } })
    const portal = mount(ReplyEditor, { props: { number: 9, agent: false, statuses: [] }, global: { plugins: [i18n] } })
    expect(placeholder(portal)).toBe('写下您想告诉客服的内容…')
  })

  it('offers light agents internal notes only', async () => {
    const sent: Record<string, unknown>[] = []
    vi.stubGlobal('fetch', vi.fn(async (_u: string, init: RequestInit) => {
      sent.push(JSON.parse(init.body as string))
      return new Response(JSON.stringify({ id: 2 }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    }))
    const w = render({ notesOnly: true, signature: '-- Li' })
    expect(w.find('[data-test=tab-reply]').exists()).toBe(false)
    await w.find('textarea').setValue('note')
    await w.find('[data-test=send]').trigger('click')
    await flushPromises()
    expect(sent[0]).toMatchObject({ body: 'note', internal: true })
  })

  it('keeps Send disabled while an attachment uploads, then sends it with the reply', async () => {
    let finish: (r: Response) => void = () => {}
    const sent: Record<string, unknown>[] = []
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      if (url.endsWith('/attachments')) return new Promise<Response>((ok) => (finish = ok))
      sent.push(JSON.parse(init.body as string))
      return new Response(JSON.stringify({ id: 3 }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    }))
    const w = render({})
    await w.find('textarea').setValue('see attached')
    const input = w.find('input[type=file]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], 'a.png', { type: 'image/png' })], configurable: true })
    await input.trigger('change')
    expect(w.find('[data-test=uploading]').exists()).toBe(true)
    expect(w.find('[data-test=send]').attributes('disabled')).toBeDefined()
    await w.find('[data-test=send]').trigger('click')
    expect(sent).toHaveLength(0)
    finish(new Response(JSON.stringify({ items: [{ id: 44, filename: 'a.png' }] }), { status: 201, headers: { 'Content-Type': 'application/json' } }))
    await flushPromises()
    expect(w.find('[data-test=send]').attributes('disabled')).toBeUndefined()
    await w.find('[data-test=send]').trigger('click')
    await flushPromises()
    expect(sent[0]).toMatchObject({ body: 'see attached', attachments: [44] })
  })
})
