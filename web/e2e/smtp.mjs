// A tiny SMTP receiver on a free loopback port for the e2e tests: keeps every message it is
// given (envelope and raw data) in memory.
import { createServer } from 'node:net'

export async function startSmtp() {
  const mails = []
  const server = createServer((sock) => {
    let buf = ''
    let data = null
    let rcpt = []
    sock.write('220 e2e-sink ESMTP\r\n')
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1')
      for (;;) {
        if (data !== null) {
          const end = buf.indexOf('\r\n.\r\n')
          if (end < 0) return
          data += buf.slice(0, end)
          buf = buf.slice(end + 5)
          mails.push({ rcpt, raw: Buffer.from(data, 'latin1').toString('utf8') })
          data = null
          rcpt = []
          sock.write('250 OK\r\n')
          continue
        }
        const nl = buf.indexOf('\r\n')
        if (nl < 0) return
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 2)
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250 e2e-sink\r\n')
        else if (verb === 'RCPT') {
          rcpt.push(line.replace(/^.*<([^>]*)>.*$/, '$1'))
          sock.write('250 OK\r\n')
        } else if (verb === 'DATA') {
          data = ''
          sock.write('354 go on\r\n')
        } else if (verb === 'QUIT') sock.end('221 bye\r\n')
        else sock.write('250 OK\r\n')
      }
    })
    sock.on('error', () => {})
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  return {
    port: server.address().port,
    mails,
    // The decoded text of a mail: every base64 body part, decoded (mime_writer encodes bodies).
    text(mail) {
      const parts = [...mail.raw.matchAll(/\r\n\r\n([A-Za-z0-9+/=\r\n]+?)(?=\r\n--|(?:\r\n)?$)/g)]
      return parts.map((m) => Buffer.from(m[1].replace(/\r\n/g, ''), 'base64').toString('utf8')).join('\n')
    },
    async waitFor(pred, ms = 15000) {
      const end = Date.now() + ms
      while (Date.now() < end) {
        const m = mails.find(pred)
        if (m) return m
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error('no mail arrived')
    },
    stop: () => new Promise((ok) => server.close(ok)),
  }
}
