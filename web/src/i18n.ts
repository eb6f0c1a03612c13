import { createI18n } from 'vue-i18n'
import en from './locales/en'
import zh from './locales/zh-CN'

export type Locale = 'en' | 'zh-CN'

// The account's language wins; before sign-in, the one chosen here before, else the browser's.
function initial(): Locale {
  const kept = typeof localStorage !== 'undefined' ? localStorage.getItem('gongdan.locale') : null
  if (kept === 'en' || kept === 'zh-CN') return kept
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'en'
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zh },
})

// The page's language follows the UI's from the first paint (screen readers, fonts, hyphens).
if (typeof document !== 'undefined') document.documentElement.lang = i18n.global.locale.value

export function setLocale(locale: string) {
  const l: Locale = locale === 'zh-CN' ? 'zh-CN' : 'en'
  i18n.global.locale.value = l
  localStorage.setItem('gongdan.locale', l)
  document.documentElement.lang = l
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}
