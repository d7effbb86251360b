// scale — peers (issue 17): one configuration of 100,000 peers on two real agents (wireguard-go in
// network namespaces; wireguard-go holds at most 65,536 peers an interface, so one agent cannot take
// them all), three built `wgfleet serve` replicas on one private PostgreSQL. The peers are real wgfleet
// peers, made through the bulk API (1,000 a request, the nodes in turn) and checked live in `wg show`
// afterwards. Then pages of 100 are read through the cursor, spread over the replicas, and each
// replica's VmRSS is taken. Pages are also read right after the fill (`rightAfterFill`), while
// PostgreSQL still plans with the statistics it took during the fill (peers/peer-page-plan.test.ts holds
// the page's plan to the name index whatever they say). `peerScaleResults` is also what the `scale`
// suite runs for these two figures; `npm run bench -- scale-peers` runs it alone. Needs root,
// wireguard-go and PostgreSQL.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { type ApiClient, apiClient } from "../../test/dashboard/server-process.js";
import { type Fleet, startFleet } from "../../test/fleet/harness.js";
import { createConfiguration, placeConfiguration, requireId } from "../../test/multinode/support.js";
import {
  type PostgresServer,
  postgresUnavailableReason,
  startPostgres,
  stopPostgres,
} from "../../test/support/postgres.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { percentile, rssMegabytes } from "../measure.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PEERS = 100_000;
const NODES = 2;
const BULK = 1_000;
/** The fill gives up (and the suite fails) past this: a bound, not a target. */
const FILL_LIMIT_MS = 40 * 60_000;
const REPLICAS = 3;
const PAGE = 100;
const WARMUP = 15;
const SAMPLES = 150;
const CONFIGURATION = "scalepeers";
const LISTEN_PORT = 51_900;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function withPostgres<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** PEERS peers in bulk requests of BULK, sequentially (each pushes its peers to the agent at once). */
async function fill(api: ApiClient, nodeIds: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + FILL_LIMIT_MS;
  for (let i = 0; i < PEERS / BULK; i++) {
    if (Date.now() > deadline)
      throw new Error(`the fill passed ${FILL_LIMIT_MS / 60_000} min at ${i * BULK} peers`);
    const answer = await api.request("POST", `/api/v1/configurations/${CONFIGURATION}/peers/bulk`, {
      count: BULK,
      namePrefix: `s${String(i).padStart(3, "0")}`,
      node: nodeIds[i % nodeIds.length],
      presharedKey: false,
    });
    if (answer.status !== 201) throw new Error(`bulk ${i}: ${answer.status} ${answer.text.slice(0, 500)}`);
    const created = answer.json().created.length;
    if (created !== BULK) throw new Error(`bulk ${i}: ${created} of ${BULK} created`);
  }
  return seconds(t0);
}

/**
 * SAMPLES pages of PAGE after WARMUP, walking the configuration through the cursor from its first peer,
 * each request to the next replica in turn (a cursor from one replica is good on any). Every page is
 * checked: PAGE items and the whole configuration's total.
 */
async function pageLatencies(apis: ApiClient[]): Promise<number[]> {
  const samples: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const api = apis[i % apis.length] as ApiClient;
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const t = performance.now();
    const page = await api.request(
      "GET",
      `/api/v1/configurations/${CONFIGURATION}/peers?limit=${PAGE}${query}`,
    );
    const ms = performance.now() - t;
    if (page.status !== 200) throw new Error(`page ${i}: ${page.status} ${page.text.slice(0, 300)}`);
    const body = page.json();
    if (body.items.length !== PAGE || body.total !== PEERS)
      throw new Error(`page ${i}: ${body.items.length} items, total ${body.total}`);
    cursor = body.nextCursor;
    if (i >= WARMUP) samples.push(ms);
  }
  return samples.sort((a, b) => a - b);
}

export async function* peerScaleResults(): AsyncIterable<BenchResult> {
  const missing = missingPrerequisites(wireguardPrerequisites()) ?? postgresUnavailableReason();
  if (missing) throw new Error(`the scale-peers bench needs root, WireGuard and PostgreSQL: ${missing}`);
  let postgres: PostgresServer | undefined;
  let fleet: Fleet | undefined;
  try {
    postgres = await startPostgres();
    const database = `wgfleet_scale_${randomBytes(4).toString("hex")}`;
    await withPostgres(postgres.url, (client) => client.query(`create database ${database}`));
    const databaseUrl = postgres.url.replace(/\/postgres$/, `/${database}`);
    fleet = await startFleet({
      nodes: NODES,
      prefix: "bsp",
      runFrom: "build",
      driftIntervalSeconds: 3_600,
      dashboard: { databaseUrl },
    });
    const nodes = await fleet.registerNodes({ maxPeers: PEERS });
    await createConfiguration(fleet.api, CONFIGURATION, ["2001:db8::/32"]);
    await placeConfiguration(
      fleet,
      CONFIGURATION,
      nodes.map((node, k) => ({ node, pool6: `2001:db8:5ca${k}::/64`, listenPort: LISTEN_PORT })),
    );
    const first = fleet.dashboards[0];
    if (!first) throw new Error("the fleet has no dashboard");
    const fillSeconds = await fill(apiClient(first.url, first.apiKey), nodes.map(requireId));
    for (const node of nodes) {
      const live = (await node.ns.exec("wg", ["show", node.interfaceName(0), "peers"])).stdout
        .split("\n")
        .filter(Boolean).length;
      if (live !== PEERS / NODES)
        throw new Error(`${node.name}: ${live} of ${PEERS / NODES} peers live in wg show`);
    }

    // Right after the fill, on the replica that made it: PostgreSQL's statistics are still those taken
    // while the table filled (autovacuum analyzes again about a minute later).
    const afterFill = await pageLatencies([apiClient(first.url, first.apiKey)]);
    // The other replicas start with the 100,000 peers already in the database, as a restart would.
    const t0 = process.hrtime.bigint();
    for (let i = 1; i < REPLICAS; i++) await fleet.addDashboard();
    const replicasStartSeconds = seconds(t0);
    const apis = fleet.dashboards.map((dashboard) => apiClient(dashboard.url, dashboard.apiKey));
    const samples = await pageLatencies(apis);
    yield {
      bench: "scale.list_page_p50_ms_100k",
      value: percentile(samples, 0.5),
      unit: "ms",
      target: "< 25",
      p90: percentile(samples, 0.9),
      p99: percentile(samples, 0.99),
      samples: samples.length,
      rightAfterFill: {
        p50: percentile(afterFill, 0.5),
        p90: percentile(afterFill, 0.9),
        max: afterFill.at(-1),
      },
      replicas: apis.length,
      peers: PEERS,
      nodes: NODES,
      fillSeconds,
      replicasStartSeconds,
      load1: loadavg()[0],
    };

    const rss: number[] = [];
    for (const dashboard of fleet.dashboards) {
      if (dashboard.pid === null) throw new Error("a replica is not running");
      rss.push(await rssMegabytes(dashboard.pid));
    }
    yield {
      bench: "scale.rss_mb_100k",
      value: Math.max(...rss),
      unit: "MB",
      target: "< 300",
      each: rss.map((mb) => mb.toFixed(1)).join("/"),
      peers: PEERS,
      note: "VmRSS of each replica after the list bench; the first one made the 100,000 peers",
      load1: loadavg()[0],
    };
  } finally {
    await fleet?.stop();
    if (postgres) await stopPostgres(postgres);
  }
}

const suite: BenchSuite = {
  name: "scale-peers",
  description:
    "100,000 peers in one configuration, 3 replicas on PostgreSQL: a list page, each replica's memory",
  run: peerScaleResults,
};

export default suite;
