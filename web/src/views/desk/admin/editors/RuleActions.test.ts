import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import en from '../../../../locales/en'
import zh from '../../../../locales/zh-CN'
import KbLinkPicker from '../../../../components/KbLinkPicker.vue'
import RuleActions from './RuleActions.vue'

describe('RuleActions', () => {
  it("a trigger's note gets an article link placeholder from the picker", async () => {
    const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { en, 'zh-CN': zh } })
    const w = mount(RuleActions, {
      props: { value: [{ type: 'add_note', body: 'See' }], name: 'actions', choices: {} },
      global: { plugins: [i18n] },
    })
    expect(w.find('[data-test=kb-link-hint]').text()).toContain('{{kb.article.12}}')
    w.findComponent(KbLinkPicker).vm.$emit('pick', '{{kb.article.7}}')
    await w.vm.$nextTick()
    const changes = w.emitted('change') ?? []
    expect(changes[changes.length - 1]).toEqual([[{ type: 'add_note', body: 'See\n{{kb.article.7}}' }]])
  })
})
