// Import rules between the workspace packages and between the folders inside each package, checked by
// `npm run lint` (dependency-cruiser). One owner per concept: dependencies point one way only.
//
// core      ← pure domain code: no other workspace package, no Node I/O (only node:crypto)
// wireguard ← core
// agent     ← core, wireguard
// dashboard ← core, wireguard, and the agent's client (`@wgfleet/agent/client`) only
// web       ← core, as type-only imports (the browser bundle carries no core code)
//
// This run checks production code only (tests are left out, so test helpers that import across folders
// do not count as folder cycles). Tests and test support may import more, except another package by
// relative path: .dependency-cruiser-tests.cjs checks that rule on them.

/** Test files and test helpers, by path. */
const TESTS = ["\\.test\\.ts$", "/test-support/", "^packages/[^/]+/test/", "^test/"];

/** Every workspace package except the ones listed may not be imported. */
const packagesExcept = (...allowed) => {
  const all = ["core", "wireguard", "agent", "dashboard", "web"];
  const forbidden = all.filter((name) => !allowed.includes(name));
  return `^packages/(${forbidden.join("|")})/`;
};

const FOLDER_CYCLE = "no-folder-cycle";

/** Folders inside a package depend one way: if peers/ uses nodes/, nothing in nodes/ (or below it) uses peers/. */
function folderCycleRules() {
  const comment =
    "Folders depend one way: if peers/ uses nodes/, nothing in nodes/ (or below it) uses peers/.";
  return [
    {
      name: FOLDER_CYCLE,
      severity: "error",
      scope: "folder",
      comment,
      from: { path: "^packages/" },
      to: { circular: true },
    },
  ];
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-relative-import-across-packages",
      severity: "error",
      comment:
        "A package reaches another one by its package name (@wgfleet/...), never by a relative path into its folders.",
      from: { path: "^packages/([^/]+)/" },
      // Package-name imports resolve (through the tsconfig paths) to the same files, but are "aliased".
      to: {
        path: "^packages/",
        pathNot: "^packages/$1/",
        dependencyTypes: ["local"],
        dependencyTypesNot: ["aliased"],
      },
    },
    {
      name: "core-imports-no-workspace-package",
      severity: "error",
      comment: "core is the bottom layer: every other package may use it, it uses none of them.",
      from: { path: "^packages/core/" },
      to: { path: packagesExcept("core") },
    },
    {
      name: "core-imports-no-node-io",
      severity: "error",
      comment:
        "core is pure: no file, network, process or shell access. node:crypto (hashing, keys) is the one exception.",
      from: { path: "^packages/core/" },
      to: { dependencyTypes: ["core"], pathNot: "^(node:)?crypto$" },
    },
    {
      name: "wireguard-imports-core-only",
      severity: "error",
      comment: "The WireGuard driver knows the domain (core) and nothing above it.",
      from: { path: "^packages/wireguard/" },
      to: { path: packagesExcept("core", "wireguard") },
    },
    {
      name: "agent-imports-core-and-wireguard-only",
      severity: "error",
      comment:
        "The node agent runs on its own machine: it uses core and the driver, never the dashboard or the web app.",
      from: { path: "^packages/agent/" },
      to: { path: packagesExcept("core", "wireguard", "agent") },
    },
    {
      name: "dashboard-imports-no-web",
      severity: "error",
      comment: "The dashboard serves the built web app from disk; it never imports its code.",
      from: { path: "^packages/dashboard/" },
      to: { path: packagesExcept("core", "wireguard", "agent", "dashboard") },
    },
    {
      name: "dashboard-imports-agent-client-only",
      severity: "error",
      comment:
        "The dashboard talks to agents through the client the agent package exports (@wgfleet/agent/client), nothing else of it.",
      from: { path: "^packages/dashboard/" },
      to: { path: "^packages/agent/", pathNot: "^packages/agent/(src|dist)/client(\\.[cm]?[jt]s|/|$)" },
    },
    {
      name: "web-imports-core-types-only",
      severity: "error",
      comment:
        "The web app shares core's types (import type), never core's runtime code, and no other package.",
      from: { path: "^packages/web/" },
      to: { path: "^packages/core/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "web-imports-no-server-package",
      severity: "error",
      comment: "The web app runs in the browser: no driver, agent or dashboard code.",
      from: { path: "^packages/web/" },
      to: { path: packagesExcept("core", "web") },
    },
    ...folderCycleRules(),
    {
      name: "no-unresolvable-import",
      severity: "error",
      comment:
        "Every import resolves to a file or an installed package (catches a moved file or a missing dependency).",
      from: { path: "^packages/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // bin/ launchers only load their package's build (dist/), which a fresh clone has not made yet
    // when lint runs.
    exclude: { path: ["^packages/[^/]+/dist/", "^packages/[^/]+/bin/", ...TESTS] },
    // Type-only imports are recorded (as "type-only"), so the web rule can tell them from runtime imports.
    tsPreCompilationDeps: "specify",
    // The root tsconfig maps @wgfleet/* to the packages' sources, and resolves our ESM ".js" suffixes to ".ts".
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".vue", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
