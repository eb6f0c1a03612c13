import DOMPurify from 'dompurify'

// Everything HTML that came from a message goes through here before v-html, even though the server
// sanitises too: two walls, and a server bug must not become a stored XSS in every agent's browser.
export function safeHtml(html: string): string {
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOW_DATA_ATTR: false,
  })
}

// The editor produces plain text; this turns it into the safe HTML sent with it.
export function textToHtml(text: string): string {
  const esc = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
  return esc
    .split(/\n{2,}/)
    .map((p) => '<p>' + p.replace(/\n/g, '<br>') + '</p>')
    .join('')
}

// Mail quotes (blockquotes, Gmail's and Outlook's quote blocks) folded behind a "…" toggle, so
// a long thread shows what is new. Runs on HTML that safeHtml already cleaned.
export function foldQuotes(html: string, label: string): string {
  const box = document.createElement('div')
  box.innerHTML = html
  const quotes = box.querySelectorAll('blockquote, div.gmail_quote, div#divRplyFwdMsg, div#appendonsend')
  for (const q of Array.from(quotes)) {
    if (q.parentElement?.closest('details.gd-quote')) continue
    const details = document.createElement('details')
    details.className = 'gd-quote'
    const summary = document.createElement('summary')
    summary.textContent = label
    q.replaceWith(details)
    details.append(summary, q)
  }
  return box.innerHTML
}
