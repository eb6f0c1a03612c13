import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/desk/' },
    { path: '/desk/login', component: () => import('./views/desk/LoginPage.vue'), meta: { public: true } },
    { path: '/desk/enrol', component: () => import('./views/desk/EnrolPage.vue'), meta: { agent: true } },
    {
      path: '/desk',
      component: () => import('./views/desk/DeskLayout.vue'),
      meta: { agent: true },
      children: [
        { path: '', component: () => import('./views/desk/InboxPage.vue') },
        { path: 'tickets/:number(\\d+)', component: () => import('./views/desk/TicketPage.vue'), props: true },
        { path: 'profile', component: () => import('./views/desk/ProfilePage.vue') },
        { path: 'new', component: () => import('./views/desk/NewTicketPage.vue') },
        { path: 'search', component: () => import('./views/desk/SearchPage.vue') },
        { path: 'contacts', component: () => import('./views/desk/ContactsPage.vue') },
        { path: 'contacts/:id(\\d+)', component: () => import('./views/desk/ContactPage.vue'), props: true },
        { path: 'organizations', component: () => import('./views/desk/OrganizationsPage.vue') },
        { path: 'dashboard', component: () => import('./views/desk/reports/DashboardPage.vue') },
        { path: 'reports', redirect: '/desk/reports/tickets_created' },
        { path: 'reports/:metric', component: () => import('./views/desk/reports/ReportPage.vue'), props: true },
        { path: 'organizations/:id(\\d+)', component: () => import('./views/desk/OrganizationPage.vue'), props: true },
        { path: 'kb', component: () => import('./views/desk/kb/KbPage.vue') },
        { path: 'chats', component: () => import('./views/desk/ChatsPage.vue') },
        { path: 'kb/:id(\\d+)', component: () => import('./views/desk/kb/KbArticlePage.vue'), props: true },
        // Admin settings: one lazily loaded chunk, out of the first load.
        { path: 'admin', redirect: '/desk/admin/departments' },
        { path: 'admin/:resource', component: () => import('./views/desk/admin/AdminPage.vue'), props: true },
      ],
    },
    { path: '/portal/login', component: () => import('./views/portal/PortalLogin.vue'), meta: { public: true } },
    { path: '/portal/link', component: () => import('./views/portal/PortalLink.vue'), meta: { public: true } },
    { path: '/portal/verify', component: () => import('./views/portal/PortalVerify.vue'), meta: { public: true } },
    { path: '/portal/csat/:token', component: () => import('./views/portal/CsatRating.vue'), props: true, meta: { public: true } },
    { path: '/portal/signup', component: () => import('./views/portal/PortalLogin.vue'), meta: { public: true, signup: true } },
    {
      path: '/portal',
      component: () => import('./views/portal/PortalLayout.vue'),
      meta: { customer: true },
      children: [
        { path: '', component: () => import('./views/portal/MyTickets.vue') },
        { path: 'new', component: () => import('./views/portal/NewTicket.vue') },
        { path: 'tickets/:number(\\d+)', component: () => import('./views/portal/PortalTicket.vue'), props: true },
      ],
    },
    { path: '/embed/form', component: () => import('./views/embed/EmbedForm.vue'), meta: { public: true, anonymous: true } },
    { path: '/:rest(.*)*', redirect: '/desk/' },
  ],
})

router.beforeEach(async (to) => {
  // Framed (the embeddable form's iframe): nothing but the form may render, so a site cannot
  // frame the form and steer the app to the desk inside its frame.
  if (window.top !== window.self && !to.meta.anonymous) return false
  if (to.meta.anonymous) return true
  const session = useSession()
  if (!session.loaded) await session.load()
  // Customers only ever reach the portal: a signed-in customer sent to the desk goes home.
  if (to.meta.agent && session.user && !session.isAgent) return { path: '/portal/' }
  if (to.meta.agent && !session.isAgent) return { path: '/desk/login', query: { next: to.fullPath } }
  // A role that must use two-factor sign-in enrols before anything else.
  if (to.meta.agent && session.mustEnrol && to.path !== '/desk/enrol') return { path: '/desk/enrol' }
  if (to.meta.customer && !session.user) return { path: '/portal/login', query: { next: to.fullPath } }
  return true
})
