// Builds the single-page app into dist/ (hashed files under dist/assets/, served by the dashboard with
// long-cache headers) and writes .gz/.br twins. `vite` (dev) proxies /api to a local dashboard.
import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { precompress } from "./build/precompress.js";

export default defineConfig({
  plugins: [vue(), precompress()],
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
