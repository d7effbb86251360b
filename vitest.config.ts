import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string, entry = "index.ts") =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url));

// One runner for the whole workspace. Packages are resolved to their sources so tests never run
// against a stale build.
export default defineConfig({
  resolve: {
    alias: {
      "@wgfleet/core": src("core"),
      "@wgfleet/wireguard": src("wireguard"),
      // Before "@wgfleet/agent", which would otherwise match it as a prefix.
      "@wgfleet/agent/client": src("agent", "client/index.ts"),
      "@wgfleet/agent": src("agent"),
      "@wgfleet/dashboard": src("dashboard"),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["test/support/global-setup.ts"],
    reporters: ["default"],
  },
});
