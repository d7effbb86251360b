// The install smoke on the other supported Node versions, 22 and 24 (the suite itself runs on the
// machine's Node, 20, where packages.test.ts runs the same steps with more checks). Each Node comes from
// the npm `node` package, cached under node_modules/.cache/wgfleet-node (node-runtime.ts). That package
// has no npm, so the machine's npm installs the tarballs, run by that Node: npm then picks, within the
// dashboard's range `^12.11.1 || ^13.2.0`, the newest better-sqlite3 whose `engines` admit that Node
// (13, Node-API with prebuilt binaries, from Node 22 on; 12, compiled against that Node's headers, on
// Node 20). Then the installed `wgfleet-agent` and `wgfleet serve` run on it, a peer is created through
// the agent and its client pings through the tunnel (smoke.ts). Times are printed per version.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PackResult, pack } from "../../scripts/pack.js";
import { cleanupStale, type Fleet } from "../fleet/harness.js";
import { installedBin } from "../fleet/run-from.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { ensureNodeRuntime, type NodeRuntime } from "./node-runtime.js";
import { createPeerAndPing, installTarballs, probeInstalledSqlite, startInstalledFleet } from "./smoke.js";

const run = promisify(execFile);
const skip = missingPrerequisites(wireguardPrerequisites());
/** Download (retries included), installing on a loaded machine, starting the fleet. */
const SETUP_TIMEOUT_MS = 900_000;
/**
 * Each Node with the better-sqlite3 major npm must choose for it. Node 24 needs 13: 12 built against
 * Node 24.19+ headers aborts when V8 collects a statement (sqlite-gc-probe.cjs); 13 crashes on Node 20.
 */
const VERSIONS = [
  { major: 22, fleetPrefix: "nv22", sqliteMajor: 13 },
  { major: 24, fleetPrefix: "nv24", sqliteMajor: 13 },
];

describe.skipIf(skip)("the packed tarballs on other Node versions", () => {
  let work = "";
  let packed: PackResult | null = null;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "wgfleet-node-versions-"));
    packed = await pack({ outDir: join(work, "release"), build: false });
  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe.each(VERSIONS)("on Node $major", ({ major, fleetPrefix, sqliteMajor }) => {
    let runtime: NodeRuntime | null = null;
    let prefix = "";
    let fleet: Fleet | null = null;
    let started = 0;
    /** Why this version is skipped on a laptop (no registry to fetch Node from); in CI that fails instead. */
    let unavailable: string | null = null;
    const log = (line: string) => console.log(`node ${major}: ${line}`);

    beforeAll(async () => {
      started = Date.now();
      await cleanupStale(fleetPrefix);
      try {
        runtime = await ensureNodeRuntime(major, log);
      } catch (error) {
        if (process.env.CI === "true") throw error;
        unavailable = `no Node ${major}: ${(error as Error).message}`;
        console.warn(`skipping: ${unavailable}`);
        return;
      }
      if (!packed) throw new Error("the tarballs were not packed (see the first beforeAll error)");
      prefix = join(work, `prefix-${major}`);
      const report = await installTarballs(packed, prefix, work, runtime);
      log(`${runtime.version}: install ${report.seconds} s, ${report.size} installed`);
      fleet = await startInstalledFleet(fleetPrefix, prefix, runtime.node);
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await fleet?.stop();
      if (started) log(`smoke took ${Math.round((Date.now() - started) / 1000)} s in all`);
    }, 120_000);

    it("runs both installed commands on that Node", async (context) => {
      if (unavailable) context.skip(unavailable);
      const node = runtime?.node;
      if (!node || !packed) throw new Error("no runtime (see the beforeAll error)");
      for (const name of ["wgfleet", "wgfleet-agent"]) {
        const { stdout } = await run(node, [installedBin({ prefix }, name), "--version"]);
        expect(stdout.trim(), name).toBe(packed.version);
      }
      const { stdout } = await run(node, ["-p", "process.versions.node"]);
      expect(stdout.trim().split(".")[0]).toBe(String(major));
    });

    it(`installs better-sqlite3 ${sqliteMajor}, which survives V8 collecting its statements`, async (context) => {
      if (unavailable) context.skip(unavailable);
      if (!runtime) throw new Error("no runtime (see the beforeAll error)");
      const version = await probeInstalledSqlite(prefix, runtime.node);
      log(`better-sqlite3 ${version}`);
      expect(version.split(".")[0]).toBe(String(sqliteMajor));
    }, 120_000);

    it("creates a peer through the installed dashboard and agent, and its client pings", async (context) => {
      if (unavailable) context.skip(unavailable);
      if (!fleet) throw new Error("the fleet did not start (see the beforeAll error)");
      await createPeerAndPing(fleet, `node${major}`);
    }, 60_000);
  });
});
