// The local node: the node transport in-process, over the WireGuard driver's InterfaceController.
// It turns every driver failure into a NodeCallError whose message carries no key material, and it
// never reads the database (desired state comes from the services above it). It reports the
// dashboard's own release as its version.
import { freemem, hostname, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import {
  ConflictError,
  digestInterfaceState,
  type Health,
  type InterfaceHealth,
  type InterfaceState,
  type LivePeer,
  LOCAL_NODE_ID,
  NodeCallError,
  NotFoundError,
  type PeerSpec,
} from "@wgfleet/core";
import {
  checkWireGuardAvailable,
  FileBudgetLedger,
  InterfaceController,
  type Logger,
  SystemWireGuardDriver,
  silentLogger,
} from "@wgfleet/wireguard";
import { VERSION } from "../version.js";
import type {
  DriftRepairReport,
  NodeHealthReport,
  NodeTransport,
  ReconcileOptions,
  StrayInterfaceConfig,
} from "./node-transport.js";
import { scrubKeys } from "./scrub-keys.js";

/** Env variable naming a network namespace the local node's interfaces live in (tests, special hosts). */
export const LOCAL_NETNS_ENV = "WGFLEET_LOCAL_NETNS";
const ACTIVE_HANDSHAKE_SECONDS = 180;

function scrubNullable(message: string | null): string | null {
  return message === null ? null : scrubKeys(message);
}

function nodeError(error: unknown): NodeCallError {
  const message = error instanceof Error ? error.message : String(error);
  return new NodeCallError(`local node: ${scrubKeys(message)}`);
}

export class LocalTransport implements NodeTransport {
  readonly nodeId = LOCAL_NODE_ID;
  private readonly startedAt = Date.now();
  /** Interface → when a reconcile last changed it (the local node has no drift loop of its own). */
  private readonly lastRepairAt = new Map<string, number>();

  /** `release`: what the node reports as its release; the dashboard's package version by default. */
  constructor(
    private readonly controller: InterfaceController,
    private readonly release: string = VERSION,
  ) {}

  /** A first apply of a new interface that fails leaves no desired state behind (its caller removes it). */
  async applyInterfaceState(state: InterfaceState): Promise<void> {
    const name = state.interface.name;
    const known = this.controller.desiredState(name) !== undefined;
    try {
      await this.call(() => this.controller.applyState(state));
    } catch (error) {
      if (!known) this.controller.forget(name);
      throw error;
    }
  }

  /** A name that is not a stray (404) or that is managed here (409) is refused as such. */
  async removeStrayInterface(interfaceName: string): Promise<void> {
    try {
      await this.controller.removeUnmanaged(interfaceName);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) throw error;
      throw nodeError(error);
    }
  }

  async upsertPeers(interfaceName: string, peers: PeerSpec[], revision: number): Promise<void> {
    await this.call(() => this.controller.upsertPeers(interfaceName, peers, revision));
  }

  async removePeers(interfaceName: string, publicKeys: string[], revision: number): Promise<void> {
    await this.call(() => this.controller.removePeers(interfaceName, publicKeys, revision));
  }

  async removeInterface(interfaceName: string): Promise<void> {
    await this.call(() => this.controller.removeInterface(interfaceName));
  }

  async readPeers(interfaceName: string, options: { shared?: boolean } = {}): Promise<LivePeer[]> {
    const live = await this.call(() => this.readLive(interfaceName, options.shared === true));
    return live?.peers ?? [];
  }

  /** Timed like a remote node's answer; in-process, so never retried and no clock skew. */
  async health(options: { shared?: boolean } = {}): Promise<NodeHealthReport> {
    const started = Date.now();
    const health = await this.readHealth(options.shared === true);
    return { health, latencyMs: Date.now() - started, clockSkewMs: 0 };
  }

  async version(): Promise<string> {
    return this.release;
  }

  async reconcile(interfaceName: string, options: ReconcileOptions = {}): Promise<DriftRepairReport> {
    const report = await this.call(() => this.controller.repairDrift(interfaceName, options));
    if (report.interfaceRestored || report.restored > 0 || report.strayRemoved > 0)
      this.lastRepairAt.set(interfaceName, Date.now());
    return report;
  }

  async strayPeers(interfaceName: string): Promise<PeerSpec[]> {
    try {
      return await this.controller.strayPeerConfigs(interfaceName);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) throw error;
      throw nodeError(error);
    }
  }

  async strayInterfaceConfig(interfaceName: string): Promise<StrayInterfaceConfig> {
    try {
      return await this.controller.readUnmanagedConfig(interfaceName);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) throw error;
      throw nodeError(error);
    }
  }

  /** As the agent does: the live interface must run with the state's key and port; nothing rebound. */
  async adoptInterface(state: InterfaceState): Promise<void> {
    const live = await this.strayInterfaceConfig(state.interface.name);
    if (live.interface.privateKey !== state.interface.privateKey)
      throw new ConflictError(`interface ${state.interface.name} runs with another private key`, "interface");
    if (live.interface.listenPort !== state.interface.listenPort)
      throw new ConflictError(
        `interface ${state.interface.name} listens on port ${live.interface.listenPort}`,
        "interface",
      );
    try {
      await this.call(() => this.controller.applyState(state));
    } catch (error) {
      this.controller.forget(state.interface.name);
      throw error;
    }
  }

  /** The pollers' reads may be shared (InterfaceController.readLiveShared); any other reads now. */
  private readLive(name: string, shared: boolean) {
    return shared ? this.controller.readLiveShared(name) : this.controller.readLive(name);
  }

  private async readHealth(shared: boolean): Promise<Health> {
    const interfaces = await Promise.all(
      this.controller.interfaceNames().map((name) => this.interfaceHealth(name, shared)),
    );
    const strayInterfaces = await this.call(() => this.controller.unmanagedInterfaces());
    return {
      version: this.release,
      protocol: "v1",
      uptimeSeconds: (Date.now() - this.startedAt) / 1000,
      hostname: hostname(),
      time: Date.now(),
      interfaces,
      strayInterfaces,
      load: loadavg(),
      memory: { totalBytes: totalmem(), freeBytes: freemem(), rssBytes: process.memoryUsage.rss() },
    };
  }

  private async interfaceHealth(name: string, shared: boolean): Promise<InterfaceHealth> {
    const desired = this.controller.desiredState(name);
    const live = await this.call(() => this.readLive(name, shared));
    const desiredKeys = new Set(desired?.peers.map((peer) => peer.publicKey) ?? []);
    const nowSeconds = Date.now() / 1000;
    const peers = live?.peers ?? [];
    const liveKeys = new Set(peers.map((peer) => peer.publicKey));
    const suspended = this.controller.suspendedPeers(name);
    const off = new Set(suspended.map((peer) => peer.publicKey));
    return {
      name,
      up: live?.up ?? false,
      listenPort: live?.listenPort ?? null,
      publicKey: live?.publicKey || null,
      peerCount: peers.length,
      activePeers: peers.filter(
        (p) => p.latestHandshake > 0 && nowSeconds - p.latestHandshake < ACTIVE_HANDSHAKE_SECONDS,
      ).length,
      rxBytes: peers.reduce((sum, p) => sum + p.rxBytes, 0),
      txBytes: peers.reduce((sum, p) => sum + p.txBytes, 0),
      revision: desired?.revision ?? 0,
      digest: desired ? digestInterfaceState(desired) : "",
      lastApplyError: scrubNullable(this.controller.lastApplyError(name)),
      driftRepairs: 0,
      strayPeers: peers.map((p) => p.publicKey).filter((key) => !desiredKeys.has(key)),
      suspendedPeers: suspended,
      missingPeers: live
        ? (desired?.peers ?? [])
            .map((peer) => peer.publicKey)
            .filter((key) => !liveKeys.has(key) && !off.has(key))
        : [],
      lastRepairAt: this.lastRepairAt.get(name) ?? null,
    };
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw nodeError(error);
    }
  }
}

export interface LocalNodeOptions {
  /** Run every WireGuard command inside this network namespace; defaults to $WGFLEET_LOCAL_NETNS. */
  netns?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /**
   * The dashboard's data dir: the traffic counted against each peer's budget is kept there
   * (LOCAL_BUDGET_FILE), so a restart neither resets nor double-counts it. In memory when absent.
   */
  dataDir?: string;
}

/** The local node's budget ledger, in the data dir. */
export const LOCAL_BUDGET_FILE = "local-node-budgets.json";

/** The namespace the local node's interfaces live in: the option, else $WGFLEET_LOCAL_NETNS, else none. */
export function localNetns(options: LocalNodeOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  return options.netns ?? (env[LOCAL_NETNS_ENV] || undefined);
}

/** The transport over a fresh driver and controller (no availability check: see openLocalNode). */
export function createLocalTransport(options: LocalNodeOptions = {}): LocalTransport {
  const netns = localNetns(options);
  const driver = new SystemWireGuardDriver({
    ...(netns ? { netns } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const ledger = options.dataDir ? new FileBudgetLedger(join(options.dataDir, LOCAL_BUDGET_FILE)) : undefined;
  const controller = new InterfaceController(driver, {
    ...(options.logger ? { logger: options.logger } : {}),
    access: ledger ? { ledger } : {},
  });
  return new LocalTransport(controller);
}

/** The local node as the composition root sees it: a transport, or the reason there is none. */
export type LocalNodeHandle =
  | { transport: LocalTransport; unavailableReason: null }
  | { transport: null; unavailableReason: string };

/** Checks that this machine can run WireGuard (root, `wg`, /dev/net/tun) and builds the transport. */
export async function openLocalNode(options: LocalNodeOptions = {}): Promise<LocalNodeHandle> {
  const netns = localNetns(options);
  const reason = await checkWireGuardAvailable(netns ? { netns } : {});
  if (reason) {
    (options.logger ?? silentLogger).warn({ node: LOCAL_NODE_ID, reason }, "local node unavailable");
    return { transport: null, unavailableReason: reason };
  }
  return { transport: createLocalTransport(options), unavailableReason: null };
}
