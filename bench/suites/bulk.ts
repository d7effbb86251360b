// bulk: issue 15's bulk targets against 3 real agents (built `wgfleet-agent` processes in their own
// network namespaces with wireguard-go interfaces) and the built `wgfleet serve`, started by the fleet
// harness. Needs root.
//
// - bulk.create_1000_s: one `POST /api/v1/configurations/:name/peers/bulk {count: 1000, node: "auto"}`
//   over loopback, spread over the 3 agents (IPv6 /64 pools from 2001:db8::/32): one transaction and
//   one agent batch per node. Afterwards every peer must be live on the node the answer named with
//   exactly its address, and nothing else there, or the suite fails.
// - bulk.disable_1000_s: one `POST /api/v1/peers/bulk {filter: {configuration}, action: "disable"}`
//   over the same 1,000 peers; afterwards no peer may be left on any node.
//
// Beside each wall-clock figure: the CPU seconds the dashboard and the three agents used during the
// call (/proc/PID/stat), which other work on a shared machine disturbs far less than the wall clock.
import { loadavg } from "node:os";
import { type Fleet, startFleet } from "../../test/fleet/harness.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { liveAllowedIps } from "../live-peers.js";
import { cpuSeconds } from "../process-cpu.js";
import type { BenchResult, BenchSuite } from "../types.js";

const NODES = 3;
const COUNT = 1_000;
const LISTEN_PORT = 51860;
const NAME = "benchbulk";

interface CreatedPeer {
  node: string;
  publicKey: string;
  addresses: string[];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Every created peer live on the node the API named, with exactly its addresses; nothing else there. */
async function assertLive(fleet: Fleet, created: CreatedPeer[]): Promise<string> {
  const perNode: number[] = [];
  for (const node of fleet.nodes) {
    const mine = created.filter((peer) => peer.node === node.id);
    const live = await liveAllowedIps(node, node.interfaceName(0));
    const wrong = mine.filter((peer) => live.get(peer.publicKey) !== peer.addresses.join(" ")).length;
    if (wrong > 0 || live.size !== mine.length)
      throw new Error(
        `${node.name}: ${wrong} of ${mine.length} peers not live as created (${live.size} live)`,
      );
    perNode.push(mine.length);
  }
  if (perNode.reduce((sum, n) => sum + n, 0) !== created.length)
    throw new Error("peers on no node of the fleet");
  return perNode.join("/");
}

async function setUp(fleet: Fleet): Promise<void> {
  await fleet.registerNodes({ maxPeers: 100_000 });
  const api = fleet.api;
  await api.expect(
    "POST",
    "/api/v1/configurations",
    { name: NAME, clientAllowedIps: ["2001:db8::/32"] },
    [201],
  );
  for (const node of fleet.nodes) {
    await api.expect(
      "POST",
      `/api/v1/configurations/${NAME}/interfaces`,
      {
        nodeId: node.id,
        listenPort: LISTEN_PORT,
        pool6: `2001:db8:b${node.index + 1}::/64`,
        endpoint: node.endpoint(LISTEN_PORT),
        interfaceName: node.interfaceName(0),
      },
      [201],
    );
  }
}

async function* bulkBench(): AsyncIterable<BenchResult> {
  const fleet = await startFleet({
    nodes: NODES,
    prefix: "mbb",
    runFrom: "build",
    driftIntervalSeconds: 3_600,
    dashboard: { env: { WGFLEET_LOG_LEVEL: "warn" } },
  });
  try {
    await setUp(fleet);
    const load1Before = loadavg()[0];
    const pids = [fleet.dashboard?.pid ?? null, ...fleet.nodes.map((node) => node.agentPid)];
    const cpu = async () => Promise.all(pids.map(cpuSeconds));
    const used = (before: number[], after: number[]) => {
      const delta = after.map((value, i) => Number((value - (before[i] as number)).toFixed(2)));
      return {
        dashboardCpuS: delta[0],
        agentsCpuS: Number(
          delta
            .slice(1)
            .reduce((a, b) => a + b, 0)
            .toFixed(2),
        ),
      };
    };
    const cpu0 = await cpu();
    const t0 = process.hrtime.bigint();
    const answer = await fleet.api.post<{ created: CreatedPeer[]; failures: unknown[] }>(
      `/api/v1/configurations/${NAME}/peers/bulk`,
      { count: COUNT, namePrefix: "bulk", node: "auto" },
    );
    const createSeconds = seconds(t0);
    const createCpu = used(cpu0, await cpu());
    if (answer.status !== 201 || answer.json.created.length !== COUNT)
      throw new Error(`bulk creation: ${answer.status} ${answer.text.slice(0, 500)}`);
    const perNode = await assertLive(fleet, answer.json.created);
    yield {
      bench: "bulk.create_1000_s",
      value: createSeconds,
      unit: "s",
      target: "< 1",
      nodes: NODES,
      perNode,
      ...createCpu,
      load1Before,
      load1: loadavg()[0],
    };

    const cpu1 = await cpu();
    const t1 = process.hrtime.bigint();
    const disabled = await fleet.api.post<{ succeeded: number }>("/api/v1/peers/bulk", {
      filter: { configuration: NAME },
      action: "disable",
    });
    const disableSeconds = seconds(t1);
    const disableCpu = used(cpu1, await cpu());
    if (disabled.status !== 200 || disabled.json.succeeded !== COUNT)
      throw new Error(`bulk disable: ${disabled.status} ${disabled.text.slice(0, 500)}`);
    for (const node of fleet.nodes) {
      const left = (await liveAllowedIps(node, node.interfaceName(0))).size;
      if (left > 0) throw new Error(`${node.name}: ${left} peers still live after the bulk disable`);
    }
    yield {
      bench: "bulk.disable_1000_s",
      value: disableSeconds,
      unit: "s",
      target: "< 1",
      nodes: NODES,
      ...disableCpu,
      load1: loadavg()[0],
    };
  } finally {
    await fleet.stop();
  }
}

const suite: BenchSuite = {
  name: "bulk",
  description: "one bulk call creating 1,000 peers over 3 real agents, then one disabling them all",
  async *run(): AsyncIterable<BenchResult> {
    const missing = missingPrerequisites(wireguardPrerequisites());
    if (missing) throw new Error(`the bulk bench needs root and WireGuard: ${missing}`);
    yield* bulkBench();
  },
};

export default suite;
