import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../../../locales/en'
import OrderedChoices from './OrderedChoices.vue'

function render(value: string) {
  const i18n = createI18n({ legacy: false, locale: 'en', messages: { en } })
  return mount(OrderedChoices, {
    props: { value, name: 'columns', label: 'Columns', choices: ['number', 'subject', 'status', 'sla'], word: (c: string) => c.toUpperCase() },
    global: { plugins: [i18n] },
  })
}
const last = (w: ReturnType<typeof render>) => {
  const all = w.emitted('change')!
  return all[all.length - 1][0]
}

describe('OrderedChoices', () => {
  it('shows the chosen items in order and offers the others', () => {
    const w = render('status, number')
    expect(w.findAll('li .name').map((n) => n.text())).toEqual(['STATUS', 'NUMBER'])
    expect(w.findAll('select option').map((o) => o.attributes('value'))).toEqual(['', 'subject', 'sla'])
  })

  it('moves an item by dragging its grip onto another', async () => {
    const w = render('number, subject, status')
    const data = { setData: () => {}, effectAllowed: '' }
    await w.find('[data-test=ordered-grip-status]').trigger('dragstart', { dataTransfer: data })
    await w.find('[data-test=ordered-item-number]').trigger('dragover')
    await w.find('[data-test=ordered-item-number]').trigger('drop')
    expect(last(w)).toBe('status, number, subject')
  })

  it('moves with the arrows, adds and removes', async () => {
    const w = render('number, subject')
    await w.find('[data-test=ordered-down-number]').trigger('click')
    expect(last(w)).toBe('subject, number')
    expect(w.find('[data-test=ordered-up-number]').attributes('disabled')).toBeDefined()
    await w.find('select').setValue('sla')
    expect(last(w)).toBe('number, subject, sla')
    await w.find('[data-test=ordered-remove-subject]').trigger('click')
    expect(last(w)).toBe('number')
  })
})
