// scale: issue 17's fleet-size targets, against 100 real agents (built `wgfleet-agent` processes, one
// per network namespace, each managing one real wireguard-go interface) and a private PostgreSQL
// cluster (test/support/postgres.ts: fsync and synchronous_commit off, as in the tests). Needs root.
//
// - scale.health_round_100_ms: one health polling round of one dashboard over the 100 agents. The
//   dashboard's own poller code runs in this process on the PostgreSQL database (bench/in-process-
//   dashboard.ts): each sample is one `services.nodeHealth.pollOnce()`, the round the poller makes.
//   Reported: the median of 9 rounds after a warm-up round; every round must find all 100 online.
// - scale.create_auto_10000_s: three `wgfleet serve` replicas on that database (the in-process
//   dashboard closed first), the same 100 agents, 16 concurrent clients spread over the replicas
//   (client i talks to replica i mod 3, keep-alive node:http with an API key), 10,000
//   `POST /api/v1/configurations/scale/peers` with `node: "auto"`. Afterwards, outside the timing:
//   every peer answered 201 must be live exactly once (`wg show` on every node), on the node the API
//   named, with exactly its addresses; nothing else live; no address twice; the database holding no
//   more peers than were answered 201. Answers other than 201 are counted and reported. Beside the
//   wall clock, the CPU seconds each group of processes used during the burst.
//
// The CPU groups (cpu*S, idleCpuSIn10s, cpuMsPerRound): each CPU second in exactly one group
// (bench/process-cpu.ts groupCpuSeconds). A group is its root processes, the children they reaped
// (cutime + cstime) and their live descendants that no other group's root is nearer to:
// - cpuReplicasS, one figure per replica: the `wgfleet serve` process.
// - cpuPostgresS: the postmaster, its backends and helpers, and the backends that ended.
// - cpuAgentsS: the `wgfleet-agent` processes and the commands they ran (`ip`, `wg`, the capability
//   probe, the wireguard-go that starts an interface: it forks the daemon and exits).
// - cpuWireguardGoS: the wireguard-go daemons of the nodes' interfaces, as found before the figure. They
//   are not the agents' descendants (their parent is init, pid 1, on the bench machine), and would be
//   counted here only if they were.
// - cpuBenchClientS: this process (the 16 HTTP clients; in the health round, the dashboard) and what it ran.
// - cpuOtherProcessesS: the machine's busy time (/proc/stat: user, nice, system, irq, softirq, steal)
//   minus the groups above: the other users of this shared machine, kernel threads, and anything of
//   ours that left the trees above (e.g. a wireguard-go restarted during the figure).
//
// Smaller runs for development: SCALE_AGENTS=10 SCALE_PEERS=1000 npm run bench -- scale; the figures
// are then named after the sizes run (e.g. scale.create_auto_1000_s), never after the targets'.
// SCALE_100K=0 leaves out the 100,000-peer figures (the scale-peers suite) for such runs.
// SCALE_CPU_PROF_DIR=DIR (an existing dir): the agents write V8 CPU profiles of the health rounds
// (PID-1.cpuprofile) and of the burst (PID-2), the replicas of the burst (PID-1), through
// bench/cpu-profile-signal.mjs. With SCALE_CPU_PROF_IDLE=1 as well, the 10 s idle window before the
// burst is profiled instead of the burst (the same file names; the idle figures then include the
// profilers' own cost).
// SCALE_PERF_DATA=FILE: `perf record` samples the whole machine's on-CPU time during the burst into FILE
// (cpu-clock, call graphs), the replicas and agents writing their JIT maps (/tmp/perf-PID.map) for it;
// read with `perf report -i FILE --sort comm,dso,sym`. Unlike the V8 profiles above, which sample wall
// time, a process waiting for the CPU is not sampled.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { findWireGuardGo } from "@wgfleet/wireguard";
import pg from "pg";
import { type ApiClient, apiClient } from "../../test/dashboard/server-process.js";
import { type Fleet, type FleetNode, MAX_NODES, startFleet } from "../../test/fleet/harness.js";
import { mapLimit } from "../../test/fleet/wait.js";
import {
  cleanupStaleClusters,
  type PostgresServer,
  postgresUnavailableReason,
  startPostgres,
  stopPostgres,
} from "../../test/support/postgres.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../test/support/privileges.js";
import { inProcessDashboard, registerInProcess, timeHealthRounds } from "../in-process-dashboard.js";
import { liveAllowedIps } from "../live-peers.js";
import { median, milliseconds, rssMegabytes } from "../measure.js";
import { groupCpuSeconds, machineBusySeconds, processTable } from "../process-cpu.js";
import type { BenchResult, BenchSuite } from "../types.js";
import { peerScaleResults } from "./scale-peers.js";

const PREFIX = "sca";
const CONFIGURATION = "scale";
const LISTEN_PORT = 51850;
const HEALTH_ROUNDS = 9;
const REPLICAS = 3;
const CLIENTS = 16;
/** The burst stops taking new creations after this long (bounded in time, whatever the size). */
const CREATE_TIME_LIMIT_MS = 20 * 60_000;
/** The idle baseline measured before the burst. */
const IDLE_WINDOW_MS = 10_000;
/** How many nodes are read (`wg show`, /proc scans) at once. */
const READ_CONCURRENCY = 8;

interface ScaleSize {
  agents: number;
  peers: number;
}

/** SCALE_AGENTS / SCALE_PEERS, or the acceptance sizes (100 agents, 10,000 peers). */
function sizeFromEnv(): ScaleSize {
  return {
    agents: positiveFromEnv("SCALE_AGENTS", 100, MAX_NODES),
    peers: positiveFromEnv("SCALE_PEERS", 10_000, 100_000),
  };
}

function positiveFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be a whole number from 1 to ${max}, not "${raw}"`);
  return value;
}

// ---- set-up: PostgreSQL, the agents ---------------------------------------------------------------------

interface ScaleDatabase {
  server: PostgresServer;
  url: string;
  stop(): Promise<void>;
}

/**
 * A private PostgreSQL cluster with one database for the bench. It dies with this process anyway
 * (test/support/postgres.ts); on an exit without stop() (Ctrl-C: the fleet's signal handler exits)
 * its temp dir is removed too, and clusters of dead earlier runs are removed first.
 */
async function startDatabase(): Promise<ScaleDatabase> {
  await cleanupStaleClusters();
  const server = await startPostgres();
  // The exit hook of startPostgres has just sent the postmaster SIGQUIT: files may still go meanwhile.
  const removeDir = () => {
    try {
      rmSync(server.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // cleanupStaleClusters() of the next run removes it (its owner, this process, is gone then)
    }
  };
  process.once("exit", removeDir);
  const stop = async () => {
    process.off("exit", removeDir);
    await stopPostgres(server);
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query("create database wgfleet_scale");
    } finally {
      await admin.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const url = new URL(server.url);
  url.pathname = "/wgfleet_scale";
  return { server, url: url.toString(), stop };
}

/**
 * The bench database's transaction and row counters (pg_stat_database), and per table its sequential
 * scans and the rows they read (pg_stat_user_tables, as `TABLE.seq_scan` / `TABLE.seq_tup_read`).
 */
async function databaseCounters(database: ScaleDatabase): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const totals = await client.query<Record<string, string>>(
      `select xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted
         from pg_stat_database where datname = current_database()`,
    );
    const tables = await client.query<{ relname: string; seq_scan: string; seq_tup_read: string }>(
      "select relname, seq_scan, seq_tup_read from pg_stat_user_tables",
    );
    return {
      ...Object.fromEntries(
        Object.entries(totals.rows[0] ?? {}).map(([name, value]) => [name, Number(value)]),
      ),
      ...Object.fromEntries(
        tables.rows.flatMap((row) => [
          [`${row.relname}.seq_scan`, Number(row.seq_scan)],
          [`${row.relname}.seq_tup_read`, Number(row.seq_tup_read)],
        ]),
      ),
    };
  } finally {
    await client.end();
  }
}

/**
 * Each counter's growth per creation (one decimal); per-table scan counters only where they grew.
 * Statistics reach the views within about a second of the work.
 */
function perCreation(
  before: Record<string, number>,
  after: Record<string, number>,
  creations: number,
): Record<string, number> {
  const grown = Object.entries(after)
    .map(
      ([name, value]) =>
        [name, Math.round(((value - (before[name] ?? 0)) / Math.max(1, creations)) * 10) / 10] as const,
    )
    .filter(([name, value]) => !name.includes(".") || value > 0);
  return Object.fromEntries(grown);
}

/** Each node's IPv6 pool: 2001:db8:5xxx::/64, one per agent. */
function poolOf(node: FleetNode): string {
  return `2001:db8:${(0x5000 + node.index).toString(16)}::/64`;
}

/** The wireguard-go process serving each node's interface. */
async function wireguardGoPids(nodes: FleetNode[]): Promise<number[]> {
  const found = await mapLimit(nodes, READ_CONCURRENCY, (node) =>
    findWireGuardGo((name) => name === node.interfaceName(0), node.ns.name),
  );
  return found.flatMap((result) => (result.status === "fulfilled" ? result.value : []));
}

async function totalRssMegabytes(pids: number[]): Promise<number> {
  const each = await Promise.all(pids.map((pid) => rssMegabytes(pid).catch(() => 0)));
  return each.reduce((sum, mb) => sum + mb, 0);
}

function agentPids(fleet: Fleet): number[] {
  return fleet.nodes.map((node) => node.agentPid).filter((pid): pid is number => pid !== null);
}

// ---- profiling (SCALE_CPU_PROF_DIR) ----------------------------------------------------------------------

const PROFILER = fileURLToPath(new URL("../cpu-profile-signal.mjs", import.meta.url));

/** The environment that makes a replica or an agent profile itself on SIGUSR2, when asked for. */
function profilingEnv(): Record<string, string> {
  const dir = process.env.SCALE_CPU_PROF_DIR;
  const options = [
    ...(dir ? [`--import ${PROFILER}`] : []),
    ...(process.env.SCALE_PERF_DATA ? ["--perf-basic-prof-only-functions"] : []),
  ];
  return {
    ...(options.length > 0 ? { NODE_OPTIONS: options.join(" ") } : {}),
    ...(dir ? { WGFLEET_BENCH_CPU_PROF_DIR: dir } : {}),
  };
}

/** Starts `perf record` over the whole machine when SCALE_PERF_DATA names its output; stop() ends it. */
async function startPerfRecord(): Promise<{ stop(): Promise<void> }> {
  const output = process.env.SCALE_PERF_DATA;
  if (!output) return { stop: async () => {} };
  const perf = spawn("perf", ["record", "-a", "-g", "-e", "cpu-clock", "-F", "499", "-o", output], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = once(perf, "exit");
  await sleep(500); // perf's set-up, before the first creation
  return {
    stop: async () => {
      perf.kill("SIGINT");
      await exited;
    },
  };
}

/** Starts, or stops and writes, the CPU profiles of these processes (nothing unless profiling). */
function toggleProfiles(pids: number[]): void {
  if (!process.env.SCALE_CPU_PROF_DIR) return;
  for (const pid of pids) process.kill(pid, "SIGUSR2");
}

// ---- scale.health_round_100_ms ------------------------------------------------------------------------

async function* healthRound(
  fleet: Fleet,
  database: ScaleDatabase,
  secretKey: Buffer,
  size: ScaleSize,
): AsyncIterable<BenchResult> {
  const dataDir = join(fleet.dir, "in-process");
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const context = await inProcessDashboard({ dataDir, databaseUrl: database.url, secretKey });
  try {
    await registerInProcess(context.services, fleet.nodes, {
      configuration: CONFIGURATION,
      listenPort: LISTEN_PORT,
      maxPeers: Math.max(1_000, Math.ceil((2 * size.peers) / size.agents)),
      pool6: poolOf,
    });
    const links = await mapLimit(fleet.nodes, READ_CONCURRENCY, (node) => node.wireguardLinks());
    if (links.some((result) => result.status !== "fulfilled" || result.value.length !== 1))
      throw new Error("not every node has its one WireGuard interface up");
    const agents = agentPids(fleet);
    const wireguardGo = await wireguardGoPids(fleet.nodes);
    const processes: CpuProcesses = { replicas: [], postgres: database.server.pid, agents, wireguardGo };
    const load1Before = loadavg()[0];
    const cpuBefore = await cpuGroups(processes);
    toggleProfiles(agents);
    // On this shared 2-core machine an agent can miss the 5 s timeout: counted and shown, not fatal.
    const { samples: rounds, failedChecks } = await timeHealthRounds(
      context.services,
      size.agents,
      HEALTH_ROUNDS,
      { allowFailedChecks: true },
    );
    toggleProfiles(agents);
    const cpuAfter = await cpuGroups(processes);
    const agentsRss = await totalRssMegabytes(agents);
    const wireguardGoRss = await totalRssMegabytes(wireguardGo);
    yield {
      bench: `scale.health_round_${size.agents}_ms`,
      value: median(rounds),
      unit: "ms",
      target: "< 1000",
      agents: size.agents,
      rounds: rounds.length,
      failedChecks,
      min: Math.min(...rounds),
      max: Math.max(...rounds),
      what: "services.nodeHealth.pollOnce() in-process on PostgreSQL, every agent with one wireguard-go interface",
      agentsRssMb: Math.round(agentsRss),
      agentRssMbEach: Math.round(agentsRss / agents.length),
      wireguardGoRssMb: Math.round(wireguardGoRss),
      wireguardGoProcesses: wireguardGo.length,
      // This process is the dashboard here; the warm-up round is included (rounds + 1).
      cpuMsPerRound: cpuPerRound(cpuBefore, cpuAfter, rounds.length + 1),
      load1Before,
      load1: loadavg()[0],
    };
  } finally {
    await context.db.destroy().catch(() => {});
  }
}

// ---- scale.create_auto_10000_s --------------------------------------------------------------------------

interface CreatedPeer {
  node: string;
  publicKey: string;
  addresses: string[];
}

interface Burst {
  created: CreatedPeer[];
  /** Status (0: no answer) → how many answered it; 201s are not counted here. */
  failures: Map<number, number>;
  firstFailure: string | null;
  /** 201s per replica. */
  perReplica: number[];
  /** Creations never sent because the time limit passed. */
  notSent: number;
}

/** `count` auto creations from `clients` loops, loop i on replica i mod the number of replicas. */
async function createAuto(apis: ApiClient[], count: number, clients: number): Promise<Burst> {
  const burst: Burst = {
    created: [],
    failures: new Map(),
    firstFailure: null,
    perReplica: apis.map(() => 0),
    notSent: 0,
  };
  const deadline = Date.now() + CREATE_TIME_LIMIT_MS;
  let next = 0;
  const loop = async (client: number) => {
    const replica = client % apis.length;
    const api = apis[replica] as ApiClient;
    while (next < count && Date.now() < deadline) {
      const i = next++;
      const body = { name: `auto-${String(i).padStart(6, "0")}`, node: "auto" };
      const answer = await api
        .request("POST", `/api/v1/configurations/${CONFIGURATION}/peers`, body)
        .catch((error: Error) => ({ status: 0, text: error.message, json: () => null }));
      if (answer.status === 201) {
        burst.created.push(answer.json() as CreatedPeer);
        burst.perReplica[replica] = (burst.perReplica[replica] ?? 0) + 1;
        continue;
      }
      burst.failures.set(answer.status, (burst.failures.get(answer.status) ?? 0) + 1);
      burst.firstFailure ??= `creation ${i} on replica ${replica + 1}: ${answer.status} ${answer.text.slice(0, 300)}`;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, client) => loop(client)));
  burst.notSent = count - next;
  return burst;
}

interface CpuGroups {
  replicas: number[];
  postgres: number;
  agents: number;
  wireguardGo: number;
  benchClient: number;
  machine: number;
}

interface CpuProcesses {
  replicas: number[];
  postgres: number;
  agents: number[];
  wireguardGo: number[];
}

/**
 * CPU seconds used so far by each group of processes (groupCpuSeconds: each second in one group
 * only), and by the whole machine.
 */
async function cpuGroups(processes: CpuProcesses): Promise<CpuGroups> {
  const replicaGroups = Object.fromEntries(processes.replicas.map((pid, i) => [`replica${i}`, [pid]]));
  const used: Record<string, number> = groupCpuSeconds(await processTable(), {
    ...replicaGroups,
    postgres: [processes.postgres],
    agents: processes.agents,
    wireguardGo: processes.wireguardGo,
    benchClient: [process.pid],
  });
  return {
    replicas: processes.replicas.map((_, i) => used[`replica${i}`] ?? 0),
    postgres: used.postgres ?? 0,
    agents: used.agents ?? 0,
    wireguardGo: used.wireguardGo ?? 0,
    benchClient: used.benchClient ?? 0,
    machine: await machineBusySeconds(),
  };
}

/** What each group used between two readings, in CPU seconds (one decimal), and what the rest of the machine did. */
function cpuUsed(before: CpuGroups, after: CpuGroups): Record<string, number | number[]> {
  const round = (value: number) => Math.round(value * 10) / 10;
  const replicas = after.replicas.map((cpu, i) => cpu - (before.replicas[i] as number));
  const groups = {
    postgres: after.postgres - before.postgres,
    agents: after.agents - before.agents,
    wireguardGo: after.wireguardGo - before.wireguardGo,
    benchClient: after.benchClient - before.benchClient,
  };
  const ours = replicas.reduce((sum, cpu) => sum + cpu, 0) + Object.values(groups).reduce((a, b) => a + b, 0);
  const machine = after.machine - before.machine;
  return {
    cpuReplicasS: replicas.map(round),
    cpuPostgresS: round(groups.postgres),
    cpuAgentsS: round(groups.agents),
    cpuWireguardGoS: round(groups.wireguardGo),
    cpuBenchClientS: round(groups.benchClient),
    cpuOtherProcessesS: round(machine - ours),
    cpuMachineS: round(machine),
  };
}

/** CPU milliseconds per health round of each group; the bench process is the dashboard then. */
function cpuPerRound(before: CpuGroups, after: CpuGroups, rounds: number): Record<string, number> {
  const used = (key: "postgres" | "agents" | "wireguardGo" | "benchClient" | "machine") =>
    Math.round(((after[key] - before[key]) * 1000) / rounds);
  const dashboard = used("benchClient");
  const ours = dashboard + used("postgres") + used("agents") + used("wireguardGo");
  return {
    dashboard,
    postgres: used("postgres"),
    agents: used("agents"),
    wireguardGo: used("wireguardGo"),
    otherProcesses: used("machine") - ours,
    machine: used("machine"),
  };
}

interface LiveCheck {
  /** 201 peers not live exactly once, on their node, with exactly their addresses. */
  wrong: number;
  /** Live peers no 201 answer named. */
  extra: number;
  /** Addresses answered for more than one peer. */
  duplicateAddresses: number;
  peersPerNodeMin: number;
  peersPerNodeMax: number;
  firstProblem: string | null;
}

/** Reads every node's interface with `wg show` and compares it with the 201 answers. */
async function checkLive(fleet: Fleet, created: CreatedPeer[]): Promise<LiveCheck> {
  const reads = await mapLimit(fleet.nodes, READ_CONCURRENCY, async (node) => ({
    node,
    live: await liveAllowedIps(node, node.interfaceName(0)),
  }));
  /** Public key → every (node id, allowed IPs) it is live on. */
  const liveOn = new Map<string, Array<{ node: string; ips: string }>>();
  const perNode: number[] = [];
  for (const read of reads) {
    if (read.status === "rejected") throw read.reason;
    const { node, live } = read.value;
    perNode.push(live.size);
    for (const [key, ips] of live) {
      const places = liveOn.get(key) ?? [];
      places.push({ node: node.id as string, ips });
      liveOn.set(key, places);
    }
  }
  const check: LiveCheck = {
    wrong: 0,
    extra: 0,
    duplicateAddresses: 0,
    peersPerNodeMin: Math.min(...perNode),
    peersPerNodeMax: Math.max(...perNode),
    firstProblem: null,
  };
  const answered = new Set<string>();
  const addresses = new Set<string>();
  for (const peer of created) {
    answered.add(peer.publicKey);
    const places = liveOn.get(peer.publicKey) ?? [];
    const place = places[0];
    if (places.length !== 1 || place?.node !== peer.node || place.ips !== peer.addresses.join(" ")) {
      check.wrong += 1;
      check.firstProblem ??= `peer ${peer.publicKey} (node ${peer.node}, ${peer.addresses.join(" ")}) is live as ${JSON.stringify(places)}`;
    }
    for (const address of peer.addresses) {
      if (addresses.has(address)) check.duplicateAddresses += 1;
      addresses.add(address);
    }
  }
  for (const key of liveOn.keys()) if (!answered.has(key)) check.extra += 1;
  return check;
}

/** How many peers the configuration holds in the database (the list's total). */
async function storedPeers(api: ApiClient): Promise<number> {
  const page = await api.request("GET", `/api/v1/configurations/${CONFIGURATION}/peers?limit=1`);
  if (page.status !== 200) throw new Error(`peer list: ${page.status} ${page.text}`);
  return (page.json() as { total: number }).total;
}

async function* createAutoBench(
  fleet: Fleet,
  database: ScaleDatabase,
  secretKey: Buffer,
  size: ScaleSize,
): AsyncIterable<BenchResult> {
  await fleet.addDashboard({
    databaseUrl: database.url,
    env: { WGFLEET_SECRET_KEY: secretKey.toString("base64"), WGFLEET_LOG_LEVEL: "warn", ...profilingEnv() },
  });
  while (fleet.dashboards.length < REPLICAS) await fleet.addDashboard();
  const apis = fleet.dashboards.map((dashboard) => apiClient(dashboard.url, dashboard.apiKey));
  const processes: CpuProcesses = {
    replicas: fleet.dashboards.map((dashboard) => dashboard.pid as number),
    postgres: database.server.pid,
    agents: agentPids(fleet),
    wireguardGo: await wireguardGoPids(fleet.nodes),
  };

  // What the processes burn with nothing asked of them (the leader's polling, timers), as a baseline.
  const profiled = [...processes.replicas, ...processes.agents];
  const profileIdle = process.env.SCALE_CPU_PROF_IDLE === "1";
  const idleBefore = await cpuGroups(processes);
  if (profileIdle) toggleProfiles(profiled);
  await sleep(IDLE_WINDOW_MS);
  if (profileIdle) toggleProfiles(profiled);
  const idle = cpuUsed(idleBefore, await cpuGroups(processes));
  const countersBefore = await databaseCounters(database);
  const load1Before = loadavg()[0];
  const cpuBefore = await cpuGroups(processes);
  if (!profileIdle) toggleProfiles(profiled);
  const perf = await startPerfRecord();
  const t0 = process.hrtime.bigint();
  const burst = await createAuto(apis, size.peers, CLIENTS);
  const seconds = milliseconds(t0) / 1000;
  await perf.stop();
  if (!profileIdle) toggleProfiles(profiled);
  const cpuAfter = await cpuGroups(processes);
  const load1 = loadavg()[0];
  await sleep(1_500);
  const countersAfter = await databaseCounters(database);

  const live = await checkLive(fleet, burst.created);
  const stored = await storedPeers(apis[0] as ApiClient);
  const failures = [...burst.failures.values()].reduce((sum, n) => sum + n, 0);
  yield {
    bench: `scale.create_auto_${size.peers}_s`,
    value: seconds,
    unit: "s",
    target: "< 30",
    created: burst.created.length,
    failures,
    failuresByStatus: Object.fromEntries(burst.failures),
    notSent: burst.notSent,
    perReplica: burst.perReplica.join("/"),
    clients: CLIENTS,
    agents: size.agents,
    perSecond: Math.round(burst.created.length / seconds),
    livePerNode: `${live.peersPerNodeMin}..${live.peersPerNodeMax}`,
    liveWrong: live.wrong,
    liveExtra: live.extra,
    duplicateAddresses: live.duplicateAddresses,
    storedPeers: stored,
    ...cpuUsed(cpuBefore, cpuAfter),
    idleCpuSIn10s: idle,
    postgresPerCreation: perCreation(countersBefore, countersAfter, burst.created.length + failures),
    replicasRssMb: (await Promise.all(processes.replicas.map(rssMegabytes))).map(Math.round).join("/"),
    agentsRssMb: Math.round(await totalRssMegabytes(processes.agents)),
    wireguardGoRssMb: Math.round(await totalRssMegabytes(processes.wireguardGo)),
    ...(burst.firstFailure ? { firstFailure: burst.firstFailure } : {}),
    load1Before,
    load1,
  };
  const problems = [
    live.wrong > 0
      ? `${live.wrong} answered peers not live exactly once as answered (${live.firstProblem})`
      : "",
    live.extra > 0 ? `${live.extra} live peers no 201 answer named` : "",
    live.duplicateAddresses > 0 ? `${live.duplicateAddresses} addresses answered twice` : "",
    stored !== burst.created.length
      ? `the database holds ${stored} peers, ${burst.created.length} answered 201`
      : "",
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`scale creation check failed: ${problems.join("; ")}`);
}

// ---- the suite ------------------------------------------------------------------------------------------

const suite: BenchSuite = {
  name: "scale",
  description: "100 real agents: one health round; 10,000 auto creations over 3 replicas on PostgreSQL",
  async *run(): AsyncIterable<BenchResult> {
    const missing = missingPrerequisites(wireguardPrerequisites()) ?? postgresUnavailableReason();
    if (missing) throw new Error(`the scale bench needs root, WireGuard and PostgreSQL: ${missing}`);
    const size = sizeFromEnv();
    const database = await startDatabase();
    let fleet: Fleet | null = null;
    try {
      fleet = await startFleet({
        nodes: size.agents,
        prefix: PREFIX,
        dashboard: false,
        runFrom: "build",
        concurrency: 8,
        driftIntervalSeconds: 3_600,
        agentEnv: profilingEnv(),
      });
      // Shared by the in-process dashboard and the replicas: both read the node secrets it encrypts.
      const secretKey = randomBytes(32);
      yield* healthRound(fleet, database, secretKey, size);
      yield* createAutoBench(fleet, database, secretKey, size);
    } finally {
      try {
        await fleet?.stop();
      } finally {
        await database.stop();
      }
    }
    // The 100,000-peer figures, once the 100 agents are gone (their own fleet of two large nodes).
    if (process.env.SCALE_100K !== "0") yield* peerScaleResults();
  },
};

export default suite;
