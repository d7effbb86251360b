// Builds the single-page app into dist/ (hashed files under dist/assets/, served by the dashboard with
// long-cache headers) and writes .gz/.br twins. `vite` (dev) proxies /api to a local dashboard.
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { precompress } from "./build/precompress.js";

export default defineConfig({
  plugins: [vue(), precompress()],
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
    target: "es2022",
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
