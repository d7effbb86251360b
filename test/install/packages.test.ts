// The packages as an operator installs them: scripts/pack.ts packs wgfleet-agent-<v>.tgz and
// wgfleet-dashboard-<v>.tgz from the current build (`npm run build` first; scripts/test.sh does), npm
// installs both into an empty prefix from its cache (`npm install -g --prefix P --prefer-offline`), and
// a fleet runs the installed `wgfleet-agent` in a node namespace and the installed `wgfleet serve`: the
// node is added, a configuration put on it and a peer created, which must then be live in the agent's
// WireGuard interface. Also checked: no build tooling installed, one TypeBox, the web app served from
// inside the package, --version from both commands. Install time and size are printed.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../../scripts/pack.js";
import { cleanupStale, type Fleet, startFleet } from "../fleet/harness.js";
import { installedBin } from "../fleet/run-from.js";
import {
  createConfiguration,
  createPeer,
  expectLive,
  placeConfiguration,
  requireId,
} from "../multinode/support.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";

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
  const installed = (name: string) => join(installPrefix, "lib", "node_modules", "@wgfleet", name);

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    work = await mkdtemp(join(tmpdir(), "wgfleet-install-"));
    installPrefix = join(work, "prefix");
    const packed = await pack({ outDir: join(work, "release"), build: false });
    version = packed.version;
    const started = Date.now();
    await run(
      "npm",
      ["install", "-g", "--prefix", installPrefix, "--prefer-offline", "--no-audit", "--no-fund"].concat([
        packed.agent,
        packed.dashboard,
      ]),
      { cwd: work, maxBuffer: 16 * 1024 * 1024 },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const { stdout: size } = await run("du", ["-sh", installPrefix]);
    const tarballs = [packed.agent, packed.dashboard].map(
      (file) => `${(statSync(file).size / 1024).toFixed(0)} KiB`,
    );
    console.log(`install: ${seconds} s, ${size.split("\t")[0]} installed; tarballs ${tarballs.join(" + ")}`);
    fleet = await startFleet({ nodes: 1, prefix: PREFIX, runFrom: { prefix: installPrefix } });
    await fleet.registerNodes();
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
    for (const name of ["agent", "dashboard"]) {
      expect(packageCopies(installed(name), "@sinclair/typebox"), name).toEqual([
        join(installed(name), "node_modules", "@sinclair/typebox"),
      ]);
    }
    const unit = await readFile(join(installed("agent"), "wgfleet-agent.service"), "utf8");
    expect(unit).toContain("ExecStart=/usr/local/bin/wgfleet-agent ");
    expect(existsSync(join(installed("dashboard"), "wgfleet.service"))).toBe(true);
  });

  it("serves the web app from inside the installed dashboard package", async () => {
    expect(existsSync(join(installed("dashboard"), "web", "index.html"))).toBe(true);
    const page = await current().api.anonymous().get("/");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="app">');
  });

  it("creates a peer through the installed dashboard that is live on the installed agent", async () => {
    const api = current().api;
    const node = current().node(0);
    requireId(node);
    await createConfiguration(api, "installed", ["198.51.100.0/24"]);
    await placeConfiguration(current(), "installed", [{ node, pool: "198.51.100.0/24", listenPort: 51830 }]);
    const peer = await createPeer(api, "installed", { name: "from-the-package", node: requireId(node) });
    await expectLive(node.ns, node.interfaceName(0), [peer]);
  }, 60_000);
});
