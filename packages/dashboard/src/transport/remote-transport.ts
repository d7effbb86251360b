// A remote node: the node transport over signed HTTP(S) to its agent (AgentClient). Every call has a
// timeout; idempotent calls (peer upsert/remove by key, full state, interface removal, health) are
// retried after a connection failure with a short backoff, never after a timeout; changes go through
// the node's queue, one at a time and coalesced per interface. Failures leave as the API's errors:
// unreachable → NodeUnavailableError (503), an agent's error answer → NodeCallError (502) with the
// agent's message. Holds the node's secret only inside its AgentClient; never logs it or a key.
// Writes can be blocked (a different agent answers at the node's URL): then every change is refused
// with NodeUnavailableError naming the node and the reason, and nothing reaches the agent.
// Requests go over the node's own keep-alive sockets (KeepAliveAgentHttp, closed by close()), or over
// what the options hand in (a dial-out node's socket).

import { AgentClient, type AgentHttp, AgentRequestError, KeepAliveAgentHttp } from "@wgfleet/agent/client";
import {
  type InterfaceState,
  type LivePeer,
  NodeUnavailableError,
  type PeerSpec,
  type WgFleetError,
} from "@wgfleet/core";
import { isRetryableFailure, NodeAgentError, toNodeError } from "./agent-errors.js";
import { ChangeQueue, type PeerChange } from "./change-queue.js";
import type {
  DriftRepairReport,
  NodeHealthReport,
  NodeTransport,
  ReconcileOptions,
  StrayInterfaceConfig,
} from "./node-transport.js";

export interface RemoteTransportOptions {
  nodeId: string;
  /** How messages name the node ("node1"). */
  nodeName: string;
  agentUrl: string;
  keyId: string;
  secret: string;
  /** One agent call (default 5 s). */
  timeoutMs?: number;
  /** One health call (default: timeoutMs). */
  healthTimeoutMs?: number;
  /** Extra attempts of an idempotent call after a connection failure (default 2). */
  retries?: number;
  /** First retry delay; doubles each time (default 100 ms). */
  backoffMs?: number;
  /** What carries the requests (a dial-out node's socket); by default keep-alive sockets of the node's own. */
  http?: AgentHttp;
}

/** One secret's signed clients and the calls running with them (a rotation waits for those to end). */
interface Credentials {
  client: AgentClient;
  healthClient: AgentClient;
  active: number;
  idle: Array<() => void>;
}

export class RemoteTransport implements NodeTransport {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly agentUrl: string;
  private credentials: Credentials;
  private readonly clientOptions: { baseUrl: string; http: AgentHttp };
  /** The node's own sockets, when the options gave no AgentHttp. */
  private readonly sockets: KeepAliveAgentHttp | null;
  private readonly queue: ChangeQueue;
  private readonly timeoutMs: number;
  private readonly healthTimeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  /** Why no change may reach this agent now, or null. */
  private writesBlockedBy: string | null = null;

  constructor(options: RemoteTransportOptions) {
    this.nodeId = options.nodeId;
    this.nodeName = options.nodeName;
    this.agentUrl = options.agentUrl;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.healthTimeoutMs = options.healthTimeoutMs ?? this.timeoutMs;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 100;
    let http = options.http;
    this.sockets = null;
    if (!http) {
      this.sockets = new KeepAliveAgentHttp();
      http = this.sockets.request;
    }
    this.clientOptions = { baseUrl: options.agentUrl, http };
    this.credentials = this.credentialsFor(options.keyId, options.secret);
    this.queue = new ChangeQueue({
      sendPeers: (name, change) => this.sendPeers(name, change),
      shouldIsolate: (error) =>
        error instanceof NodeAgentError && error.agentStatus < 500 && error.agentStatus !== 401,
      expired: (waited) =>
        new NodeUnavailableError(
          `node ${this.label} is not answering: a change waited ${Math.round(waited)} ms behind earlier calls and was not sent`,
          "node",
        ),
      maxWaitMs: this.timeoutMs,
    });
  }

  private get client(): AgentClient {
    return this.credentials.client;
  }

  private get healthClient(): AgentClient {
    return this.credentials.healthClient;
  }

  private credentialsFor(keyId: string, secret: string): Credentials {
    const base = { ...this.clientOptions, keyId, secret };
    return {
      client: new AgentClient({ ...base, timeoutMs: this.timeoutMs }),
      healthClient: new AgentClient({ ...base, timeoutMs: this.healthTimeoutMs }),
      active: 0,
      idle: [],
    };
  }

  /**
   * Signs every call from now on with this secret (the queue and its order stay); resolves once the
   * calls already sent with the previous secret have ended, so the agent may then forget that one.
   */
  useSecret(keyId: string, secret: string): Promise<void> {
    const previous = this.credentials;
    this.credentials = this.credentialsFor(keyId, secret);
    if (previous.active === 0) return Promise.resolve();
    return new Promise((resolve) => previous.idle.push(resolve));
  }

  /** The transport is dropped: its idle sockets close now, busy ones once their call ends. */
  close(): void {
    this.sockets?.close();
  }

  /** Hands the agent a new secret, signed with the current one (idempotent: retried). */
  handOverSecret(secret: string): Promise<string[]> {
    return this.call(() => this.client.putSecret(secret), { retry: true });
  }

  /** Asks the agent to accept only its current secret (this transport must already sign with it). */
  dropPreviousSecret(): Promise<string[]> {
    return this.call(() => this.client.dropPreviousSecret(), { retry: true });
  }

  /** '"node1"': the name admins gave it (messages and status reasons are read by them, ids are not). */
  get label(): string {
    return `"${this.nodeName}"`;
  }

  /** Changes waiting or in flight for this node. */
  get pendingChanges(): number {
    return this.queue.size;
  }

  /** Refuses (or, with null, allows again) every change to the agent; reads and health still go. */
  blockWrites(reason: string | null): void {
    this.writesBlockedBy = reason;
  }

  /** Why changes are refused now, or null. */
  get writesBlocked(): string | null {
    return this.writesBlockedBy;
  }

  applyInterfaceState(state: InterfaceState): Promise<void> {
    if (this.writesBlockedBy) return this.refuseWrite();
    return this.queue.task(() =>
      this.call(() => this.client.putState(state.interface.name, state), { retry: true }),
    );
  }

  upsertPeers(interfaceName: string, peers: PeerSpec[], revision: number): Promise<void> {
    if (peers.length === 0) return Promise.resolve();
    if (this.writesBlockedBy) return this.refuseWrite();
    return this.queue.peers(interfaceName, { upsert: peers, remove: [], revision });
  }

  removePeers(interfaceName: string, publicKeys: string[], revision: number): Promise<void> {
    if (publicKeys.length === 0) return Promise.resolve();
    if (this.writesBlockedBy) return this.refuseWrite();
    return this.queue.peers(interfaceName, { upsert: [], remove: publicKeys, revision });
  }

  /** An interface the agent does not know is already removed. */
  removeInterface(interfaceName: string): Promise<void> {
    if (this.writesBlockedBy) return this.refuseWrite();
    return this.queue.task(() =>
      this.call(
        async () => {
          try {
            await this.client.deleteInterface(interfaceName);
          } catch (error) {
            if (!(error instanceof AgentRequestError && error.status === 404)) throw error;
          }
        },
        { retry: true },
      ),
    );
  }

  removeStrayInterface(interfaceName: string): Promise<void> {
    return this.queue.task(() =>
      this.call(() => this.client.deleteStrayInterface(interfaceName), { retry: false }),
    );
  }

  /** Live peers with their counters; an interface the agent does not know has none. */
  async readPeers(interfaceName: string, options: { shared?: boolean } = {}): Promise<LivePeer[]> {
    const statuses = await this.call(async () => {
      try {
        return await this.client.listPeers(interfaceName, { shared: options.shared === true });
      } catch (error) {
        if (error instanceof AgentRequestError && error.status === 404) return [];
        throw error;
      }
    });
    return statuses.flatMap((status) => (status.live ? [status.live] : []));
  }

  /** The agent's health, timed and its clock compared; retried after a connection failure unless asked not to. */
  health(options: { retry?: boolean; shared?: boolean } = {}): Promise<NodeHealthReport> {
    return this.call(
      async () => {
        const started = Date.now();
        const health = await this.healthClient.health({ shared: options.shared === true });
        const finished = Date.now();
        return {
          health,
          latencyMs: finished - started,
          clockSkewMs: Math.round(health.time - (started + finished) / 2),
        };
      },
      { retry: options.retry ?? true, timeoutMs: this.healthTimeoutMs },
    );
  }

  /** The agent's release, from its health answer. */
  async version(): Promise<string> {
    return (await this.health()).health.version;
  }

  /** Repairs drift now on the agent; with removeStray, also removes live peers nobody asked for. */
  reconcile(interfaceName: string, options: ReconcileOptions = {}): Promise<DriftRepairReport> {
    if (this.writesBlockedBy) return this.refuseWrite();
    return this.call(() => this.client.reconcile(interfaceName, options), { retry: true });
  }

  strayPeers(interfaceName: string): Promise<PeerSpec[]> {
    return this.call(() => this.client.strayPeers(interfaceName), { retry: true });
  }

  strayInterfaceConfig(interfaceName: string): Promise<StrayInterfaceConfig> {
    return this.call(() => this.client.strayInterfaceConfig(interfaceName), { retry: true });
  }

  adoptInterface(state: InterfaceState): Promise<void> {
    if (this.writesBlockedBy) return this.refuseWrite();
    const name = state.interface.name;
    return this.queue.task(() => this.call(() => this.client.adoptInterface(name, state), { retry: false }));
  }

  private refuseWrite(): Promise<never> {
    return Promise.reject(
      new NodeUnavailableError(`node ${this.label} is unavailable: ${this.writesBlockedBy}`, "node"),
    );
  }

  private async sendPeers(interfaceName: string, change: PeerChange): Promise<void> {
    const { upsert, remove, revision } = change;
    await this.call(
      async () => {
        const [first] = upsert;
        const [key] = remove;
        if (upsert.length === 1 && remove.length === 0 && first) {
          await this.client.upsertPeer(interfaceName, first, revision);
        } else if (upsert.length === 0 && remove.length === 1 && key) {
          await this.client.removePeer(interfaceName, key, revision);
        } else {
          await this.client.batch(interfaceName, { upsert, remove }, revision);
        }
      },
      { retry: true },
    );
  }

  /** Runs one agent call; retries connection failures of idempotent calls; maps every failure. */
  private async call<T>(
    work: () => Promise<T>,
    options: { retry?: boolean; timeoutMs?: number } = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const attempts = options.retry ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.counted(work);
      } catch (error) {
        if (attempt < attempts && isRetryableFailure(error, timeoutMs)) {
          await sleep(this.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        throw this.mapError(error, timeoutMs);
      }
    }
  }

  /** Runs one attempt, counted against the credentials it signs with (read when it starts). */
  private async counted<T>(work: () => Promise<T>): Promise<T> {
    const used = this.credentials;
    used.active++;
    try {
      return await work();
    } finally {
      used.active--;
      if (used.active === 0) for (const resolve of used.idle.splice(0)) resolve();
    }
  }

  private mapError(error: unknown, timeoutMs: number): WgFleetError {
    return toNodeError(error, this.label, timeoutMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
