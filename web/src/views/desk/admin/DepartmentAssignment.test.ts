import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../../locales/en'
import zh from '../../../locales/zh-CN'
import DepartmentAssignment from './DepartmentAssignment.vue'

describe('DepartmentAssignment', () => {
  it('keeps and sends reassign_offline with the rest of the settings', async () => {
    const sent: Record<string, unknown>[] = []
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') sent.push(JSON.parse(init.body as string))
      return new Response(JSON.stringify({ mode: 'round_robin', max_open_per_agent: 5, reassign_offline: true }), {
        status: 200, headers: { 'Content-Type': 'application/json' },
      })
    }))
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zh } })
    const w = mount(DepartmentAssignment, { props: { departmentId: 3 }, global: { plugins: [i18n] } })
    await flushPromises()
    const box = w.find<HTMLInputElement>('[data-test=assignment-reassign]')
    expect(box.element.checked).toBe(true)
    await w.find('[data-test=assignment-save]').trigger('click')
    await flushPromises()
    expect(sent[0]).toEqual({ mode: 'round_robin', max_open_per_agent: 5, reassign_offline: true })
    await box.setValue(false)
    await w.find('[data-test=assignment-save]').trigger('click')
    await flushPromises()
    expect(sent[1]).toEqual({ mode: 'round_robin', max_open_per_agent: 5, reassign_offline: false })
  })
})
