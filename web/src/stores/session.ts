import { defineStore } from 'pinia'
import { api, get, post, setCsrf, type Schemas } from '../lib/api'
import { setLocale } from '../i18n'
import { permissionsOf, type Permission } from '../lib/permissions'

export type User = Schemas['User'] & { permissions?: Permission[] }

export const useSession = defineStore('session', {
  // mustEnrol: the role must use two-factor sign-in and none is enrolled yet; the session may
  // only enrol (the server refuses everything else), so the desk shows the enrolment page alone.
  // permissions: what the user's role allows (the server's names), kept apart from `user` so an
  // answer without them (the profile's PATCH /me) does not drop them.
  state: () => ({ user: null as User | null, permissions: [] as Permission[], loaded: false, mustEnrol: false }),
  getters: {
    isAgent: (s) => !!s.user && s.user.role !== 'customer',
    // Whether the role may do `p`: every show-or-hide in the desk asks this, never the role.
    can: (s) => (p: Permission) => s.permissions.includes(p),
    // The admin area: settings, or agents and their roles.
    isAdmin: (s) => s.permissions.includes('settings.manage') || s.permissions.includes('users.manage'),
    timeZone: (s) => s.user?.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  },
  actions: {
    async load() {
      try {
        this.user = await get<'getMe'>('/me')
        this.permissions = permissionsOf(this.user)
        setLocale(this.user.locale)
        await this.checkEnrolment()
      } catch {
        this.user = null
      }
      this.loaded = true
    },
    async checkEnrolment() {
      this.mustEnrol = false
      if (!this.user || this.user.role === 'customer') return
      try {
        const s = await get<'getSecondFactor'>('/me/second-factor')
        this.mustEnrol = !!s && s.required && !s.enabled
      } catch {
        // Not knowing is no reason to refuse the desk; the server still refuses what it must.
      }
    },
    // The first step: a session, or (two-factor sign-in) the challenge secondStep answers.
    async login(email: string, password: string): Promise<string | undefined> {
      const r = await post<'signIn'>('/auth/login', { email, password })
      if ('challenge' in r) return r.challenge
      await this.signedIn(r)
      return undefined
    },
    async secondStep(challenge: string, answer: { code?: string; recovery_code?: string }, remember: boolean) {
      const r = await post<'signInSecondStep'>('/auth/second-factor', { challenge, ...answer, remember_device: remember })
      await this.signedIn(r)
    },
    async signedIn(r: Schemas['SignedIn']) {
      setCsrf(r.csrf_token)
      this.user = r.user
      this.permissions = permissionsOf(r.user)
      this.loaded = true
      setLocale(r.user.locale)
      await this.checkEnrolment()
    },
    // Sign-up proves the address first: the server mails a link and answers the same whatever
    // the address; the account exists once verifySignup redeems the link.
    async signup(name: string, email: string, password: string, locale: Schemas['Locale']) {
      await post<'signUp'>('/auth/signup', {
        name,
        email,
        password,
        locale,
        time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      })
    },
    async verifySignup(token: string) {
      const r = await post<'verifySignUp'>('/auth/signup/verify', { token })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.permissions = permissionsOf(r.user)
      this.loaded = true
      setLocale(r.user.locale)
    },
    // Sign-in by mail: the server answers the same whether or not the address has an account.
    async requestLink(email: string) {
      await post<'requestSignInLink'>('/auth/link', { email })
    },
    async redeemLink(token: string) {
      const r = await post<'redeemSignInLink'>('/auth/link/redeem', { token })
      setCsrf(r.csrf_token)
      this.user = r.user
      this.permissions = permissionsOf(r.user)
      this.loaded = true
      setLocale(r.user.locale)
    },
    async logout() {
      try {
        await post<'signOut'>('/auth/logout')
      } finally {
        this.user = null
        this.permissions = []
        setCsrf('')
      }
    },
    // Every session ends, this one included: the answer carries the new session's CSRF token.
    // API tokens are revoked too unless `revokeTokens` is false.
    async changePassword(current: string, next: string, revokeTokens = true) {
      const r = await api<'changePassword'>('POST', '/me/password', {
        current_password: current,
        new_password: next,
        revoke_tokens: revokeTokens,
      })
      setCsrf(r.csrf_token)
    },
    signature(): string {
      return localStorage.getItem('gongdan.signature.' + (this.user?.id ?? 0)) ?? ''
    },
    setSignature(text: string) {
      localStorage.setItem('gongdan.signature.' + (this.user?.id ?? 0), text)
    },
  },
})
