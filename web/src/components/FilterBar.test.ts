import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../locales/en'
import zh from '../locales/zh-CN'
import FilterBar from './FilterBar.vue'
import { emptyFilters, filterQuery, type TicketFilters } from '../lib/filters'
import { query } from '../lib/api'
import { userFixture } from '../testing'

const statuses = [{ id: 1, name: 'Open', name_zh: '处理中', category: 'open' as const, active: true, position: 1 }]
const departments = [{ id: 4, name: 'Billing', description: '', created_at: '' }]

function render(props: Record<string, unknown> = {}, locale = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, 'zh-CN': zh } })
  return mount(FilterBar, {
    props: {
      modelValue: emptyFilters(), statuses, departments, agents: [userFixture({ id: 7, name: '王芳' })], canShare: false,
      findContacts: async () => [{ id: 12, name: 'Pat', email: 'pat@example.cn' }, { id: 13, name: 'Pat Two', email: 'pat2@example.cn' }],
      ...props,
    },
    global: { plugins: [i18n] },
  })
}

// What the bar emitted last, and the query it makes.
function lastFilters(w: ReturnType<typeof render>) {
  const emitted = w.emitted('update:modelValue') as TicketFilters[][]
  return emitted[emitted.length - 1][0]
}
function lastQuery(w: ReturnType<typeof render>) {
  return filterQuery(lastFilters(w))
}

describe('FilterBar', () => {
  it('turns each choice into the API query, ids as numbers and me/none as words', async () => {
    const w = render()
    await w.find('[data-test=filter-status]').setValue('1')
    expect(lastQuery(w)).toMatchObject({ status: '1' })
    await w.find('[data-test=filter-assignee]').setValue('me')
    expect(lastQuery(w)).toMatchObject({ assignee: 'me' })
    await w.find('[data-test=filter-assignee]').setValue('7')
    expect(lastFilters(w).assignee).toEqual([7])
    await w.find('[data-test=filter-department]').setValue('none')
    expect(lastQuery(w)).toMatchObject({ department: 'none' })
    await w.find('[data-test=filter-priority]').setValue('urgent')
    expect(lastQuery(w)).toMatchObject({ priority: 'urgent' })
    await w.find('[data-test=filter-priority]').setValue('')
    expect(lastQuery(w).priority).toBeUndefined()
    await w.find('[data-test=filter-tag]').setValue('VIP')
    expect(lastQuery(w)).toMatchObject({ tag: 'vip' })
  })

  it('finds the requester by exact address first, and says when nobody matches', async () => {
    const w = render()
    await w.find('[data-test=filter-requester]').setValue('pat2@example.cn')
    await w.find('[data-test=filter-requester]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(lastQuery(w)).toMatchObject({ requester: '13' })
    const none = render({ findContacts: async () => [] })
    await none.find('[data-test=filter-requester]').setValue('nobody')
    await none.find('[data-test=filter-requester]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(none.find('[role=alert]').text()).toBe('No such contact')
    expect(none.emitted('update:modelValue')).toBeUndefined()
  })

  it('offers clearing and saving once something is set; only admins share', async () => {
    const w = render()
    expect(w.find('[data-test=view-save]').exists()).toBe(false)
    await w.setProps({ modelValue: { ...emptyFilters(), tag: 'vip', status: [1] } })
    expect(w.find('[data-test=filter-clear]').text()).toBe('Clear filters (2)')
    expect(w.find('[data-test=view-shared]').exists()).toBe(false)
    await w.find('[data-test=view-name]').setValue('VIP open')
    await w.find('[data-test=view-save]').trigger('click')
    expect(w.emitted('save')).toEqual([['VIP open', false]])
    await w.find('[data-test=filter-clear]').trigger('click')
    expect(lastFilters(w)).toEqual(emptyFilters())

    const admin = render({ canShare: true, modelValue: { ...emptyFilters(), tag: 'vip' } }, 'zh-CN')
    expect(admin.find('[data-test=filter-clear]').text()).toBe('清除筛选（1）')
    await admin.find('[data-test=view-name]').setValue('全员 VIP')
    await admin.find('[data-test=view-shared]').setValue(true)
    await admin.find('[data-test=view-save]').trigger('click')
    expect(admin.emitted('save')).toEqual([['全员 VIP', true]])
  })

  it('filters by SLA state and by custom fields, as the API takes them, and drops a field again', async () => {
    const fields = [
      { id: 1, key: 'model', type: 'dropdown' as const, label: 'Model', label_zh: '型号', options: [{ value: 'x100', label: 'X-100', label_zh: 'X一百' }], active: true, position: 1 },
      { id: 2, key: 'boxed', type: 'checkbox' as const, label: 'Boxed', label_zh: '已装箱', options: [], active: true, position: 2 },
      { id: 3, key: 'serial', type: 'text' as const, label: 'Serial', label_zh: '序列号', options: [], active: true, position: 3 },
      { id: 4, key: 'old', type: 'text' as const, label: 'Old', label_zh: '旧', options: [], active: false, position: 4 },
    ]
    const w = render({ fields })
    await w.find('[data-test=filter-sla]').setValue('breached')
    expect(lastQuery(w)).toMatchObject({ sla: 'breached' })
    await w.setProps({ modelValue: lastFilters(w) })
    expect(w.findAll('[data-test=filter-field] option').map((o) => o.text())).toEqual(['Custom field', 'Model', 'Boxed', 'Serial'])
    await w.find('[data-test=filter-field]').setValue('model')
    await w.find('[data-test=filter-field-value]').setValue('x100')
    expect(lastQuery(w)).toMatchObject({ 'field.model': 'x100' })
    await w.setProps({ modelValue: lastFilters(w) })
    expect(w.find('[data-test=filter-field-chip-model]').text()).toContain('Model: X-100')
    await w.find('[data-test=filter-field]').setValue('boxed')
    expect(w.findAll('[data-test=filter-field-value] option').map((o) => o.attributes('value'))).toEqual(['', 'true', 'false'])
    await w.find('[data-test=filter-field-value]').setValue('true')
    await w.setProps({ modelValue: lastFilters(w) })
    await w.find('[data-test=filter-field]').setValue('serial')
    await w.find('[data-test=filter-field-value]').setValue(' SN-1 ')
    await w.setProps({ modelValue: lastFilters(w) })
    expect(query(lastQuery(w))).toBe('?sla=breached&field.boxed=true&field.model=x100&field.serial=SN-1')
    expect(w.find('[data-test=filter-clear]').text()).toBe('Clear filters (4)')
    await w.find('[data-test=filter-field-chip-model] button').trigger('click')
    expect(lastQuery(w)['field.model']).toBeUndefined()
    expect(lastFilters(w).fields).toEqual({ boxed: 'true', serial: 'SN-1' })

    const zh = render({ fields, modelValue: { ...emptyFilters(), fields: { model: 'x100' } } }, 'zh-CN')
    expect(zh.find('[data-test=filter-field-chip-model]').text()).toContain('型号: X一百')
    expect(zh.find('[data-test=filter-sla] option[value=warning]').text()).toBe('一小时内到期')
  })
})
