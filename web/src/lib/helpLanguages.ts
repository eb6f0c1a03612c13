import { get } from './api'

// The help centre's languages (the help-settings resource), the first its default: the tabs of
// the article editor and the columns of the article list. zh-CN and en until it is read.
export const defaultHelpLanguages = ['zh-CN', 'en']

export async function helpLanguages(): Promise<string[]> {
  try {
    const r = (await get('/help-settings')) as { items?: { languages?: string[] }[] }
    const langs = r.items?.[0]?.languages
    return langs && langs.length ? langs : defaultHelpLanguages
  } catch {
    return defaultHelpLanguages
  }
}
