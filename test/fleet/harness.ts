// A wgfleet fleet on one machine, for the end-to-end tests and `npm run demo`: N node namespaces each
// running a real `wgfleet-agent` (and, once it has interfaces, wireguard-go), the dashboard on the
// host's loopback, client namespaces that bring up downloaded configs with wg-quick. Everything it
// makes is torn down by stop(), on SIGINT/SIGTERM, and — after a crash — by the next run's
// cleanupStale(prefix). It only talks to loopback and namespaces it made, on 198.18.0.0/16.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { bringUpClient, createNamespace, type TestNamespace } from "../support/netns.js";
import type { FleetApi } from "./fleet-api.js";
import { FleetClient } from "./fleet-client.js";
import { type DashboardOptions, FleetDashboard } from "./fleet-dashboard.js";
import { FleetNode, type StartAgentOptions } from "./fleet-node.js";
import { type RunFrom, resolveRunFrom } from "./run-from.js";
import { checkPrefix, cleanupStale, createFleetDir } from "./stale-cleanup.js";
import { assertUnderlayFree } from "./underlay-guard.js";
import { mapLimit } from "./wait.js";

export { type ApiAnswer, FleetApi, FleetApiError } from "./fleet-api.js";
export { FleetClient, type PingLoopOptions } from "./fleet-client.js";
export { type DashboardOptions, FleetDashboard } from "./fleet-dashboard.js";
export { AGENT_PORT, FleetNode, type StartAgentOptions } from "./fleet-node.js";
export type { RunFrom } from "./run-from.js";
export { cleanupStale } from "./stale-cleanup.js";
export { eventually } from "./wait.js";

/**
 * Most nodes a fleet can have: the underlay hands out 1,024 /30s (underlay.ts), shared with clients and
 * other tests running at the same time; the scale bench runs 100 agents.
 */
export const MAX_NODES = 200;

export interface FleetOptions {
  /** How many node namespaces with an agent each. */
  nodes: number;
  /** 1-5 lowercase characters; every namespace, interface and temp dir of the fleet starts with it. Default "wf". */
  prefix?: string;
  /** Start the dashboard (default true), with options. */
  dashboard?: boolean | DashboardOptions;
  /** Sources through tsx (default; $WGFLEET_FLEET_RUN_FROM) or the built bins. */
  runFrom?: RunFrom;
  /** The agents' drift check interval; default 2 s (tests want repairs to show quickly). */
  driftIntervalSeconds?: number;
  /** Extra `wgfleet-agent` flags and environment for every agent. */
  agentArgs?: string[];
  agentEnv?: Record<string, string>;
  /**
   * Test-only modules every agent process loads first (`node --import`), e.g. test/support/shifted-clock.ts.
   * They are TypeScript, loaded through tsx, also when the agents run from the build.
   */
  agentImports?: string[];
  /** How many nodes are set up at once; default 4. */
  concurrency?: number;
  /** Progress lines (the demo prints them); silent by default. */
  log?: (line: string) => void;
}

/** A node as `GET /api/v1/nodes` lists it (the fields the harness reads; the API has more). */
export interface DashboardNode {
  id: string;
  name: string;
  status: string;
  [field: string]: unknown;
}

export interface RegisterNodesOptions {
  weight?: number | ((node: FleetNode) => number | undefined);
  maxPeers?: number | ((node: FleetNode) => number | undefined);
  enabled?: boolean | ((node: FleetNode) => boolean | undefined);
  /** Only these nodes (default: all). */
  nodes?: FleetNode[];
}

export class Fleet {
  readonly nodes: FleetNode[] = [];
  readonly clients: FleetClient[] = [];
  /** The dashboard `fleet.api` talks to (the first one). */
  dashboard: FleetDashboard | null = null;
  /** Every dashboard of the fleet: the first, then those of addDashboard(). */
  readonly dashboards: FleetDashboard[] = [];
  /** The namespace of the dashboard's local node, when the dashboard has one. */
  local: TestNamespace | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly prefix: string,
    /** The fleet's temp dir: node dirs, the dashboard's data dir, logs. */
    readonly dir: string,
    readonly runFrom: RunFrom,
    /** Where progress lines go (FleetOptions.log). */
    readonly log: (line: string) => void,
  ) {}

  /** The dashboard's API as the admin (API key). */
  get api(): FleetApi {
    return this.requireDashboard().api();
  }

  get stopped(): boolean {
    return this.stopping !== null;
  }

  /** `fleet.nodes[i]` (0-based: node1 is 0), or an error naming the index. */
  node(i: number): FleetNode {
    const node = this.nodes[i];
    if (!node) throw new Error(`no node ${i}: the fleet has nodes 0..${this.nodes.length - 1}`);
    return node;
  }

  /**
   * `POST /api/v1/nodes` for each node: name `nodeN`, its agent URL and secret, endpoint = its underlay
   * address. Sets `node.id`; throws FleetApiError (status, API error) on the first refusal.
   */
  async registerNodes(options: RegisterNodesOptions = {}): Promise<FleetNode[]> {
    const nodes = options.nodes ?? this.nodes;
    for (const node of nodes) {
      const body = {
        name: node.name,
        agentUrl: node.agentUrl,
        secret: node.secret,
        endpoint: node.address,
        ...optional("weight", pick(options.weight, node)),
        ...optional("maxPeers", pick(options.maxPeers, node)),
        ...optional("enabled", pick(options.enabled, node)),
      };
      const created = await this.api.expect<{ id: string }>("POST", "/api/v1/nodes", body, [201]);
      node.id = created.json.id;
      this.log(`registered ${node.name} (${node.agentUrl}) as node ${node.id}`);
    }
    return nodes;
  }

  /** A WireGuard interface name for the dashboard's local node (`dashboard: { local: true }`), unique on the machine. */
  localInterfaceName(k = 0): string {
    if (!this.local) throw new Error("this fleet's dashboard has no local node (dashboard: { local: true })");
    if (!Number.isInteger(k) || k < 0 || k > 9) throw new Error(`interface index ${k} must be 0-9`);
    return `${this.local.name}w${k}`;
  }

  /** `GET /api/v1/nodes`: every node the dashboard knows, the local one included. */
  async listNodes(): Promise<DashboardNode[]> {
    const answer = await this.api.expect<{ items: DashboardNode[] }>(
      "GET",
      "/api/v1/nodes",
      undefined,
      [200],
    );
    return answer.json.items;
  }

  /** The dashboard's status of a registered node ("online", "offline", ...). */
  async nodeStatus(node: FleetNode): Promise<string | null> {
    if (!node.id) throw new Error(`${node.name} is not registered`);
    return (await this.listNodes()).find((listed) => listed.id === node.id)?.status ?? null;
  }

  /**
   * A client namespace with a config up (wg-quick): `peerOrConfig` is a peer id, whose config is
   * downloaded from `GET /api/v1/peers/:id/config`, or the text of a wg-quick config.
   */
  async createClient(peerOrConfig: string): Promise<FleetClient> {
    const isConfig = /^\s*\[Interface\]/im.test(peerOrConfig);
    const peerId = isConfig ? null : peerOrConfig;
    const configText = isConfig
      ? peerOrConfig
      : (
          await this.api.expect(
            "GET",
            `/api/v1/peers/${encodeURIComponent(peerOrConfig)}/config`,
            undefined,
            [200],
          )
        ).text;
    const ns = await createNamespace(`${this.prefix}c`);
    const client = new FleetClient(ns, `${ns.name}w`, configText, join(this.dir, "clients", ns.name), peerId);
    this.clients.push(client);
    try {
      await bringUpClient(ns, configText, client.interfaceName);
    } catch (error) {
      await this.removeClient(client).catch(() => {});
      throw error;
    }
    this.log(`client ${ns.name} up${peerId ? ` for peer ${peerId}` : ""} (${client.addresses.join(", ")})`);
    return client;
  }

  /** Takes a client down (its namespace, tunnel and ping loops). */
  async removeClient(client: FleetClient): Promise<void> {
    const at = this.clients.indexOf(client);
    if (at >= 0) this.clients.splice(at, 1);
    await client.destroy();
  }

  /** SIGTERM to node i's agent (0-based); its WireGuard keeps running, as on a real node. */
  async stopAgent(i: number): Promise<void> {
    await this.node(i).stopAgent();
  }

  /** SIGKILL to node i's agent. */
  async killAgent(i: number): Promise<void> {
    await this.node(i).killAgent();
  }

  /** Starts node i's agent again; `wipeState` makes it a rebuilt node (state dir and interfaces gone). */
  async startAgent(i: number, options: StartAgentOptions = {}): Promise<void> {
    await this.node(i).startAgent(options);
  }

  /** SIGKILL to the dashboard (a crash). */
  async killDashboard(): Promise<void> {
    await this.requireDashboard().kill();
  }

  /** SIGTERM to the dashboard (a clean shutdown). */
  async stopDashboard(): Promise<void> {
    await this.requireDashboard().stop();
  }

  /** Starts the dashboard again: same port, data dir, admin and API key. */
  async startDashboard(): Promise<void> {
    await this.requireDashboard().start();
  }

  /**
   * Another dashboard process (e.g. a second replica on the same PostgreSQL database): by default the
   * first one's options (database, admin, environment, at-rest key) with a free port of its own and
   * no local node. In a fleet started with `dashboard: false` the first call makes the first dashboard
   * (without a local node), e.g. once the nodes were registered some other way. Stopped with the fleet.
   */
  async addDashboard(options: DashboardOptions = {}): Promise<FleetDashboard> {
    if (!this.dashboard) {
      await startDashboard(this, { ...options, local: false });
      return this.requireDashboard();
    }
    const first = this.requireDashboard();
    const merged: DashboardOptions = {
      ...first.options,
      listen: undefined,
      local: false,
      adminUser: first.adminUser,
      adminPassword: first.adminPassword,
      ...options,
      env: { ...first.options.env, ...options.env },
    };
    const dashboard = new FleetDashboard(merged, {
      dir: join(this.dir, `dashboard${this.dashboards.length + 1}`),
      runFrom: this.runFrom,
      localNetns: null,
    });
    this.dashboards.push(dashboard);
    await dashboard.start();
    this.log(`dashboard ${this.dashboards.length} at ${dashboard.url} (pid ${dashboard.pid})`);
    return dashboard;
  }

  /** Tears everything down; safe to call twice and after a failed start. Throws what could not be removed. */
  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        errors.push(error);
      }
    };
    this.log("stopping the fleet");
    await Promise.all(this.clients.splice(0).map((client) => attempt(() => client.destroy())));
    await Promise.all(this.dashboards.map((dashboard) => attempt(() => dashboard.stop())));
    await Promise.all(this.nodes.map((node) => attempt(() => node.stopAgent())));
    await Promise.all(this.nodes.map((node) => attempt(() => node.ns.destroy())));
    await attempt(async () => this.local?.destroy());
    await attempt(() => rm(this.dir, { recursive: true, force: true }));
    liveFleets.delete(this);
    updateSignalHandlers();
    if (errors.length > 0)
      throw new AggregateError(errors, `the fleet ${this.prefix} was not fully torn down`);
    this.log("fleet stopped");
  }

  private requireDashboard(): FleetDashboard {
    if (!this.dashboard) throw new Error("this fleet was started without a dashboard");
    return this.dashboard;
  }
}

/**
 * Starts a fleet: removes what a crashed run with the same prefix left, refuses to start when the
 * underlay overlaps a foreign host address, then makes the nodes (namespace + agent each) and the
 * dashboard. On any failure, what was made is torn down before the error is thrown.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const prefix = checkPrefix(options.prefix ?? "wf");
  if (!Number.isInteger(options.nodes) || options.nodes < 0 || options.nodes > MAX_NODES) {
    throw new Error(`a fleet has 0..${MAX_NODES} nodes, not ${options.nodes}`);
  }
  const runFrom = resolveRunFrom(options.runFrom);
  const log = options.log ?? (() => {});
  await cleanupStale(prefix);
  await assertUnderlayFree();
  const fleet = new Fleet(prefix, await createFleetDir(prefix), runFrom, log);
  liveFleets.add(fleet);
  updateSignalHandlers();
  try {
    await startNodes(fleet, options);
    if (options.dashboard !== false)
      await startDashboard(fleet, options.dashboard === true ? {} : (options.dashboard ?? {}));
    return fleet;
  } catch (error) {
    await fleet
      .stop()
      .catch((teardown: unknown) => log(`teardown after a failed start: ${String(teardown)}`));
    throw error;
  }
}

async function startNodes(fleet: Fleet, options: FleetOptions): Promise<void> {
  const settings = {
    runFrom: fleet.runFrom,
    driftIntervalSeconds: options.driftIntervalSeconds ?? 2,
    extraArgs: options.agentArgs ?? [],
    env: options.agentEnv ?? {},
    imports: options.agentImports ?? [],
  };
  const indexes = Array.from({ length: options.nodes }, (_, i) => i);
  const concurrency = options.concurrency ?? 4;
  const made = await mapLimit(indexes, concurrency, async (i) => {
    const ns = await createNamespace(`${fleet.prefix}n${i + 1}`);
    return new FleetNode(i, ns, join(fleet.dir, `node${i + 1}`), settings);
  });
  for (const result of made) if (result.status === "fulfilled") fleet.nodes.push(result.value);
  throwFirstFailure(made, "node namespace");
  const started = await mapLimit(fleet.nodes, concurrency, async (node) => {
    await node.prepare();
    await node.startAgent();
    fleet.log(`${node.name}: namespace ${node.ns.name}, agent at ${node.agentUrl} (pid ${node.agentPid})`);
  });
  throwFirstFailure(started, "agent");
}

async function startDashboard(fleet: Fleet, given: DashboardOptions): Promise<void> {
  if (given.local) fleet.local = await createNamespace(`${fleet.prefix}l`);
  const options = withSharedSecretKey(given);
  fleet.dashboard = new FleetDashboard(options, {
    dir: join(fleet.dir, "dashboard"),
    runFrom: fleet.runFrom,
    localNetns: fleet.local?.name ?? null,
  });
  fleet.dashboards.push(fleet.dashboard);
  await fleet.dashboard.start();
  fleet.log(`dashboard at ${fleet.dashboard.url} (pid ${fleet.dashboard.pid})`);
}

/**
 * Dashboards sharing a PostgreSQL database must share the key that encrypts secrets at rest (node
 * secrets, peer keys): a fleet on PostgreSQL gets one WGFLEET_SECRET_KEY for all its dashboards.
 */
function withSharedSecretKey(options: DashboardOptions): DashboardOptions {
  if (!options.databaseUrl || options.env?.WGFLEET_SECRET_KEY) return options;
  return { ...options, env: { ...options.env, WGFLEET_SECRET_KEY: randomBytes(32).toString("base64") } };
}

function throwFirstFailure(results: PromiseSettledResult<unknown>[], what: string): void {
  const failed = results.find((result) => result.status === "rejected");
  if (failed) {
    const reason = (failed as PromiseRejectedResult).reason;
    throw reason instanceof Error ? reason : new Error(`${what} failed: ${String(reason)}`);
  }
}

function pick<T>(
  value: T | ((node: FleetNode) => T | undefined) | undefined,
  node: FleetNode,
): T | undefined {
  return typeof value === "function" ? (value as (node: FleetNode) => T | undefined)(node) : value;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

// ---- SIGINT / SIGTERM: tear down every live fleet, then exit --------------------------------------------

const liveFleets = new Set<Fleet>();
let handlersInstalled = false;
let signalled = false;

function onSignal(signal: NodeJS.Signals): void {
  if (signalled) {
    process.stderr.write(`${signal} again: exiting now; the next run's cleanupStale removes what is left\n`);
    process.exit(1);
  }
  signalled = true;
  process.stderr.write(`${signal}: tearing the fleet down\n`);
  void Promise.allSettled([...liveFleets].map((fleet) => fleet.stop())).then((results) => {
    for (const result of results)
      if (result.status === "rejected") process.stderr.write(`${String(result.reason)}\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

/** Handlers only while a fleet lives: otherwise the process keeps its normal signal behaviour. */
function updateSignalHandlers(): void {
  const wanted = liveFleets.size > 0;
  if (wanted === handlersInstalled) return;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    if (wanted) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
  handlersInstalled = wanted;
}
