// The pages and who may see them. Every page but sign-in needs a session; a user whose password was
// generated must change it first; admin-only pages send viewers back to the overview.
import type { Pinia } from "pinia";
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router } from "vue-router";
import SignInPage from "./pages/SignInPage.vue";
import { useSessionStore } from "./stores/session.js";

declare module "vue-router" {
  interface RouteMeta {
    public?: boolean;
    adminOnly?: boolean;
    title?: string;
  }
}

export function createAppRouter(pinia: Pinia): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: "/sign-in", name: "sign-in", component: SignInPage, meta: { public: true, title: "Sign in" } },
      {
        path: "/change-password",
        name: "change-password",
        component: () => import("./pages/ChangePasswordPage.vue"),
        meta: { title: "Change your password" },
      },
      {
        path: "/",
        name: "overview",
        component: () => import("./pages/OverviewPage.vue"),
        meta: { title: "Overview" },
      },
      {
        path: "/configurations",
        name: "configurations",
        component: () => import("./pages/ConfigurationsPage.vue"),
        meta: { title: "Configurations" },
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
        meta: { title: "Nodes" },
      },
      { path: "/nodes/:id", name: "node", component: () => import("./pages/NodePage.vue"), props: true },
      {
        path: "/settings",
        name: "settings",
        component: () => import("./pages/SettingsPage.vue"),
        meta: { title: "Settings" },
      },
      {
        path: "/:pathMatch(.*)*",
        name: "not-found",
        component: () => import("./pages/NotFoundPage.vue"),
        meta: { title: "Not found" },
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
    if (to.meta.adminOnly && !session.isAdmin) return { name: "overview" };
    return true;
  });

  router.afterEach((to) => {
    const title = to.meta.title ?? (typeof to.params.name === "string" ? to.params.name : undefined);
    document.title = title ? `${title} · wgfleet` : "wgfleet";
  });

  return router;
}
