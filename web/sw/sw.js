// The desk's service worker (registered by the desk only, scope /desk/): it keeps the app shell
// (the page, the entry script, the desk's first pages, their styles and the icons) in a cache
// named after the build, so the installed app opens without the network. The build
// (vite.config.ts, serviceWorker()) fills in SHELL and VERSION; a new build is a new cache, and
// the old ones are deleted on activate. The API is never cached: /api/ goes to the network.
const VERSION = '__VERSION__'
const SHELL = __SHELL__
const CACHE = 'gongdan-shell-' + VERSION
const PAGE = '/desk/'

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('gongdan-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return
  // The desk's pages: the network first (a new build shows at once), the cached page offline.
  if (request.mode === 'navigate') {
    if (!url.pathname.startsWith('/desk')) return
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone()
          caches.open(CACHE).then((cache) => cache.put(PAGE, copy))
        }
        return response
      }).catch(() => caches.match(PAGE, { cacheName: CACHE }).then((cached) => cached || Response.error())),
    )
    return
  }
  // Built files are named by their content: the cached copy is the right one. Chunks the shell
  // did not list (pages opened later) are kept once fetched.
  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(request).then((cached) => cached || fetch(request).then((response) => {
        if (response.ok && url.pathname.startsWith('/assets/')) cache.put(request, response.clone())
        return response
      }))),
    )
  }
})
