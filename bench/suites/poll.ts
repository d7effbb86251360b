// poll: what the dashboard's polling costs one agent — a real wgfleet-agent (the build) in a network
// namespace with one wireguard-go interface of POLL_PEERS peers (default 3,000), asked what the
// dashboard's pollers ask every 10 s: `GET /v1/health?shared=1` (health poller) and `GET /v1/interfaces/
// :name/peers?shared=1` (stats poller), each alone and both back to back (as on the pollers' common
// tick), POLL_ROUNDS times (default 40) each, a round every POLL_GAP_MS (default 1,100: more than the
// agent's 1 s shared read, so the single calls are not shared with the previous round).
// Also a health request right after a peer changed (the digest of the desired state is redone then).
// Reported per request: the agent's CPU (/proc/PID/stat over all the rounds, so timers and GC are in it)
// and this process's (the dashboard's client: signing, reading, parsing and checking the answer).
// POLL_CPU_PROF_DIR=DIR (an existing dir): the agent writes a V8 CPU profile of the measured rounds
// (PID-1.cpuprofile, through bench/cpu-profile-signal.mjs). Needs root.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { generateKeyPair, type PeerSpec } from "@wgfleet/core";
import { AgentProcess } from "../../packages/agent/src/test-support/agent-process.js";
import { cleanupStale, createNamespace, uniqueName } from "../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { cpuSeconds } from "../process-cpu.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PREFIX = "apl";
const PROFILER = fileURLToPath(new URL("../cpu-profile-signal.mjs", import.meta.url));

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return value;
}

function peers(count: number): PeerSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    publicKey: randomBytes(32).toString("base64"),
    allowedIps: [`198.19.${Math.floor(i / 256)}.${i % 256}/32`],
  }));
}

/** This process's CPU seconds (user + system). */
function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function* runPollBench(): AsyncIterable<BenchResult> {
  const missing = missingPrerequisites(wireguardPrerequisites());
  if (missing) throw new Error(`the poll suite needs root and WireGuard: ${missing}`);
  const peerCount = numberFromEnv("POLL_PEERS", 3_000);
  const rounds = numberFromEnv("POLL_ROUNDS", 40);
  const gapMs = numberFromEnv("POLL_GAP_MS", 1_100);
  const profileDir = process.env.POLL_CPU_PROF_DIR;
  await cleanupStale(PREFIX);
  const ns = await createNamespace(PREFIX);
  if (profileDir) process.env.WGFLEET_BENCH_CPU_PROF_DIR = profileDir;
  const agent = await AgentProcess.create({
    netns: ns.name,
    listenHost: ns.nsAddress,
    useBuild: true,
    driftIntervalSeconds: 3_600,
    ...(profileDir ? { nodeArgs: ["--import", PROFILER] } : {}),
  });
  try {
    await agent.start();
    const client = agent.client({ timeoutMs: 120_000 });
    const pid = agent.pid as number;
    const name = uniqueName(PREFIX, 15);
    await client.putInterface({
      name,
      privateKey: generateKeyPair().privateKey,
      listenPort: 43000 + Math.floor(Math.random() * 1000),
      addresses: ["198.19.255.1/16"],
    });
    const specs = peers(peerCount);
    if (peerCount > 0) await client.batch(name, { upsert: specs, remove: [] });
    // A few calls first, as the scale bench's health rounds make before its idle window.
    for (let i = 0; i < 10; i++) {
      await client.health();
      await client.listPeers(name);
    }
    await sleep(1_000);

    const measure = async (call: () => Promise<unknown>) => {
      if (profileDir) process.kill(pid, "SIGUSR2");
      const agentBefore = await cpuSeconds(pid);
      const ownBefore = ownCpuSeconds();
      let ownCalls = 0;
      for (let round = 0; round < rounds; round++) {
        const started = ownCpuSeconds();
        await call();
        ownCalls += ownCpuSeconds() - started;
        await sleep(gapMs);
      }
      const agentMs = ((await cpuSeconds(pid)) - agentBefore) * 1000;
      const ownMs = (ownCpuSeconds() - ownBefore) * 1000;
      if (profileDir) process.kill(pid, "SIGUSR2");
      return { agentMs: agentMs / rounds, clientMs: ownCalls * (1000 / rounds), ownMs: ownMs / rounds };
    };

    const idle = await measure(async () => {});
    // As the pollers ask (`?shared=1`; an agent before shared reads ignores it).
    const shared = { shared: true };
    const health = await measure(() => client.health(shared));
    const stats = await measure(() => client.listPeers(name, shared));
    const both = await measure(async () => {
      await client.health(shared);
      await client.listPeers(name, shared);
    });
    // A health poll after a peer changed, as during a burst of creations: the state's digest is redone.
    // One peer's keepalive flips each round (the interface keeps its size); the change alone is
    // measured too and taken off.
    let flips = 0;
    const oneChange = async () => {
      const first = specs[0];
      if (!first) return;
      flips += 1;
      await client.batch(name, {
        upsert: [{ ...first, persistentKeepalive: flips % 2 === 1 ? 25 : 0 }],
        remove: [],
      });
    };
    const change = await measure(oneChange);
    const changeThenHealth = await measure(async () => {
      await oneChange();
      await client.health(shared);
    });
    const common = { peers: peerCount, rounds, gapMs, load1: loadavg()[0] };
    yield {
      bench: "poll.agent_idle_cpu_ms",
      value: idle.agentMs,
      unit: "ms",
      what: "agent CPU per round with nothing asked",
      ...common,
    };
    yield {
      bench: "poll.health_agent_cpu_ms",
      value: health.agentMs - idle.agentMs,
      unit: "ms",
      clientCpuMs: health.clientMs,
      ...common,
    };
    yield {
      bench: "poll.peers_agent_cpu_ms",
      value: stats.agentMs - idle.agentMs,
      unit: "ms",
      clientCpuMs: stats.clientMs,
      ...common,
    };
    yield {
      bench: "poll.health_and_peers_agent_cpu_ms",
      value: both.agentMs - idle.agentMs,
      unit: "ms",
      clientCpuMs: both.clientMs,
      ...common,
    };
    yield {
      bench: "poll.health_after_change_agent_cpu_ms",
      value: changeThenHealth.agentMs - change.agentMs,
      unit: "ms",
      what: "agent CPU of a health request right after one peer changed (the change's own CPU taken off)",
      changeAgentCpuMs: change.agentMs - idle.agentMs,
      ...common,
    };
  } finally {
    await agent.dispose();
    await ns.destroy();
  }
}

const suite: BenchSuite = {
  name: "poll",
  description: "one agent's CPU per health and per live-peers request (what the dashboard polls every 10 s)",
  run: runPollBench,
};

export default suite;
