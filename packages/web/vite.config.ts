// Builds the single-page app into dist/ (hashed files under dist/assets/, served by the dashboard with
// long-cache headers) and writes .gz/.br twins. CSS and JavaScript are built for the browsers in
// package.json's `browserslist` (lightningcss lowers newer CSS, light-dark() included, for them).
// `vite` (dev) proxies /api to a local dashboard.
import { fileURLToPath } from "node:url";
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { browserTargets } from "./build/browser-targets.js";
import { precompress } from "./build/precompress.js";

const targets = browserTargets(fileURLToPath(new URL(".", import.meta.url)));

export default defineConfig({
  plugins: [vue(), precompress()],
  css: {
    transformer: "lightningcss",
    lightningcss: { targets: targets.css },
  },
  // vue-i18n's build flags: Composition API only (the legacy API is left out of the bundle), messages
  // compiled at run time without eval (CSP-safe), no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: targets.script,
    cssMinify: "lightningcss",
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      "/api": process.env.WGFLEET_DEV_API ?? "http://127.0.0.1:10086",
      "/healthz": process.env.WGFLEET_DEV_API ?? "http://127.0.0.1:10086",
    },
  },
});
