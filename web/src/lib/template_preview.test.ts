import { describe, expect, it } from 'vitest'
import { renderPreview, sampleFacts, variantsOf } from './template_preview'

describe('mail template preview', () => {
  it('fills placeholders with sample data in the template language', () => {
    const zh = renderPreview('您好 {{ requester.name }}，工单 #{{ticket.number}}（{{ticket.subject}}）已收到。', sampleFacts('zh-CN'))
    expect(zh).toEqual({ text: '您好 王芳，工单 #1024（办公室打印机无法连接）已收到。', empty: [] })
    expect(renderPreview('Hello {{requester.name}}', sampleFacts('en')).text).toBe('Hello Wang Fang')
  })

  it("fills the install's addresses and name as the server does", () => {
    const text = '{{brand.name}}: {{ticket.url}} ({{portal.url}})'
    expect(renderPreview(text, sampleFacts('en'))).toEqual({
      text: 'Example Tech: https://desk.example.com/portal/tickets/1024 (https://desk.example.com/portal/)', empty: [] })
    expect(renderPreview('{{ brand.name }}', sampleFacts('zh-CN')).text).toBe('示例科技')
  })

  it('names the placeholders that would render empty, once each', () => {
    expect(renderPreview('{{ticket.nope}} {{ticket.nope}} {{ custom_fields.model }}', sampleFacts('en'))).toEqual({
      text: '  ', empty: ['ticket.nope', 'custom_fields.model'] })
  })

  it('keeps text that is not a placeholder', () => {
    expect(renderPreview('{{ not one }} {x}', sampleFacts('en')).text).toBe('{{ not one }} {x}')
  })

  it('reads the variants being edited, and nothing from broken JSON', () => {
    expect(variantsOf('[{"language":"en","subject":"s","body":"b"}]')).toEqual([{ language: 'en', subject: 's', body: 'b' }])
    expect(variantsOf('[{')).toEqual([])
  })
})
