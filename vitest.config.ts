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
    // Most files wait on I/O (namespaces, agents, PostgreSQL, a browser) rather than compute, and they
    // share nothing a parallel file could disturb: namespaces, underlay slots and ports are claimed
    // per process, and Chromium runs in a namespace of its own (test/web/support/browser-network.ts).
    // Vitest's default (cores − 1) would run one file at a time on a 2-core machine.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["test/support/global-setup.ts"],
    reporters: ["default"],
  },
});
