// The API reference at /api/docs: Redoc renders the server's own OpenAPI document. Redoc's
// prebuilt bundle (React included) is a classic script that sets window.Redoc, so it is shipped
// as a hashed asset of this build and loaded as such; fonts are the system's, and the build drops
// the one image it would fetch from its maker's CDN (vite.config.ts): the page works offline.
// Its search runs in a worker made from a blob, which the page's CSP refuses, so it is off (the
// sidebar lists every operation by tag).
import redocUrl from 'redoc/bundles/redoc.standalone.js?url'

interface RedocGlobal {
  init(specUrl: string, options: Record<string, unknown>, element: HTMLElement | null): void
}

function load(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = () => resolve()
    script.onerror = () => reject(new Error('cannot load ' + src))
    document.head.appendChild(script)
  })
}

const system = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif'

load(redocUrl).then(() => {
  const redoc = (window as unknown as { Redoc: RedocGlobal }).Redoc
  redoc.init(
    '/api/v1/openapi.json',
    {
      disableSearch: true,
      expandResponses: '200,201',
      jsonSampleExpandLevel: 3,
      hideHostname: true,
      sortTagsAlphabetically: true,
      theme: {
        colors: { primary: { main: '#2563eb' } },
        typography: {
          fontFamily: system,
          headings: { fontFamily: system },
          code: { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace' },
        },
      },
    },
    document.getElementById('api-docs'),
  )
})
