// The pages and who may see them. Every page but sign-in needs a session; a user whose password was
// generated must change it first, an admin required to use two-factor sign-in must set it up next;
// admin-only pages send viewers back to the overview.
import type { Pinia } from "pinia";
import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteLocationNormalizedLoaded,
  type Router,
} from "vue-router";
import { t } from "./i18n/index.js";
import SignInPage from "./pages/SignInPage.vue";
import { useSessionStore } from "./stores/session.js";

declare module "vue-router" {
  interface RouteMeta {
    public?: boolean;
    adminOnly?: boolean;
    /** The catalog key of the page's title (the tab shows it; App.vue sets it). */
    title?: string;
  }
}

export function createAppRouter(pinia: Pinia): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      {
        path: "/sign-in",
        name: "sign-in",
        component: SignInPage,
        meta: { public: true, title: "auth.pageTitle.signIn" },
      },
      {
        path: "/change-password",
        name: "change-password",
        component: () => import("./pages/ChangePasswordPage.vue"),
        meta: { title: "auth.pageTitle.changePassword" },
      },
      {
        path: "/two-factor-setup",
        name: "two-factor-setup",
        component: () => import("./pages/TwoFactorSetupPage.vue"),
        meta: { title: "auth.pageTitle.twoFactorSetup" },
      },
      {
        path: "/",
        name: "overview",
        component: () => import("./pages/OverviewPage.vue"),
        meta: { title: "overview.pageTitle" },
      },
      {
        path: "/configurations",
        name: "configurations",
        component: () => import("./pages/ConfigurationsPage.vue"),
        meta: { title: "configurations.pageTitle" },
      },
      {
        path: "/configurations/:name",
        name: "configuration",
        component: () => import("./pages/ConfigurationPage.vue"),
        props: true,
      },
      { path: "/peers/:id", name: "peer", component: () => import("./pages/PeerPage.vue"), props: true },
      {
        path: "/nodes",
        name: "nodes",
        component: () => import("./pages/NodesPage.vue"),
        meta: { title: "nodes.pageTitle" },
      },
      { path: "/nodes/:id", name: "node", component: () => import("./pages/NodePage.vue"), props: true },
      {
        path: "/audit",
        name: "audit",
        component: () => import("./pages/AuditPage.vue"),
        meta: { title: "audit.title" },
      },
      {
        path: "/alerts",
        name: "alerts",
        component: () => import("./pages/AlertsPage.vue"),
        meta: { title: "alerts.pageTitle" },
      },
      {
        path: "/settings",
        name: "settings",
        component: () => import("./pages/SettingsPage.vue"),
        meta: { title: "settings.title" },
      },
      {
        path: "/api-docs",
        name: "api-docs",
        component: () => import("./pages/ApiDocsPage.vue"),
        meta: { title: "apiDocs.pageTitle" },
      },
      {
        path: "/:pathMatch(.*)*",
        name: "not-found",
        component: () => import("./pages/NotFoundPage.vue"),
        meta: { title: "common.notFound.title" },
      },
    ],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  });

  router.beforeEach(async (to: RouteLocationNormalized) => {
    const session = useSessionStore(pinia);
    if (!session.checked) {
      try {
        await session.restore();
      } catch {
        // the server is unreachable: the sign-in page says so when it tries
      }
    }
    if (to.meta.public) {
      return session.user && to.name === "sign-in" ? { name: "overview" } : true;
    }
    if (!session.user) {
      return { name: "sign-in", query: to.fullPath === "/" ? {} : { next: to.fullPath } };
    }
    if (session.mustChangePassword && to.name !== "change-password") return { name: "change-password" };
    if (!session.mustChangePassword && session.mustEnrolTotp && to.name !== "two-factor-setup") {
      return { name: "two-factor-setup" };
    }
    if (to.meta.adminOnly && !session.isAdmin) return { name: "overview" };
    return true;
  });

  return router;
}

/** The browser tab's title for a page, in the app's language: "Nodes · wgfleet", "<name> · wgfleet". */
export function pageTitle(route: RouteLocationNormalizedLoaded): string {
  const title = route.meta.title
    ? t(route.meta.title)
    : typeof route.params.name === "string"
      ? route.params.name
      : undefined;
  return title ? `${title} · wgfleet` : "wgfleet";
}
