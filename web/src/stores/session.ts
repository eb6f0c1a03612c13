import { defineStore } from 'pinia'
import { api, get, post, setCsrf } from '../lib/api'
import { setLocale } from '../i18n'

export interface User {
  id: number
  email: string
  name: string
  role: string
  locale: string
  time_zone: string
  active: boolean
}

export const useSession = defineStore('session', {
  state: () => ({ user: null as User | null, loaded: false }),
  getters: {
    isAgent: (s) => !!s.user && s.user.role !== 'customer',
    timeZone: (s) => s.user?.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  },
  actions: {
    async load() {
      try {
        this.user = await get<User>('/me')
        setLocale(this.user.locale)
      } catch {
        this.user = null
      }
      this.loaded = true
    },
    async login(email: string, password: string) {
      const r = await post<{ user: User; csrf_token: string }>('/auth/login', { email, password })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.loaded = true
      setLocale(r.user.locale)
    },
    async signup(name: string, email: string, password: string, locale: string) {
      const r = await post<{ user: User; csrf_token: string }>('/auth/signup', {
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
      await post('/auth/link', { email })
    },
    async redeemLink(token: string) {
      const r = await post<{ user: User; csrf_token: string }>('/auth/link/redeem', { token })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.loaded = true
      setLocale(r.user.locale)
    },
    async logout() {
      try {
        await post('/auth/logout')
      } finally {
        this.user = null
        setCsrf('')
      }
    },
    async changePassword(current: string, next: string) {
      await api('POST', '/me/password', { current_password: current, new_password: next })
    },
    signature(): string {
      return localStorage.getItem('gongdan.signature.' + (this.user?.id ?? 0)) ?? ''
    },
    setSignature(text: string) {
      localStorage.setItem('gongdan.signature.' + (this.user?.id ?? 0), text)
    },
  },
})
