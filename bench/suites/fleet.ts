// fleet: the multi-node targets of issue 5 against real agents (built `wgfleet-agent` processes, each
// in its own network namespace with a wireguard-go interface), started by the fleet harness. Needs root.
//
// - fleet.health_round_50_ms: one health polling round of the dashboard over 50 registered agents.
//   The dashboard's own poller code runs in this process (createAppContext over a fresh SQLite data
//   dir, no HTTP server, no interval job): each timed sample is one `services.nodeHealth.pollOnce()`,
//   i.e. the node table read, then every enabled node at once — signed `GET /v1/health` over the
//   veth, clock and latency check, the interface's desired-state digest compared with the database's,
//   stale `pending` peers looked for, the health stored in the database. Each node hosts one interface
//   (so every agent reads a live wireguard-go interface for its answer). Reported: the median of 9
//   rounds after one warm-up round; every round must report 50 nodes online, none failed, none pushed.
// - fleet.create_auto_1000_s: 1,000 `POST /api/v1/configurations/:name/peers` with `node: "auto"` from
//   8 concurrent clients to the built `wgfleet serve` over loopback, placed over 3 agents (IPv6 /64 pools
//   from 2001:db8::/32); afterwards every peer must be live on the node the API named, with exactly its
//   address, and nothing else may be there, or the suite fails.
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { AppContext } from "../../packages/dashboard/src/http/context.js";
import { type Fleet, type FleetApi, startFleet } from "../../test/fleet/harness.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { inProcessDashboard, registerInProcess, timeHealthRounds } from "../in-process-dashboard.js";
import { liveAllowedIps } from "../live-peers.js";
import { median, milliseconds } from "../measure.js";
import { cpuSeconds } from "../process-cpu.js";
import type { BenchResult, BenchSuite } from "../types.js";

const HEALTH_NODES = 50;
const HEALTH_ROUNDS = 9;
const CREATE_NODES = 3;
const CREATIONS = 1_000;
const CLIENTS = 8;
const LISTEN_PORT = 51850;

// ---- fleet.health_round_50_ms ------------------------------------------------------------------------

async function* healthRound(): AsyncIterable<BenchResult> {
  const fleet = await startFleet({
    nodes: HEALTH_NODES,
    prefix: "mbh",
    dashboard: false,
    runFrom: "build",
    concurrency: 8,
    driftIntervalSeconds: 3_600,
  });
  const dataDir = await mkdtemp(join(tmpdir(), "wgfleet-bench-fleet-"));
  let context: AppContext | null = null;
  try {
    context = await inProcessDashboard({ dataDir });
    const services = context.services;
    await registerInProcess(services, fleet.nodes, {
      configuration: "benchhealth",
      listenPort: LISTEN_PORT,
      maxPeers: 1_000,
      pool6: (node) => `2001:db8:b${(node.index + 1).toString(16).padStart(3, "0")}::/64`,
    });
    const links = await Promise.all(fleet.nodes.map((node) => node.wireguardLinks()));
    if (links.some((names) => names.length !== 1)) throw new Error("not every node has its interface up");

    const load1Before = loadavg()[0];
    const { samples: rounds } = await timeHealthRounds(services, HEALTH_NODES, HEALTH_ROUNDS);
    yield {
      bench: "fleet.health_round_50_ms",
      value: median(rounds),
      unit: "ms",
      target: "< 1000",
      nodes: HEALTH_NODES,
      rounds: rounds.length,
      min: Math.min(...rounds),
      max: Math.max(...rounds),
      what: "services.nodeHealth.pollOnce() in-process over 50 registered agents, each with one interface",
      load1Before,
      load1: loadavg()[0],
    };
  } finally {
    await context?.db.destroy().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    await fleet.stop();
  }
}

// ---- fleet.create_auto_1000_s --------------------------------------------------------------------------

interface CreatedPeer {
  node: string;
  publicKey: string;
  addresses: string[];
}

/** `count` auto creations from `clients` concurrent loops. */
async function createAuto(
  api: FleetApi,
  configuration: string,
  count: number,
  clients: number,
): Promise<CreatedPeer[]> {
  const created: CreatedPeer[] = [];
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const i = next++;
      const answer = await api.post<CreatedPeer>(`/api/v1/configurations/${configuration}/peers`, {
        name: `auto-${String(i).padStart(5, "0")}`,
        node: "auto",
      });
      if (answer.status !== 201) throw new Error(`creation ${i}: ${answer.status} ${answer.text}`);
      created.push(answer.json);
    }
  };
  await Promise.all(Array.from({ length: clients }, () => loop()));
  return created;
}

/** Every created peer live on the node the API named, with exactly its addresses; nothing else there. */
async function assertLiveOnTheirNodes(fleet: Fleet, created: CreatedPeer[]): Promise<Record<string, number>> {
  const perNode: Record<string, number> = {};
  for (const node of fleet.nodes) {
    const mine = created.filter((peer) => peer.node === node.id);
    const live = await liveAllowedIps(node, node.interfaceName(0));
    const wrong = mine.filter((peer) => live.get(peer.publicKey) !== peer.addresses.join(" ")).length;
    if (wrong > 0 || live.size !== mine.length) {
      throw new Error(
        `${node.name}: ${wrong} of ${mine.length} peers not live as created (${live.size} live)`,
      );
    }
    perNode[node.name] = mine.length;
  }
  const placed = Object.values(perNode).reduce((sum, n) => sum + n, 0);
  if (placed !== created.length) throw new Error(`${created.length - placed} peers on no node of the fleet`);
  return perNode;
}

async function* createAutoBench(): AsyncIterable<BenchResult> {
  const fleet = await startFleet({
    nodes: CREATE_NODES,
    prefix: "mbc",
    runFrom: "build",
    driftIntervalSeconds: 3_600,
    dashboard: { env: { WGFLEET_LOG_LEVEL: "warn" } },
  });
  try {
    await fleet.registerNodes({ maxPeers: 100_000 });
    const api = fleet.api;
    const name = "benchauto";
    await api.expect("POST", "/api/v1/configurations", { name, clientAllowedIps: ["2001:db8::/32"] }, [201]);
    for (const node of fleet.nodes) {
      await api.expect(
        "POST",
        `/api/v1/configurations/${name}/interfaces`,
        {
          nodeId: node.id,
          listenPort: LISTEN_PORT,
          pool6: `2001:db8:c${node.index + 1}::/64`,
          endpoint: node.endpoint(LISTEN_PORT),
          interfaceName: node.interfaceName(0),
        },
        [201],
      );
    }
    const load1Before = loadavg()[0];
    const pids = [fleet.dashboard?.pid ?? null, ...fleet.nodes.map((node) => node.agentPid)];
    const cpuBefore = await Promise.all(pids.map(cpuSeconds));
    const t0 = process.hrtime.bigint();
    const created = await createAuto(api, name, CREATIONS, CLIENTS);
    const seconds = milliseconds(t0) / 1000;
    const cpuUsed = (await Promise.all(pids.map(cpuSeconds))).map(
      (after, i) => after - (cpuBefore[i] as number),
    );
    const perNode = await assertLiveOnTheirNodes(fleet, created);
    yield {
      bench: "fleet.create_auto_1000_s",
      value: seconds,
      unit: "s",
      target: "< 8",
      clients: CLIENTS,
      nodes: CREATE_NODES,
      perNode: Object.values(perNode).join("/"),
      dashboardCpuS: cpuUsed[0],
      agentsCpuS: cpuUsed.slice(1).reduce((sum, cpu) => sum + cpu, 0),
      load1Before,
      load1: loadavg()[0],
    };
  } finally {
    await fleet.stop();
  }
}

const suite: BenchSuite = {
  name: "fleet",
  description: "multi-node: one health round over 50 real agents, 1,000 auto placements over 3",
  async *run(): AsyncIterable<BenchResult> {
    const missing = missingPrerequisites(wireguardPrerequisites());
    if (missing) throw new Error(`the fleet bench needs root and WireGuard: ${missing}`);
    yield* healthRound();
    yield* createAutoBench();
  },
};

export default suite;
