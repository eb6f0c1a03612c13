// gongdan web form: <script src="https://desk.example.com/embed.js" data-department="3" data-lang="zh-CN" async></script>
// puts an iframe of /embed/form where the script tag stands.
(function () {
  var s = document.currentScript
  if (!s) return
  var base = new URL(s.src).origin
  var q = []
  if (s.dataset.department) q.push('department=' + encodeURIComponent(s.dataset.department))
  if (s.dataset.lang) q.push('lang=' + encodeURIComponent(s.dataset.lang))
  var f = document.createElement('iframe')
  f.src = base + '/embed/form' + (q.length ? '?' + q.join('&') : '')
  f.title = 'Support'
  f.style.cssText = 'width:100%;max-width:600px;height:560px;border:0'
  s.parentNode.insertBefore(f, s)
})()
