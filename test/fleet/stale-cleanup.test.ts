// After a crash (a fleet run killed with SIGKILL) the next run's cleanupStale(prefix) removes what it
// left: namespaces, wireguard-go processes and sockets, the agent and dashboard processes, the temp
// dir — and leaves a live fleet with the same prefix alone. Also the underlay guard.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DEFAULT_RUN_DIR, runCommand } from "@wgfleet/wireguard";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, type TestNamespace } from "../support/netns.js";
import { processStartTime } from "../support/ownership.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { cleanupStale, type Fleet, startFleet } from "./harness.js";
import { repoRoot } from "./run-from.js";
import { processesNaming } from "./stale-cleanup.js";
import { foreignUnderlayAddresses } from "./underlay-guard.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "fk";

interface FleetRun {
  dir: string;
  namespaces: string[];
  interfaces: string[];
  pids: number[];
}

/** Runs fixtures/fleet-run.ts until it says READY, then sends it `signal`; what it made, and how it ended. */
async function interruptARun(
  signal: NodeJS.Signals,
  track: (child: ChildProcess) => void,
): Promise<{ made: FleetRun; exit: number | string | null }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "test/fleet/fixtures/fleet-run.ts"), PREFIX],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  track(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, killedBy) => resolve(code ?? killedBy)),
  );
  const made = await new Promise<FleetRun>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve(JSON.parse(line.slice(6)) as FleetRun);
    });
    child.once("exit", (code) => reject(new Error(`fleet-run.ts exited (${code}) before READY:\n${stderr}`)));
  });
  child.kill(signal);
  return { made, exit: await exited };
}

/** Asserts that nothing `run` made is left: processes, namespaces, veths, wireguard-go, sockets, dir. */
async function expectAllGone(run: FleetRun): Promise<void> {
  for (const pid of run.pids) expect(await alive(pid)).toBe(false);
  expect(await processesNaming(run.dir)).toEqual([]);
  const namespaces = await namespaceList();
  for (const name of run.namespaces) expect(namespaces).not.toContain(name);
  const links = (await runCommand("ip", ["-o", "link", "show"])).stdout;
  for (const name of run.namespaces) expect(links).not.toContain(`${name}h`);
  const wireguardGo = await wireguardGoLines();
  for (const name of run.interfaces) expect(wireguardGo).not.toContain(name);
  const sockets = await readdir(DEFAULT_RUN_DIR).catch(() => [] as string[]);
  for (const name of run.interfaces) expect(sockets).not.toContain(`${name}.sock`);
  expect(existsSync(run.dir)).toBe(false);
}

async function namespaceList(): Promise<string> {
  return (await runCommand("ip", ["netns", "list"])).stdout;
}

async function wireguardGoLines(): Promise<string> {
  try {
    return (await runCommand("pgrep", ["-af", "wireguard-go"])).stdout;
  } catch {
    return "";
  }
}

/** A zombie (killed, not yet reaped by init) counts as gone. */
async function alive(pid: number): Promise<boolean> {
  return (await processStartTime(pid)) !== null;
}

describe.skipIf(skip)("cleanupStale after a crashed fleet run", () => {
  let child: ChildProcess | null = null;
  let live: Fleet | null = null;

  beforeAll(async () => {
    await cleanupStale(PREFIX);
  });

  afterAll(async () => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    await live?.stop();
    await cleanupStale(PREFIX);
  });

  it("removes the namespaces, wireguard-go, sockets, agent, dashboard and temp dir a SIGKILLed run left", async () => {
    const { made: crashed } = await interruptARun("SIGKILL", (spawned) => {
      child = spawned;
    });
    // The crash left everything behind.
    for (const pid of crashed.pids) expect(await alive(pid)).toBe(true);
    expect(existsSync(crashed.dir)).toBe(true);
    for (const name of crashed.namespaces) expect(await namespaceList()).toContain(name);
    for (const name of crashed.interfaces) expect(await wireguardGoLines()).toContain(name);
    expect(await readdir(DEFAULT_RUN_DIR)).toEqual(
      expect.arrayContaining(crashed.interfaces.map((n) => `${n}.sock`)),
    );

    await cleanupStale(PREFIX);

    await expectAllGone(crashed);
  });

  it("tears a fleet down itself on SIGTERM", async () => {
    const { made, exit } = await interruptARun("SIGTERM", (spawned) => {
      child = spawned;
    });
    expect(exit).toBe(143);
    await expectAllGone(made);
  });

  it("leaves a live fleet with the same prefix alone", async () => {
    live = await startFleet({ nodes: 1, prefix: PREFIX, dashboard: false });
    const node = live.node(0);
    await cleanupStale(PREFIX);
    expect(existsSync(live.dir)).toBe(true);
    expect(await namespaceList()).toContain(node.ns.name);
    expect(node.agentRunning).toBe(true);
    expect((await node.agentClient().health()).interfaces).toEqual([]);
  });
});

describe.skipIf(skip)("the underlay guard", () => {
  let ns: TestNamespace | null = null;

  afterAll(async () => {
    await ns?.destroy();
  });

  it("reports 198.18.0.0/16 addresses the test support did not make, and only those", async () => {
    ns = await createNamespace(`${PREFIX}g`);
    // The namespace's own veth address is a claimed /30: ours.
    expect(await foreignUnderlayAddresses({ netns: ns.name })).toEqual([]);
    await ns.exec("ip", ["link", "add", "dev", "probe0", "type", "veth", "peer", "name", "probe1"]);
    await ns.exec("ip", ["address", "add", "203.0.113.77/24", "dev", "probe0"]);
    expect(await foreignUnderlayAddresses({ netns: ns.name })).toEqual([]);
    await ns.exec("ip", ["address", "add", "198.18.0.250/24", "dev", "probe0"]);
    await ns.exec("ip", ["address", "add", "198.19.0.1/15", "dev", "probe0"]);
    expect(await foreignUnderlayAddresses({ netns: ns.name })).toEqual([
      "198.18.0.250/24 on probe0",
      "198.19.0.1/15 on probe0",
    ]);
  });
});
