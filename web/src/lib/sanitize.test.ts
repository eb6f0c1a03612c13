import { describe, expect, it } from 'vitest'
import { safeHtml, textToHtml } from './sanitize'

describe('safeHtml', () => {
  it('drops scripts, handlers, javascript: links, frames and styles', () => {
    const out = safeHtml(
      '<p>hi</p><img src="x" onerror="alert(1)"><script>alert(1)</script><a href="javascript:alert(1)">x</a>' +
        '<iframe src="https://evil"></iframe><svg onload="alert(1)"></svg><style>*{}</style><b style="position:fixed">b</b>',
    )
    expect(out).toContain('<p>hi</p>')
    expect(out).not.toMatch(/onerror|onload|<script|javascript:|<iframe|<svg|<style|style=/i)
    expect(out).toContain('<b>b</b>')
  })
})

describe('textToHtml', () => {
  it('escapes markup and keeps paragraphs and lines', () => {
    expect(textToHtml('a <b>&\nb\n\nc')).toBe('<p>a &lt;b&gt;&amp;<br>b</p><p>c</p>')
  })
})

describe('foldQuotes', () => {
  it('puts quoted mail behind a toggle and leaves the rest alone', async () => {
    const { foldQuotes } = await import('./sanitize')
    const out = foldQuotes('<p>new</p><blockquote><p>old <blockquote>older</blockquote></p></blockquote>', 'Show quoted text')
    expect(out).toBe('<p>new</p><details class="gd-quote"><summary>Show quoted text</summary><blockquote><p>old </p><blockquote>older</blockquote><p></p></blockquote></details>')
    expect(foldQuotes('<p>plain</p>', 'x')).toBe('<p>plain</p>')
  })
})
