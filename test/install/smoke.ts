// The steps every install test runs, whatever Node it runs on: install the packed tarballs into an empty
// prefix, start the installed `wgfleet-agent` (in a node namespace) and `wgfleet serve` from it, then add
// the node, put a configuration on it, create a peer, check it is live in the agent's WireGuard
// interface and that a client with the peer's config pings the node's tunnel address.
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "vitest";
import type { PackResult } from "../../scripts/pack.js";
import { type Fleet, startFleet } from "../fleet/harness.js";
import {
  type ApiPeer,
  createConfiguration,
  createPeer,
  expectLive,
  placeConfiguration,
  requireId,
} from "../multinode/support.js";
import type { NodeRuntime } from "./node-runtime.js";

const run = promisify(execFile);

/** The pool of the smoke's configuration and the node's address in it (the gateway a client pings). */
export const SMOKE_POOL = "198.51.100.0/24";
export const SMOKE_GATEWAY = "198.51.100.1";

export interface InstallReport {
  seconds: number;
  /** `du -sh` of the prefix. */
  size: string;
  /** The two tarballs' sizes. */
  tarballs: string;
}

/** The machine's npm as a script, so another Node can run it (the `node` package brings no npm). */
async function npmCli(): Promise<string> {
  const { stdout } = await run("npm", ["root", "-g"]);
  return join(stdout.trim(), "npm", "bin", "npm-cli.js");
}

/**
 * `npm install -g --prefix PREFIX` of both tarballs, from npm's cache where it can. With a runtime, npm
 * runs on that Node, with it first on PATH (install scripts) and its headers as node-gyp's nodedir, so
 * native addons (better-sqlite3) are built for the Node that will run them.
 */
export async function installTarballs(
  packed: PackResult,
  prefix: string,
  cwd: string,
  runtime?: NodeRuntime,
): Promise<InstallReport> {
  const args = ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund"];
  const tarballs = [packed.agent, packed.dashboard];
  const started = Date.now();
  if (runtime) {
    await run(runtime.node, [await npmCli(), ...args, ...tarballs], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        PATH: `${join(runtime.node, "..")}:${process.env.PATH ?? ""}`,
        npm_config_nodedir: runtime.headers,
      },
    });
  } else {
    await run("npm", [...args, ...tarballs], { cwd, maxBuffer: 16 * 1024 * 1024 });
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const { stdout } = await run("du", ["-sh", prefix]);
  const sizes = tarballs.map((file) => `${(statSync(file).size / 1024).toFixed(0)} KiB`).join(" + ");
  return { seconds, size: stdout.split("\t")[0] ?? "?", tarballs: sizes };
}

/** The package @wgfleet/`name` inside a prefix that `npm install -g --prefix PREFIX` filled. */
export function installedPackage(prefix: string, name: "agent" | "dashboard"): string {
  return join(prefix, "lib", "node_modules", "@wgfleet", name);
}

const SQLITE_GC_PROBE = fileURLToPath(new URL("./sqlite-gc-probe.cjs", import.meta.url));

/**
 * The version of the better-sqlite3 that the installed dashboard loads on `node` (default this Node),
 * after sqlite-gc-probe.cjs had V8 collect 40,000 of its statements: a build that aborts or crashes when
 * its statements are collected (better-sqlite3 12 on Node 24.19+, 13 on Node 20) rejects with the
 * signal and the native message.
 */
export async function probeInstalledSqlite(prefix: string, node = process.execPath): Promise<string> {
  const { stdout } = await run(node, [SQLITE_GC_PROBE, installedPackage(prefix, "dashboard")], {
    timeout: 120_000,
  });
  return stdout.trim();
}

/** A one-node fleet whose agent and dashboard are the installed commands, run by `node` (default this Node). */
export async function startInstalledFleet(
  fleetPrefix: string,
  prefix: string,
  node?: string,
): Promise<Fleet> {
  const fleet = await startFleet({
    nodes: 1,
    prefix: fleetPrefix,
    runFrom: node ? { prefix, node } : { prefix },
  });
  try {
    await fleet.registerNodes();
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}

/** The smoke proper: a peer created through the dashboard is live on the agent and its client pings. */
export async function createPeerAndPing(fleet: Fleet, configuration: string): Promise<ApiPeer> {
  const api = fleet.api;
  const node = fleet.node(0);
  await createConfiguration(api, configuration, [SMOKE_POOL]);
  await placeConfiguration(fleet, configuration, [{ node, pool: SMOKE_POOL, listenPort: 51830 }]);
  const peer = await createPeer(api, configuration, { name: "from-the-package", node: requireId(node) });
  await expectLive(node.ns, node.interfaceName(0), [peer]);
  const client = await fleet.createClient(peer.id);
  try {
    expect(await client.ping(SMOKE_GATEWAY), `a client of ${peer.name} pings ${SMOKE_GATEWAY}`).toBe(true);
  } finally {
    await fleet.removeClient(client);
  }
  return peer;
}
