// The installable desk: its service worker (web/sw/sw.js, built into /sw.js) caches the app
// shell so the desk opens offline. Only the desk registers it; the portal, the embedded form and
// the chat widget never do, and a framed page never does.
export function registerDeskWorker(path = location.pathname): boolean {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return false
  if (!path.startsWith('/desk') || window.top !== window.self) return false
  navigator.serviceWorker.register('/sw.js', { scope: '/desk/' }).catch(() => {
    // No worker (a private window, a browser that refuses it): the desk works online as before.
  })
  return true
}
