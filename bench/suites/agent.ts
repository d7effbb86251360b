// agent: a real wgfleet-agent process in a network namespace driving real wireguard-go, called over
// the veth with signed requests (@wgfleet/agent/client) — issue 3's targets. Needs root.
// Every figure is checked: the peers must be present in `wg show` afterwards, or the suite fails.
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPair, type PeerSpec } from "@wgfleet/core";
import { AgentProcess } from "../../packages/agent/src/test-support/agent-process.js";
import { cleanupStale, createNamespace, type TestNamespace, uniqueName } from "../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { rssMegabytes } from "../measure.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PREFIX = "ag";
const SEQUENTIAL = 1_000;
const BATCH = 10_000;
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A syntactically valid WireGuard public key (any 32 bytes are accepted by WireGuard). */
function randomKey(): string {
  return randomBytes(32).toString("base64");
}

/** Peer i gets 2001:db8:NET::i+2/128: 10,000 distinct host routes from the documentation range. */
function peers(count: number, net: string): PeerSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    publicKey: randomKey(),
    allowedIps: [`2001:db8:${net}::${(i + 2).toString(16)}/128`],
  }));
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function livePeers(ns: TestNamespace, name: string): Promise<Set<string>> {
  const { stdout } = await ns.exec("wg", ["show", name, "peers"]);
  return new Set(stdout.split("\n").filter(Boolean));
}

async function assertAllPresent(ns: TestNamespace, name: string, expected: PeerSpec[]): Promise<void> {
  const live = await livePeers(ns, name);
  const missing = expected.filter((p) => !live.has(p.publicKey)).length;
  if (missing > 0 || live.size !== expected.length) {
    throw new Error(
      `${name}: ${missing} of ${expected.length} peers missing from wg show (${live.size} live)`,
    );
  }
}

/** Newest modification time under `dir` among files `keep` accepts (0 when none). */
function newest(dir: string, keep: (name: string) => boolean): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === "test-support" ? latest : Math.max(latest, newest(path, keep));
    return keep(entry.name) ? Math.max(latest, statSync(path).mtimeMs) : latest;
  }, 0);
}

/**
 * The built agent (what `npm run bench` runs after its build) is used when every package it needs has
 * a dist/ at least as new as its sources; otherwise the sources run through tsx, which costs memory.
 */
function buildIsFresh(): boolean {
  try {
    return ["agent", "core", "wireguard"].every((pkg) => {
      const source = newest(
        join(repoRoot, "packages", pkg, "src"),
        (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
      );
      const built = newest(join(repoRoot, "packages", pkg, "dist"), (f) => f.endsWith(".js"));
      return built >= source;
    });
  } catch {
    return false;
  }
}

/** Mean time the agent itself spent on the matching requests, from its request log lines. */
async function serverMs(agent: AgentProcess, method: string): Promise<number> {
  const times = (await agent.logText())
    .split("\n")
    .filter((line) => line.includes('"msg":"request"'))
    .map((line) => JSON.parse(line) as { method: string; status: number; ms: number })
    .filter((entry) => entry.method === method && entry.status === 200)
    .map((entry) => entry.ms);
  return times.reduce((sum, ms) => sum + ms, 0) / Math.max(1, times.length);
}

async function* runAgentBench(): AsyncIterable<BenchResult> {
  const missing = missingPrerequisites(wireguardPrerequisites());
  if (missing) throw new Error(`the agent suite needs root and WireGuard: ${missing}`);
  await cleanupStale(PREFIX);
  const useBuild = buildIsFresh();
  const runtime = useBuild ? "dist" : "tsx";
  const ns = await createNamespace(PREFIX);
  const agent = await AgentProcess.create({ netns: ns.name, listenHost: ns.nsAddress, useBuild });
  try {
    await agent.start();
    const client = agent.client({ timeoutMs: 120_000 });
    const pid = agent.pid as number;

    const seqName = uniqueName(`${PREFIX}s`, 15);
    await client.putInterface({
      name: seqName,
      privateKey: generateKeyPair().privateKey,
      listenPort: 41000 + Math.floor(Math.random() * 1000),
      addresses: ["2001:db8:a::1/64"],
    });
    const sequential = peers(SEQUENTIAL, "a");
    let start = process.hrtime.bigint();
    for (const peer of sequential) await client.upsertPeer(seqName, peer);
    const seqSeconds = seconds(start);
    await assertAllPresent(ns, seqName, sequential);
    yield {
      bench: "agent.upsert_1000_seq",
      value: seqSeconds,
      unit: "s",
      target: "< 5",
      perUpsertMs: (seqSeconds * 1000) / SEQUENTIAL,
      agentMsPerUpsert: await serverMs(agent, "PUT"),
      load1: loadavg()[0],
      runtime,
    };

    const batchName = uniqueName(`${PREFIX}b`, 15);
    await client.putInterface({
      name: batchName,
      privateKey: generateKeyPair().privateKey,
      listenPort: 42000 + Math.floor(Math.random() * 1000),
      addresses: ["2001:db8:b::1/64"],
    });
    const batch = peers(BATCH, "b");
    start = process.hrtime.bigint();
    await client.batch(batchName, { upsert: batch, remove: [] });
    const batchSeconds = seconds(start);
    await assertAllPresent(ns, batchName, batch);
    yield {
      bench: "agent.batch_10000",
      value: batchSeconds,
      unit: "s",
      target: "< 3",
      agentMs: await serverMs(agent, "POST"),
      load1: loadavg()[0],
      runtime,
    };

    yield {
      bench: "agent.rss_mb_10000",
      value: await rssMegabytes(pid),
      unit: "MB",
      target: "< 120",
      interfaces: 2,
      peers: SEQUENTIAL + BATCH,
      runtime,
    };
  } finally {
    await agent.dispose();
    await ns.destroy();
  }
}

const suite: BenchSuite = {
  name: "agent",
  description:
    "wgfleet-agent over a veth to real wireguard-go: 1,000 sequential signed upserts, a 10,000-peer batch, RSS",
  run: runAgentBench,
};

export default suite;
