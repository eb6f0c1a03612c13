import { defineStore } from 'pinia'
import { api, get, post, setCsrf, type Schemas } from '../lib/api'
import { setLocale } from '../i18n'

export type User = Schemas['User']

export const useSession = defineStore('session', {
  state: () => ({ user: null as User | null, loaded: false }),
  getters: {
    isAgent: (s) => !!s.user && s.user.role !== 'customer',
    timeZone: (s) => s.user?.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  },
  actions: {
    async load() {
      try {
        this.user = await get<'getMe'>('/me')
        setLocale(this.user.locale)
      } catch {
        this.user = null
      }
      this.loaded = true
    },
    async login(email: string, password: string) {
      const r = await post<'signIn'>('/auth/login', { email, password })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.loaded = true
      setLocale(r.user.locale)
    },
    async signup(name: string, email: string, password: string, locale: Schemas['Locale']) {
      const r = await post<'signUp'>('/auth/signup', {
        name,
        email,
        password,
        locale,
        time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.loaded = true
    },
    // Sign-in by mail: the server answers the same whether or not the address has an account.
    async requestLink(email: string) {
      await post<'requestSignInLink'>('/auth/link', { email })
    },
    async redeemLink(token: string) {
      const r = await post<'redeemSignInLink'>('/auth/link/redeem', { token })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.loaded = true
      setLocale(r.user.locale)
    },
    async logout() {
      try {
        await post<'signOut'>('/auth/logout')
      } finally {
        this.user = null
        setCsrf('')
      }
    },
    async changePassword(current: string, next: string) {
      await api<'changePassword'>('POST', '/me/password', { current_password: current, new_password: next })
    },
    signature(): string {
      return localStorage.getItem('gongdan.signature.' + (this.user?.id ?? 0)) ?? ''
    },
    setSignature(text: string) {
      localStorage.setItem('gongdan.signature.' + (this.user?.id ?? 0), text)
    },
  },
})
