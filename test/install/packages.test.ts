// The packages as an operator installs them: scripts/pack.ts packs wgfleet-agent-<v>.tgz and
// wgfleet-dashboard-<v>.tgz from the current build (`npm run build` first; scripts/test.sh does), npm
// installs both into an empty prefix from its cache (`npm install -g --prefix P --prefer-offline`), and
// a fleet runs the installed `wgfleet-agent` in a node namespace and the installed `wgfleet serve`: the
// node is added, a configuration put on it and a peer created, which must then be live in the agent's
// WireGuard interface, and a client with its config pings through the tunnel (smoke.ts: the same steps
// node-versions.test.ts runs on Node 22 and 24). Also checked: no build tooling installed, one TypeBox,
// the better-sqlite3 npm chose for this Node surviving V8 collecting its statements (sqlite-gc-probe.cjs),
// the web app served from inside the package, --version from both commands. Install time and size are
// printed.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../../scripts/pack.js";
import { cleanupStale, type Fleet } from "../fleet/harness.js";
import { installedBin } from "../fleet/run-from.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  createPeerAndPing,
  installedPackage,
  installTarballs,
  probeInstalledSqlite,
  startInstalledFleet,
} from "./smoke.js";

const run = promisify(execFile);
const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "pk";
/** Build tooling that must not come with the packages (devDependencies of the workspace). */
const DEV_TOOLING = [
  "vite",
  "vitest",
  "typescript",
  "tsx",
  "@vitejs",
  "@vue",
  "vue-tsc",
  "@biomejs",
  "playwright-core",
];

/** Every folder named `name` (a package) under node_modules folders below `root`. */
function packageCopies(root: string, name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const modules = join(dir, "node_modules");
    if (!existsSync(modules)) return;
    if (existsSync(join(modules, name, "package.json"))) found.push(join(modules, name));
    for (const entry of readdirSync(modules)) {
      const paths = entry.startsWith("@")
        ? readdirSync(join(modules, entry)).map((sub) => join(modules, entry, sub))
        : [join(modules, entry)];
      for (const path of paths) if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return found;
}

describe.skipIf(skip)("the packed tarballs installed into an empty prefix", () => {
  let work = "";
  let installPrefix = "";
  let version = "";
  let fleet: Fleet | null = null;
  const current = () => {
    if (!fleet) throw new Error("the fleet did not start (see the beforeAll error)");
    return fleet;
  };
  const installed = (name: "agent" | "dashboard") => installedPackage(installPrefix, name);

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    work = await mkdtemp(join(tmpdir(), "wgfleet-install-"));
    installPrefix = join(work, "prefix");
    const packed = await pack({ outDir: join(work, "release"), build: false });
    version = packed.version;
    const report = await installTarballs(packed, installPrefix, work);
    console.log(
      `install on ${process.version}: ${report.seconds} s, ${report.size} installed; tarballs ${report.tarballs}`,
    );
    fleet = await startInstalledFleet(PREFIX, installPrefix);
  }, 900_000);

  afterAll(async () => {
    await fleet?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 120_000);

  it("installs both commands, each printing the packed version", async () => {
    for (const name of ["wgfleet", "wgfleet-agent"]) {
      const { stdout } = await run(process.execPath, [
        installedBin({ prefix: installPrefix }, name),
        "--version",
      ]);
      expect(stdout.trim(), name).toBe(version);
    }
  });

  it("brings no build tooling, one TypeBox in each package, and the agent's systemd unit inside the agent package", async () => {
    const root = join(installPrefix, "lib");
    for (const tool of DEV_TOOLING) expect(packageCopies(root, tool), tool).toEqual([]);
    // Each installed package has one TypeBox, which its code and the bundled @wgfleet/core share.
    for (const name of ["agent", "dashboard"] as const) {
      expect(packageCopies(installed(name), "@sinclair/typebox"), name).toEqual([
        join(installed(name), "node_modules", "@sinclair/typebox"),
      ]);
    }
    const unit = await readFile(join(installed("agent"), "wgfleet-agent.service"), "utf8");
    expect(unit).toContain("ExecStart=/usr/local/bin/wgfleet-agent ");
    expect(existsSync(join(installed("dashboard"), "wgfleet.service"))).toBe(true);
  });

  // npm picks by `engines` within the dashboard's range: 13 (Node-API, `engines` >= 22) crashes on Node 20.
  const sqliteMajor = Number(process.versions.node.split(".")[0]) >= 22 ? 13 : 12;
  it(`installs better-sqlite3 ${sqliteMajor} for this Node, which survives V8 collecting its statements`, async () => {
    const sqlite = await probeInstalledSqlite(installPrefix);
    expect(sqlite.split(".")[0]).toBe(String(sqliteMajor));
  }, 120_000);

  it("serves the web app from inside the installed dashboard package", async () => {
    expect(existsSync(join(installed("dashboard"), "web", "index.html"))).toBe(true);
    const page = await current().api.anonymous().get("/");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="app">');
  });

  it("creates a peer through the installed dashboard that is live on the installed agent, and its client pings", async () => {
    await createPeerAndPing(current(), "installed");
  }, 60_000);
});
