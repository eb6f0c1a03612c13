// gongdan live chat: <script src="https://desk.example.com/chat.js" data-widget="1" async></script>
// (optional data-lang="zh-CN" or "en"; otherwise the browser's language). A button in the corner
// opens a panel in a shadow root (the page's styles do not reach it): the pre-chat form, then
// the conversation. The session's token is kept in localStorage so a reload resumes it. Every
// call is a CORS "simple" request (GET, POST of text/plain JSON or multipart), so other sites
// need no preflight; the server's answers allow any origin. Text is shown as text, never HTML.
;(function () {
  var script = document.currentScript
  if (!script || !script.dataset.widget) return
  var widgetId = script.dataset.widget
  var base = new URL(script.src).origin
  var lang = (script.dataset.lang || navigator.language || 'en').toLowerCase().indexOf('zh') === 0 ? 'zh' : 'en'
  var T = {
    en: {
      open: 'Chat with us', title: 'Support', name: 'Your name', email: 'Email', question: 'How can we help?',
      start: 'Start chat', send: 'Send', file: 'Attach a file', end: 'End chat', typing: 'is typing…',
      queued: 'All agents are busy. You are number {n} in the queue.', waiting: 'Connecting you to an agent…',
      offline: 'Nobody is online right now. We will answer by email at {email}.',
      ended: 'This chat has ended. Thank you!', read: 'Read', you: 'You', agent: 'Agent', joined: '{name} joined the chat',
      again: 'New chat', error: 'Something went wrong', close: 'Close', placeholder: 'Type a message…',
    },
    zh: {
      open: '在线咨询', title: '客服', name: '您的称呼', email: '邮箱', question: '请描述您的问题',
      start: '开始咨询', send: '发送', file: '发送文件', end: '结束会话', typing: '正在输入…',
      queued: '客服正忙，您排在第 {n} 位。', waiting: '正在为您接通客服…',
      offline: '客服暂时不在线，我们会通过邮件 {email} 回复您。',
      ended: '会话已结束，感谢您的咨询！', read: '已读', you: '我', agent: '客服', joined: '{name} 已接入',
      again: '新的咨询', error: '出错了', close: '关闭', placeholder: '输入消息…',
    },
  }[lang]
  var storeKey = 'gongdan-chat-' + base + '-' + widgetId
  var state = { config: null, chat: null, token: null, ws: null, typingUntil: 0, lastTyping: 0, poll: null }

  var host = document.createElement('div')
  host.setAttribute('data-gongdan-chat', widgetId)
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host
  document.body.appendChild(host)

  function el(tag, attrs, kids) {
    var e = document.createElement(tag)
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k]
      else if (k.indexOf('on') === 0) e.addEventListener(k.slice(2), attrs[k])
      else e.setAttribute(k, attrs[k])
    }
    ;(kids || []).forEach(function (c) { if (c) e.appendChild(c) })
    return e
  }
  function fmt(s, v) { return s.replace(/\{(\w+)\}/g, function (_, k) { return v[k] }) }

  function api(method, path, body, raw) {
    var url = base + '/api/v1/chat' + path
    if (state.token) url += (url.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(state.token)
    var init = { method: method, credentials: 'omit' }
    if (raw) init.body = raw
    else if (body) { init.body = JSON.stringify(body); init.headers = { 'Content-Type': 'text/plain' } }
    return fetch(url, init).then(function (r) {
      if (r.status === 204) return null
      return r.json().then(function (j) {
        if (!r.ok) throw new Error((j.error && j.error.message) || T.error)
        return j
      })
    })
  }

  var style = el('style', { text:
    ':host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif}' +
    '.btn{position:fixed;right:16px;bottom:16px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;color:#fff;font-size:15px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.2)}' +
    '.panel{position:fixed;right:16px;bottom:76px;z-index:2147483000;width:360px;max-width:calc(100vw - 16px);height:520px;max-height:calc(100vh - 96px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;color:#222;font-size:14px}' +
    '@media (max-width:480px){.panel{right:0;left:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}' +
    '.head{color:#fff;padding:12px 14px;display:flex;justify-content:space-between;align-items:center;font-weight:600}' +
    '.head button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}' +
    '.body{flex:1;overflow-y:auto;padding:12px;background:#f6f7f9}' +
    '.form{display:flex;flex-direction:column;gap:8px;padding:12px}' +
    'input,textarea{width:100%;padding:8px;border:1px solid #ccd;border-radius:6px;font-size:14px}' +
    'textarea{resize:none}.go{border:0;border-radius:6px;padding:9px 14px;color:#fff;cursor:pointer;font-size:14px}' +
    '.msg{margin:6px 0;display:flex;flex-direction:column}.msg .b{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #e3e5ea}' +
    '.msg.me{align-items:flex-end}.msg.me .b{color:#fff;border:0}.who{font-size:11px;color:#888;margin:0 4px 2px}' +
    '.note{font-size:12px;color:#666;text-align:center;margin:8px 0}.read{font-size:11px;color:#888;margin-top:2px}' +
    '.bar{display:flex;gap:6px;padding:8px;border-top:1px solid #e3e5ea;align-items:flex-end}.bar textarea{flex:1;height:40px}' +
    '.icon{border:1px solid #ccd;background:#fff;border-radius:6px;padding:8px;cursor:pointer}.typing{font-size:12px;color:#888;min-height:16px;padding:0 12px}' +
    'a{color:inherit}.err{color:#c00;font-size:12px}'
  })
  root.appendChild(style)
  var button = el('button', { class: 'btn', type: 'button', text: T.open, 'aria-label': T.open, onclick: toggle })
  var panel = el('div', { class: 'panel', role: 'dialog', 'aria-label': T.title })
  panel.style.display = 'none'
  root.appendChild(panel)
  root.appendChild(button)

  function colour() { return (state.config && state.config.colour) || '#409eff' }
  function toggle() {
    var open = panel.style.display === 'none'
    panel.style.display = open ? 'flex' : 'none'
    if (open) render()
  }

  function header() {
    var h = el('div', { class: 'head' }, [
      el('span', { text: (state.config && state.config.department) || T.title }),
      el('button', { type: 'button', 'aria-label': T.close, text: '×', onclick: toggle }),
    ])
    h.style.background = colour()
    return h
  }

  function render() {
    panel.textContent = ''
    panel.appendChild(header())
    if (!state.chat) return renderForm()
    renderChat()
  }

  function renderForm(error) {
    var greeting = state.config ? (lang === 'zh' ? state.config.greeting_zh : state.config.greeting_en) : ''
    var name = el('input', { name: 'name', placeholder: T.name, autocomplete: 'name', maxlength: '200' })
    var email = el('input', { name: 'email', type: 'email', placeholder: T.email, autocomplete: 'email', required: '' })
    var question = el('textarea', { name: 'question', placeholder: T.question, rows: '4', maxlength: '4000', required: '' })
    var go = el('button', { class: 'go', type: 'submit', text: T.start })
    go.style.background = colour()
    var form = el('form', { class: 'form', onsubmit: function (e) {
      e.preventDefault()
      go.disabled = true
      api('POST', '/widgets/' + widgetId + '/sessions', { name: name.value, email: email.value, question: question.value, locale: lang === 'zh' ? 'zh-CN' : 'en' })
        .then(function (chat) {
          state.token = chat.token
          try { localStorage.setItem(storeKey, JSON.stringify({ id: chat.id, token: chat.token })) } catch (_) {}
          show(chat)
          connect()
        })
        .catch(function (err) { go.disabled = false; renderForm(err.message) })
    } }, [
      greeting ? el('div', { class: 'note', text: greeting }) : null,
      name, email, question, error ? el('div', { class: 'err', text: error }) : null, go,
    ])
    var body = el('div', { class: 'body' }, [form])
    panel.appendChild(body)
  }

  var list, typingLine, input
  function renderChat() {
    var chat = state.chat
    list = el('div', { class: 'body', 'aria-live': 'polite' })
    typingLine = el('div', { class: 'typing' })
    panel.appendChild(list)
    panel.appendChild(typingLine)
    fillMessages()
    if (chat.state === 'live') {
      input = el('textarea', { placeholder: T.placeholder, 'aria-label': T.placeholder, maxlength: '4000', oninput: typed,
        onkeydown: function (e) { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); sendText() } } })
      var file = el('input', { type: 'file', style: 'display:none', onchange: function () { if (file.files[0]) sendFile(file.files[0]) } })
      var send = el('button', { class: 'go', type: 'button', text: T.send, onclick: sendText })
      send.style.background = colour()
      panel.appendChild(el('div', { class: 'bar' }, [
        el('button', { class: 'icon', type: 'button', title: T.file, 'aria-label': T.file, text: '📎', onclick: function () { file.click() } }),
        file, input, send,
      ]))
      panel.appendChild(el('div', { class: 'bar' }, [el('button', { class: 'icon', type: 'button', text: T.end, onclick: endChat })]))
    } else {
      var again = el('button', { class: 'go', type: 'button', text: T.again, onclick: reset })
      again.style.background = colour()
      panel.appendChild(el('div', { class: 'bar' }, [again]))
    }
  }

  function fillMessages() {
    var chat = state.chat
    list.textContent = ''
    var lastMine = 0
    chat.messages.forEach(function (m) { if (m.from === 'visitor') lastMine = m.id })
    chat.messages.forEach(function (m) {
      var mine = m.from === 'visitor'
      var bubble = el('div', { class: 'b', text: m.body === '(file)' && m.attachments.length ? '' : m.body })
      if (mine) bubble.style.background = colour()
      m.attachments.forEach(function (a) {
        bubble.appendChild(el('div', {}, [el('a', { href: base + a.url + '?token=' + encodeURIComponent(state.token), target: '_blank', rel: 'noopener noreferrer', text: '📎 ' + a.filename })]))
      })
      list.appendChild(el('div', { class: 'msg' + (mine ? ' me' : '') }, [
        el('div', { class: 'who', text: mine ? T.you : m.author || T.agent }), bubble,
        mine && m.id === lastMine && chat.agent_read >= m.id ? el('div', { class: 'read', text: T.read }) : null,
      ]))
    })
    if (chat.state === 'offline') list.appendChild(el('div', { class: 'note', text: fmt(T.offline, { email: (chat.visitor && chat.visitor.email) || '' }) }))
    else if (chat.state === 'ended') list.appendChild(el('div', { class: 'note', text: T.ended }))
    else if (chat.queue_position > 0) list.appendChild(el('div', { class: 'note', text: fmt(T.queued, { n: chat.queue_position }) }))
    else if (!chat.agent) list.appendChild(el('div', { class: 'note', text: T.waiting }))
    else list.insertBefore(el('div', { class: 'note', text: fmt(T.joined, { name: chat.agent.name }) }), list.children[1] || null)
    list.scrollTop = list.scrollHeight
    var last = chat.messages[chat.messages.length - 1]
    if (last && last.from !== 'visitor' && last.id > chat.visitor_read && panel.style.display !== 'none') {
      chat.visitor_read = last.id
      api('POST', '/sessions/' + chat.id + '/read', { message_id: last.id }).catch(function () {})
    }
  }

  function show(chat) {
    var wasLive = state.chat && state.chat.state === 'live'
    state.chat = chat
    if (wasLive && chat.state === 'live' && list) fillMessages()
    else render()
  }

  function refresh() {
    if (!state.chat) return
    return api('GET', '/sessions/' + state.chat.id).then(show).catch(function () {})
  }

  function sendText() {
    var text = input.value
    if (!text.trim()) return
    input.value = ''
    api('POST', '/sessions/' + state.chat.id + '/messages', { body: text }).then(refresh)
      .catch(function (e) { input.value = text; typingLine.textContent = e.message })
  }

  function sendFile(f) {
    var form = new FormData()
    form.append('file', f, f.name)
    api('POST', '/sessions/' + state.chat.id + '/attachments', null, form)
      .then(function (up) { return api('POST', '/sessions/' + state.chat.id + '/messages', { attachments: [up.items[0].id] }) })
      .then(refresh)
      .catch(function (e) { typingLine.textContent = e.message })
  }

  function typed() {
    var now = Date.now()
    if (now - state.lastTyping < 3000) return
    state.lastTyping = now
    api('POST', '/sessions/' + state.chat.id + '/typing').catch(function () {})
  }

  function endChat() {
    api('POST', '/sessions/' + state.chat.id + '/end').then(function (c) { show(c); disconnect() }).catch(function () {})
  }

  function reset() {
    disconnect()
    try { localStorage.removeItem(storeKey) } catch (_) {}
    state.chat = null
    state.token = null
    render()
  }

  function connect() {
    disconnect()
    var chat = state.chat
    if (!chat || chat.state !== 'live') return
    try {
      var ws = new WebSocket(base.replace(/^http/, 'ws') + '/api/v1/chat/stream?session=' + chat.id + '&token=' + encodeURIComponent(state.token))
      state.ws = ws
      ws.onmessage = function (e) {
        var m = JSON.parse(e.data)
        if (m.type === 'chat.typing') {
          if (m.actor === (state.chat.visitor && state.chat.visitor.id)) return
          typingLine.textContent = ((state.chat.agent && state.chat.agent.name) || T.agent) + ' ' + T.typing
          clearTimeout(state.typingTimer)
          state.typingTimer = setTimeout(function () { typingLine.textContent = '' }, 4000)
        } else if (m.type !== 'hello' && m.type !== 'pong') {
          if (m.type === 'message.created') typingLine.textContent = ''
          refresh()
        }
      }
      ws.onclose = function () { if (state.ws === ws) { state.ws = null; setTimeout(function () { if (!state.ws && state.chat && state.chat.state === 'live') { refresh(); connect() } }, 3000) } }
    } catch (_) {}
    // A fallback for networks that drop WebSockets: a slow poll.
    state.poll = setInterval(function () { if (!state.ws || state.ws.readyState !== 1) refresh() }, 10000)
  }

  function disconnect() {
    if (state.poll) clearInterval(state.poll)
    state.poll = null
    var ws = state.ws
    state.ws = null
    if (ws) try { ws.close() } catch (_) {}
  }

  api('GET', '/widgets/' + widgetId).then(function (config) {
    state.config = config
    button.style.background = colour()
    var saved = null
    try { saved = JSON.parse(localStorage.getItem(storeKey) || 'null') } catch (_) {}
    if (saved && saved.token) {
      state.token = saved.token
      return api('GET', '/sessions/' + saved.id).then(function (chat) { state.chat = chat; connect() })
        .catch(function () { state.token = null; try { localStorage.removeItem(storeKey) } catch (_) {} })
    }
  }).catch(function () { host.remove() })
})()
