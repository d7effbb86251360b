// stats: the traffic history and the live stats poller at fleet size — issue 13's targets.
//
// - stats.traffic_month_hourly_ms: the p50 of `GET /api/v1/stats/traffic?scope=fleet&from=<30 days
//   ago>&step=1h` to the built `wgfleet serve` (SQLite, `--no-local`) over loopback with an API key.
//   The data dir is seeded first with 1,000 peers on 10 interfaces (10 configurations) and 30 days of
//   synthetic traffic: for the last 7 days the minute buckets the poller writes (per interface, and per
//   peer only in the minutes it moved bytes — each peer in one of four minutes), before that the hourly
//   rows the rollup would have left when the minutes were pruned. Then the real rollup runs (minutes
//   into hours for 7 days, hours into days for 30) and the server starts on that data dir. Every answer
//   must hold one point per hour and sum to exactly the seeded bytes, or the suite fails. Also reported:
//   the same query for one peer, one configuration and the node, and how long seeding and rollup took.
// - stats.poll_round_10k_peers_ms: one live stats round (`services.stats.pollOnce()`, in-process as in
//   fleet.health_round_50_ms) over 10 real agents (fleet harness, built bins, network namespaces,
//   wireguard-go), each with one interface of 1,000 peers created through the peer service, every one
//   with a traffic quota (10 GiB monthly, warning at 80 %), so each busy round also adds every peer's
//   bytes to its quota in the round's transactions and runs the quota job after it. No client
//   sends through them, so for the reported rounds the bench adds bytes to every reading the agents
//   return (every peer moved, every twelfth rehandshaked): the median of 9 such busy rounds, each
//   storing 10,000 totals and peer minute buckets; also the median of 9 idle rounds (nothing moved)
//   and the first round. Every round must read 10,000 peers on 10 interfaces without a failure, and
//   a busy round must change all of them, and afterwards every quota must hold exactly the bytes its
//   peer's totals hold, or the suite fails. Needs root.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@wgfleet/core";
import { resolveNodeSettings } from "../../packages/dashboard/src/config/node-settings.js";
import { createDatabase, type Db, migrateToLatest } from "../../packages/dashboard/src/db/index.js";
import { startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import type { AppContext } from "../../packages/dashboard/src/http/context.js";
import { TEST_CONFIG } from "../../packages/dashboard/src/http/test-support/test-app.js";
import { QuotaRepository } from "../../packages/dashboard/src/lifecycle/quota.repository.js";
import { silentLogger } from "../../packages/dashboard/src/logging/logger.js";
import { SecretBox } from "../../packages/dashboard/src/secrets/secret-box.js";
import { createAppContext } from "../../packages/dashboard/src/services.js";
import { TrafficRollupRepository } from "../../packages/dashboard/src/stats/traffic-rollup.repository.js";
import { TrafficRollupService } from "../../packages/dashboard/src/stats/traffic-rollup.service.js";
import type { NodeTransport } from "../../packages/dashboard/src/transport/node-transport.js";
import {
  apiClient,
  createAdminApiKey,
  type ServerProcess,
  startServerProcess,
} from "../../test/dashboard/server-process.js";
import { startFleet } from "../../test/fleet/harness.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import type { BenchResult, BenchSuite } from "../types.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const HISTORY_PEERS = 1_000;
const HISTORY_INTERFACES = 10;
const HISTORY_DAYS = 30;
const MINUTE_DAYS = 7;
const QUERY_SAMPLES = 200;
const WARM_UP = 10;

const POLL_NODES = 10;
const PEERS_PER_NODE = 1_000;
const POLL_ROUNDS = 9;
/** Every peer's quota: far above what the rounds add, so the job looks at all of them and acts on none. */
const POLL_QUOTA = {
  bytes: 10 * 1024 ** 3,
  period: "monthly",
  action: "suspend",
  warnAtPercent: 80,
} as const;
const LISTEN_PORT = 51860;

function milliseconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---- stats.traffic_month_hourly_ms ---------------------------------------------------------------------

interface SeededFleet {
  /** Per interface: its configuration (one interface per configuration on node `local`). */
  configurationIds: string[];
  interfaceIds: string[];
  peerIds: string[];
}

/** The configuration, its 10 interfaces on node `local` and 1,000 peers, straight into the tables. */
async function seedPeers(db: Db): Promise<SeededFleet> {
  const now = iso(Date.now());
  await db
    .insertInto("nodes")
    .values({
      id: "local",
      name: "local",
      agent_url: null,
      secret_enc: null,
      secret_key_id: null,
      enabled: 1,
      weight: 100,
      max_peers: 1_000_000,
      endpoint_host: null,
      status: "unknown",
      status_reason: null,
      consecutive_failures: 0,
      last_health: null,
      last_seen_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const configurationIds = Array.from({ length: HISTORY_INTERFACES }, () => randomUUID());
  const interfaceIds = Array.from({ length: HISTORY_INTERFACES }, () => randomUUID());
  for (const [i, id] of interfaceIds.entries()) {
    const configurationId = configurationIds[i] as string;
    await db
      .insertInto("configurations")
      .values({
        id: configurationId,
        name: `benchhistory${i}`,
        description: "",
        dns: "[]",
        client_allowed_ips: '["2001:db8::/32"]',
        mtu: null,
        keepalive: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto("interfaces")
      .values({
        id,
        configuration_id: configurationId,
        node_id: "local",
        name: `bhist${i}`,
        private_key_enc: "x",
        public_key: generateKeyPair().publicKey,
        listen_port: 52_000 + i,
        endpoint: null,
        pool_v4: "",
        pool_v6: `2001:db8:c${i}::/64`,
        mtu: null,
        dns: null,
        revision: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const peerIds = Array.from({ length: HISTORY_PEERS }, () => randomUUID());
  for (let start = 0; start < peerIds.length; start += 100) {
    await db
      .insertInto("peers")
      .values(
        peerIds.slice(start, start + 100).map((id, k) => {
          const i = start + k;
          return {
            id,
            interface_id: interfaceIds[i % HISTORY_INTERFACES] as string,
            name: `peer-${i}`,
            description: null,
            public_key: randomBytes(32).toString("base64"),
            private_key_enc: null,
            preshared_key_enc: null,
            addresses: JSON.stringify([`2001:db8:c${i % HISTORY_INTERFACES}::${(i + 2).toString(16)}/128`]),
            client_allowed_ips: '["2001:db8::/32"]',
            dns: null,
            mtu: null,
            keepalive: null,
            enabled: 1,
            expires_at: null,
            state: "active" as const,
            created_at: now,
            updated_at: now,
          };
        }),
      )
      .execute();
  }
  return { configurationIds, interfaceIds, peerIds };
}

/** Bytes peer `i` moved in the bucket starting at `atMs` (deterministic, never zero). */
function bytesOf(i: number, atMs: number): { rx: number; tx: number } {
  const m = Math.floor(atMs / MINUTE);
  const rx = 1_000 + ((i * 31 + m * 7) % 5_000);
  return { rx, tx: 2 * rx + (i % 7) };
}

type Totals = { rx: number; tx: number };
type Row = { key: string; at: string; rx: number; tx: number };

/** 30 days of synthetic history; returns the bytes it wrote per peer, and overall. */
async function seedHistory(db: Db, fleet: SeededFleet, nowMs: number) {
  const minuteStart = Math.ceil((nowMs - MINUTE_DAYS * DAY) / HOUR) * HOUR;
  const hourStart = Math.floor((nowMs - HISTORY_DAYS * DAY) / HOUR) * HOUR;
  const minuteEnd = Math.floor(nowMs / MINUTE) * MINUTE;
  const perPeer = new Map<string, Totals>();
  const overall: Totals = { rx: 0, tx: 0 };
  const perConfiguration = new Map<string, Totals>();
  const book = (i: number, bytes: Totals) => {
    const peerId = fleet.peerIds[i] as string;
    const sum = perPeer.get(peerId) ?? { rx: 0, tx: 0 };
    sum.rx += bytes.rx;
    sum.tx += bytes.tx;
    perPeer.set(peerId, sum);
    overall.rx += bytes.rx;
    overall.tx += bytes.tx;
    const configuration = fleet.configurationIds[i % HISTORY_INTERFACES] as string;
    const c = perConfiguration.get(configuration) ?? { rx: 0, tx: 0 };
    perConfiguration.set(configuration, { rx: c.rx + bytes.rx, tx: c.tx + bytes.tx });
  };
  const interfaceOf = (i: number) => fleet.interfaceIds[i % HISTORY_INTERFACES] as string;

  // Hourly rows before the minute window: every peer moved bytes in every hour.
  for (let at = hourStart; at < minuteStart; at += HOUR) {
    const peers: Row[] = [];
    const interfaces = new Map<string, Totals>();
    for (const [i, peerId] of fleet.peerIds.entries()) {
      const b = bytesOf(i, at);
      const bytes = { rx: b.rx * 15, tx: b.tx * 15 };
      peers.push({ key: peerId, at: iso(at), ...bytes });
      book(i, bytes);
      const sum = interfaces.get(interfaceOf(i)) ?? { rx: 0, tx: 0 };
      interfaces.set(interfaceOf(i), { rx: sum.rx + bytes.rx, tx: sum.tx + bytes.tx });
    }
    await db.transaction().execute(async (trx) => {
      await insertPeerRows(trx, "traffic_peer_hours", peers);
      await trx
        .insertInto("traffic_interface_hours")
        .values(
          [...interfaces].map(([id, t]) => ({
            interface_id: id,
            node_id: "local",
            configuration_id: fleet.configurationIds[fleet.interfaceIds.indexOf(id)] as string,
            at: iso(at),
            rx_bytes: t.rx,
            tx_bytes: t.tx,
          })),
        )
        .execute();
    });
  }

  // Minute rows as the poller writes them: peer i moves bytes in the minutes where (minute + i) % 4 = 0.
  for (let hour = minuteStart; hour < minuteEnd; hour += HOUR) {
    const peers: Row[] = [];
    const interfaces: Array<{ id: string; at: string } & Totals> = [];
    for (let at = hour; at < Math.min(hour + HOUR, minuteEnd); at += MINUTE) {
      const m = Math.floor(at / MINUTE);
      const sums = new Map<string, Totals>();
      for (let i = (4 - (m % 4)) % 4; i < fleet.peerIds.length; i += 4) {
        const peerId = fleet.peerIds[i] as string;
        const bytes = bytesOf(i, at);
        peers.push({ key: peerId, at: iso(at), ...bytes });
        book(i, bytes);
        const sum = sums.get(interfaceOf(i)) ?? { rx: 0, tx: 0 };
        sums.set(interfaceOf(i), { rx: sum.rx + bytes.rx, tx: sum.tx + bytes.tx });
      }
      for (const [id, t] of sums) interfaces.push({ id, at: iso(at), ...t });
    }
    await db.transaction().execute(async (trx) => {
      await insertPeerRows(trx, "traffic_peer_minutes", peers);
      for (let s = 0; s < interfaces.length; s += 100) {
        await trx
          .insertInto("traffic_samples")
          .values(
            interfaces.slice(s, s + 100).map((r) => ({
              interface_id: r.id,
              node_id: "local",
              configuration_id: fleet.configurationIds[fleet.interfaceIds.indexOf(r.id)] as string,
              at: r.at,
              rx_bytes: r.rx,
              tx_bytes: r.tx,
            })),
          )
          .execute();
      }
    });
  }
  return { perPeer, perConfiguration, overall, fromMs: hourStart };
}

async function insertPeerRows(
  db: Db,
  table: "traffic_peer_hours" | "traffic_peer_minutes",
  rows: Row[],
): Promise<void> {
  for (let s = 0; s < rows.length; s += 200) {
    await db
      .insertInto(table)
      .values(
        rows.slice(s, s + 200).map((r) => ({ peer_id: r.key, at: r.at, rx_bytes: r.rx, tx_bytes: r.tx })),
      )
      .execute();
  }
}

interface HistoryAnswer {
  history: { step: string; points: Array<{ rxBytes: number; txBytes: number }> };
}

async function* trafficMonthHourly(): AsyncIterable<BenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), "wgfleet-bench-history-"));
  let server: ServerProcess | undefined;
  try {
    const nowMs = Date.now();
    const db = await createDatabase({ dataDir });
    let seeded: Awaited<ReturnType<typeof seedHistory>>;
    let fleet: SeededFleet;
    let seedSeconds: number;
    let rollupSeconds: number;
    let rows: { peerMinutes: number; peerHours: number; peerDays: number };
    try {
      await migrateToLatest(db);
      let t0 = process.hrtime.bigint();
      fleet = await seedPeers(db);
      seeded = await seedHistory(db, fleet, nowMs);
      seedSeconds = milliseconds(t0) / 1000;
      t0 = process.hrtime.bigint();
      const rollup = new TrafficRollupService({
        rollups: new TrafficRollupRepository(db),
        logger: silentLogger(),
      });
      const report = await rollup.runOnce();
      rollupSeconds = milliseconds(t0) / 1000;
      if (report.hoursUntil === null || report.daysUntil === null)
        throw new Error(`the rollup rolled nothing: ${JSON.stringify(report)}`);
      const count = async (table: "traffic_peer_minutes" | "traffic_peer_hours" | "traffic_peer_days") =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      rows = {
        peerMinutes: await count("traffic_peer_minutes"),
        peerHours: await count("traffic_peer_hours"),
        peerDays: await count("traffic_peer_days"),
      };
    } finally {
      await db.destroy();
    }

    const password = `pw-${randomBytes(12).toString("base64url")}`;
    server = await startServerProcess({ dataDir, extraArgs: ["--no-local"], adminPassword: password });
    const api = apiClient(server.url, await createAdminApiKey(server.url, password));
    const from = iso(seeded.fromMs);
    const to = iso(nowMs);
    const expectedPoints = Math.ceil((nowMs - seeded.fromMs) / HOUR);

    const measure = async (query: string, expected: Totals) => {
      const samples: number[] = [];
      for (let i = 0; i < QUERY_SAMPLES + WARM_UP; i++) {
        const t = performance.now();
        const answer = await api.request(
          "GET",
          `/api/v1/stats/traffic?${query}&from=${from}&to=${to}&step=1h`,
        );
        const ms = performance.now() - t;
        if (answer.status !== 200) throw new Error(`${query}: ${answer.status} ${answer.text}`);
        if (i === 0) {
          const { history } = answer.json() as HistoryAnswer;
          const sum = history.points.reduce((s, p) => ({ rx: s.rx + p.rxBytes, tx: s.tx + p.txBytes }), {
            rx: 0,
            tx: 0,
          });
          if (history.step !== "1h" || history.points.length !== expectedPoints)
            throw new Error(
              `${query}: ${history.points.length} points at ${history.step}, expected ${expectedPoints} at 1h`,
            );
          if (sum.rx !== expected.rx || sum.tx !== expected.tx)
            throw new Error(`${query}: sums ${JSON.stringify(sum)}, seeded ${JSON.stringify(expected)}`);
        }
        if (i >= WARM_UP) samples.push(ms);
      }
      return samples;
    };
    const fleetSamples = await measure("scope=fleet", seeded.overall);
    const onePeer = fleet.peerIds[7] as string;
    const peerSamples = await measure(`scope=peer&id=${onePeer}`, seeded.perPeer.get(onePeer) as Totals);
    const configurationSamples = await measure(
      "scope=configuration&id=benchhistory3",
      seeded.perConfiguration.get(fleet.configurationIds[3] as string) as Totals,
    );
    const nodeSamples = await measure("scope=node&id=local", seeded.overall);
    yield {
      bench: "stats.traffic_month_hourly_ms",
      value: percentile(fleetSamples, 0.5),
      unit: "ms",
      target: "< 50",
      p90: percentile(fleetSamples, 0.9),
      peerP50: percentile(peerSamples, 0.5),
      configurationP50: percentile(configurationSamples, 0.5),
      nodeP50: percentile(nodeSamples, 0.5),
      points: expectedPoints,
      samples: fleetSamples.length,
      peers: HISTORY_PEERS,
      ...rows,
      seedSeconds,
      rollupSeconds,
      what: "GET /api/v1/stats/traffic?scope=fleet, 30 days at 1h, built server over loopback, SQLite",
      load1: loadavg()[0],
    };
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---- stats.poll_round_10k_peers_ms ---------------------------------------------------------------------

/** The node's transport, with bytes added to every live reading (round r: r × 1,000 + i more each way). */
function withTraffic(transport: NodeTransport, round: () => number): NodeTransport {
  return new Proxy(transport, {
    get(target, property) {
      if (property === "readPeers") {
        return async (name: string) =>
          (await target.readPeers(name)).map((peer, i) => ({
            ...peer,
            rxBytes: peer.rxBytes + round() * (1_000 + i),
            txBytes: peer.txBytes + round() * (2_000 + i),
            latestHandshake: (i + round()) % 12 === 0 ? Math.floor(Date.now() / 1000) : peer.latestHandshake,
          }));
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The dashboard's services in this process, on a fresh SQLite data dir; no server, no timers. */
async function inProcessDashboard(dataDir: string): Promise<AppContext> {
  const db = await createDatabase({ dataDir });
  await migrateToLatest(db);
  const context = await createAppContext({
    db,
    dataDir,
    secrets: SecretBox.fromKey(randomBytes(32)),
    logger: silentLogger(),
    config: { ...TEST_CONFIG, version: "bench" },
    nodes: resolveNodeSettings({}, {}),
  });
  await startDomainServices(context.services);
  return context;
}

async function* pollRound(): AsyncIterable<BenchResult> {
  const missing = missingPrerequisites(wireguardPrerequisites());
  if (missing) throw new Error(`stats.poll_round_10k_peers_ms needs root and WireGuard: ${missing}`);
  const fleet = await startFleet({
    nodes: POLL_NODES,
    prefix: "mbs",
    dashboard: false,
    runFrom: "build",
    concurrency: 4,
    driftIntervalSeconds: 3_600,
  });
  const dataDir = await mkdtemp(join(tmpdir(), "wgfleet-bench-stats-"));
  let context: AppContext | null = null;
  try {
    context = await inProcessDashboard(dataDir);
    const services = context.services;
    await services.configurations.create(
      { name: "benchstats", clientAllowedIps: ["2001:db8::/32"] },
      "bench",
    );
    for (const node of fleet.nodes) {
      const created = await services.nodeAdmin.create(
        {
          name: node.name,
          agentUrl: node.agentUrl,
          secret: node.secret,
          endpoint: node.address,
          maxPeers: PEERS_PER_NODE + 100,
        },
        "bench",
      );
      node.id = created.id;
      await services.interfaces.addToNode(
        "benchstats",
        {
          nodeId: created.id,
          listenPort: LISTEN_PORT,
          pool6: `2001:db8:d${(node.index + 1).toString(16).padStart(3, "0")}::/64`,
          interfaceName: node.interfaceName(0),
        },
        "bench",
      );
    }
    // 1,000 peers per node through the peer service (each pushed to its agent), 8 at a time.
    const t0 = process.hrtime.bigint();
    let next = 0;
    const total = POLL_NODES * PEERS_PER_NODE;
    const loop = async () => {
      while (next < total) {
        const i = next++;
        const node = fleet.nodes[i % POLL_NODES];
        await services.peers.create(
          "benchstats",
          {
            name: `peer-${String(i).padStart(5, "0")}`,
            node: node?.id as string,
            quota: POLL_QUOTA,
          },
          "bench",
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => loop()));
    const createSeconds = milliseconds(t0) / 1000;

    /** POLL_ROUNDS timed rounds; each must read every peer on every node, and change `changed` of them. */
    const timeRounds = async (label: string, changed: (n: number) => boolean, before = () => {}) => {
      const rounds: number[] = [];
      for (let i = 0; i < POLL_ROUNDS; i++) {
        before();
        const start = process.hrtime.bigint();
        const report = await services.stats.pollOnce();
        rounds.push(milliseconds(start));
        const ok = report.peersRead === total && report.interfaces === POLL_NODES && report.failures === 0;
        if (!ok || !changed(report.peersChanged))
          throw new Error(`${label} round ${i}: ${JSON.stringify(report)} (expected ${total} peers read)`);
      }
      return rounds;
    };
    // The first round stores every peer's first reading: not a steady state.
    const start = process.hrtime.bigint();
    await services.stats.pollOnce();
    const firstRoundMs = milliseconds(start);
    const idle = await timeRounds("idle", (n) => n === 0);
    // No client sends through these peers, so their counters stand still. For the busy rounds every
    // reading from the agents gets bytes added before the dashboard sees it (and every twelfth peer a
    // new handshake, as a 2-minute rekey at a 10 s interval gives): each round then stores 10,000
    // totals and 10,000 peer minute buckets, and the quota checks have every peer to look at.
    let round = 0;
    for (const node of fleet.nodes) {
      const real = services.nodeTransports.tryGet(node.id as string);
      if (!real) throw new Error(`no transport for ${node.name}`);
      services.nodeTransports.register(
        node.id as string,
        withTraffic(real, () => round),
      );
    }
    const busy = await timeRounds(
      "busy",
      (n) => n === total,
      () => round++,
    );
    // Every peer's quota counted exactly what its totals hold (the quotas were set before any reading).
    const counted = await quotaAgreement(context.db);
    if (counted.quotas !== total || counted.mismatched !== 0)
      throw new Error(`quota usage does not match the totals: ${JSON.stringify(counted)}`);
    yield {
      bench: "stats.poll_round_10k_peers_ms",
      value: percentile(busy, 0.5),
      unit: "ms",
      target: "< 500",
      nodes: POLL_NODES,
      peers: total,
      peersWithQuota: counted.quotas,
      quotaBytesCounted: counted.usedBytes,
      rounds: busy.length,
      min: Math.min(...busy),
      max: Math.max(...busy),
      idleMedianMs: percentile(idle, 0.5),
      firstRoundMs,
      createSeconds,
      what: "services.stats.pollOnce() in-process over 10 real agents with 1,000 peers each, all with a quota, every peer's counters moved (median)",
      load1: loadavg()[0],
    };
  } finally {
    await context?.db.destroy().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    await fleet.stop();
  }
}

/** Quotas, and how many of them do not count exactly their peer's stored totals (rx and tx). */
async function quotaAgreement(db: Db): Promise<{ quotas: number; mismatched: number; usedBytes: number }> {
  const quotas = new QuotaRepository(db);
  const rows = await db
    .selectFrom("peer_quotas as q")
    .innerJoin("peer_stats as s", "s.peer_id", "q.peer_id")
    .select(["q.peer_id as peerId", "s.rx_bytes as rx", "s.tx_bytes as tx"])
    .execute();
  let mismatched = 0;
  let usedBytes = 0;
  for (const r of rows) {
    const quota = await quotas.find(r.peerId);
    if (quota?.usedRx !== Number(r.rx) || quota.usedTx !== Number(r.tx)) mismatched++;
    usedBytes += (quota?.usedRx ?? 0) + (quota?.usedTx ?? 0);
  }
  return { quotas: rows.length, mismatched, usedBytes };
}

const suite: BenchSuite = {
  name: "stats",
  description:
    "traffic history: a month at 1h over 1,000 peers; one stats round over 10,000 peers on 10 agents",
  async *run(): AsyncIterable<BenchResult> {
    yield* trafficMonthHourly();
    yield* pollRound();
  },
};

export default suite;
