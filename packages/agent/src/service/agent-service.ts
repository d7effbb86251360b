// The agent's rules: validates what the dashboard asks for, persists it through the state store and
// only then hands it to the InterfaceController, in the store's order. The store's model is the one
// desired state: the controller reads it by reference and applies it. Tracks apply errors and drift
// repairs. Never returns a private or preshared key, and never applies what is not on disk.
import {
  ConflictError,
  type InterfaceHooks,
  type InterfaceSpec,
  NotFoundError,
  type PeerSpec,
  type PeerStatus,
  publicKeyFromPrivate,
  type SuspendedPeer,
  ValidationError,
  validateInterfaceSpec,
  validateInterfaceState,
  validatePeerBatch,
  validatePeerSpec,
} from "@wgfleet/core";
import type { DriftRepairOptions, InterfaceController, LiveConfig, LiveInterface } from "@wgfleet/wireguard";
import type { AgentLogger } from "../logging/logger.js";
import type { DesiredInterface } from "../state/desired-interface.js";
import type { StateStore } from "../state/state-store.js";
import { type DriftObservation, InterfaceStatusBook } from "./interface-status.js";

export interface AgentServiceOptions {
  store: StateStore;
  controller: InterfaceController;
  allowHooks: boolean;
  logger: AgentLogger;
}

/** A mutation's answer: the desired revision after it. */
export interface MutationResult {
  revision: number;
}

/** GET /v1/interfaces: the desired interface without its private key, plus whether it is up. */
export interface InterfaceSummary {
  name: string;
  publicKey: string;
  listenPort: number;
  addresses: string[];
  mtu: number | null;
  hooks: boolean;
  revision: number;
  digest: string;
  peerCount: number;
  up: boolean;
}

/**
 * How long a stray-interface listing is reused by health answers: an interface made outside the agent
 * shows within this time; a change of the agent's own interfaces (or a stray removed) at once.
 */
const STRAY_LISTING_TTL_MS = 30_000;

export class AgentService {
  readonly statuses = new InterfaceStatusBook();
  private readonly store: StateStore;
  private readonly controller: InterfaceController;
  private readonly logger: AgentLogger;
  private readonly publicKeys = new Map<string, string>();
  /** The last stray-interface listing (it costs two process runs), with the managed names it was for. */
  private strays: { names: string[]; managed: string; at: number } | null = null;

  constructor(private readonly options: AgentServiceOptions) {
    this.store = options.store;
    this.controller = options.controller;
    this.logger = options.logger;
  }

  /** Re-applies every persisted interface (a reboot or a restart lost nothing). Never throws. */
  async start(): Promise<void> {
    await Promise.all(
      this.store.names().map(async (name) => {
        const desired = this.store.get(name);
        if (!desired) return;
        try {
          const report = await this.track(name, this.controller.applyDesired(desired));
          this.logger.info(
            { interface: name, peers: desired.peerCount, ...report },
            "re-applied persisted state",
          );
        } catch (error) {
          this.logger.error({ interface: name, err: error }, "could not re-apply persisted state");
        }
      }),
    );
  }

  interfaceNames(): string[] {
    return this.store.names();
  }

  find(name: string): DesiredInterface | undefined {
    return this.store.get(name);
  }

  desired(name: string): DesiredInterface {
    const desired = this.store.get(name);
    if (!desired) throw new NotFoundError(`interface ${name}`);
    return desired;
  }

  async listInterfaces(): Promise<InterfaceSummary[]> {
    return Promise.all(
      this.store.names().map(async (name) => {
        const desired = this.desired(name);
        const spec = desired.interfaceSpec;
        const live = await this.readLive(name);
        return {
          name,
          publicKey: this.publicKeyOf(spec),
          listenPort: spec.listenPort,
          addresses: spec.addresses,
          mtu: spec.mtu ?? null,
          hooks: hasHooks(spec.hooks),
          revision: desired.revision,
          digest: desired.digest(),
          peerCount: desired.peerCount,
          up: live?.up ?? false,
        };
      }),
    );
  }

  async putInterface(name: string, body: unknown, revision?: number): Promise<MutationResult> {
    const spec = validateInterfaceSpec(body, "interface");
    if (spec.name !== name)
      throw new ValidationError("interface.name", "must equal the interface name in the path");
    this.checkHooks(spec, "interface.hooks");
    return this.asNew(name, () =>
      this.store.putInterface(spec, revision, (desired) => this.applyFull(desired)),
    );
  }

  async deleteInterface(name: string): Promise<MutationResult> {
    await this.store.removeInterface(name, () => this.track(name, this.controller.removeInterface(name)));
    this.statuses.forget(name);
    this.publicKeys.delete(name);
    return { revision: 0 };
  }

  async putState(name: string, body: unknown): Promise<MutationResult> {
    const state = validateInterfaceState(body);
    if (state.interface.name !== name) {
      throw new ValidationError("interface.name", "must equal the interface name in the path");
    }
    this.checkHooks(state.interface, "interface.hooks");
    return this.asNew(name, () => this.store.putState(state, (desired) => this.applyFull(desired)));
  }

  /** Live WireGuard interfaces on this host that no desired state here names. */
  async strayInterfaces(): Promise<string[]> {
    const now = Date.now();
    const managed = this.store.names();
    const key = managed.join("\n");
    const last = this.strays;
    if (last && last.managed === key && now - last.at < STRAY_LISTING_TTL_MS) return last.names;
    const names = await this.controller.unmanagedInterfaces(managed);
    this.strays = { names, managed: key, at: now };
    return names;
  }

  /** `DELETE /v1/stray-interfaces/:name`: deletes a live interface this agent does not manage. */
  async removeStrayInterface(name: string): Promise<void> {
    this.strays = null;
    await this.controller.removeUnmanaged(name, this.store.names());
    this.logger.warn({ interface: name }, "removed a stray interface");
  }

  /**
   * `GET /v1/stray-interfaces/:name/config`: a live interface this agent does not manage, whole (its
   * private key and the peers' preshared keys included), so the dashboard can adopt it.
   */
  async strayInterfaceConfig(name: string): Promise<LiveConfig> {
    return this.controller.readUnmanagedConfig(name, this.store.names());
  }

  /** `GET /v1/interfaces/:name/stray-peers`: live peers not desired here, preshared keys included. */
  async strayPeers(name: string): Promise<PeerSpec[]> {
    this.desired(name);
    return this.controller.strayPeerConfigs(name);
  }

  /**
   * `POST /v1/interfaces/:name/adopt`: takes over a live interface this agent does not manage, by a
   * diff: it must run with the state's private key and listen port, so nothing is re-keyed or rebound;
   * peers already live as the state has them are not touched. A failed first apply forgets the state
   * and leaves the interface as it was found (it is not ours to delete).
   */
  async adoptInterface(name: string, body: unknown): Promise<MutationResult> {
    const state = validateInterfaceState(body);
    if (state.interface.name !== name)
      throw new ValidationError("interface.name", "must equal the interface name in the path");
    this.checkHooks(state.interface, "interface.hooks");
    if (this.store.get(name)) throw new ConflictError(`interface ${name} is already managed here`, "name");
    const live = await this.strayInterfaceConfig(name);
    if (live.interface.privateKey !== state.interface.privateKey)
      throw new ConflictError(`interface ${name} runs with another private key`, "interface.privateKey");
    if (live.interface.listenPort !== state.interface.listenPort)
      throw new ConflictError(
        `interface ${name} listens on port ${live.interface.listenPort}, not ${state.interface.listenPort}`,
        "interface.listenPort",
      );
    this.strays = null;
    try {
      return await this.store.putState(state, (desired) => this.applyFull(desired));
    } catch (error) {
      if (this.store.get(name)) {
        await this.store.removeInterface(name, async () => this.controller.forget(name)).catch(() => {});
      }
      throw error;
    }
  }

  /**
   * A change that may create the interface. A name already live here but not managed is refused (it
   * would be taken over); a first apply that fails is rolled back, so nothing is kept as desired.
   */
  private async asNew(name: string, change: () => Promise<MutationResult>): Promise<MutationResult> {
    if (this.store.get(name)) return change();
    if ((await this.readLive(name)) !== null) {
      throw new ConflictError(
        `interface ${name} already exists on this host and is not managed by wgfleet`,
        "interface.name",
      );
    }
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof ConflictError) && this.store.get(name)) await this.rollBackNew(name);
      throw error;
    }
  }

  /** Forgets a new interface whose first apply failed and deletes what that apply created. */
  private async rollBackNew(name: string): Promise<void> {
    try {
      await this.store.removeInterface(name, () => this.controller.removeInterface(name));
    } catch (error) {
      this.logger.error({ interface: name, err: error }, "could not roll back a failed new interface");
    }
    this.statuses.forget(name);
    this.publicKeys.delete(name);
    this.logger.warn({ interface: name }, "first apply failed: the new interface was rolled back");
  }

  async upsertPeer(
    name: string,
    publicKey: string,
    body: unknown,
    revision?: number,
  ): Promise<MutationResult> {
    const withKey = isObject(body) && body.publicKey === undefined ? { ...body, publicKey } : body;
    const peer = validatePeerSpec(withKey, "peer");
    if (peer.publicKey !== publicKey)
      throw new ValidationError("peer.publicKey", "must equal the key in the path");
    return this.store.upsertPeers(name, [peer], revision, "peer", (desired) =>
      this.applyPeers(desired, [peer], [], revision),
    );
  }

  async removePeer(name: string, publicKey: string, revision?: number): Promise<MutationResult> {
    return this.store.removePeers(name, [publicKey], revision, (desired) =>
      this.applyPeers(desired, [], [publicKey], revision),
    );
  }

  async batch(name: string, body: unknown, revision?: number): Promise<MutationResult> {
    const batch = validatePeerBatch(body);
    return this.store.applyBatch(name, { upsert: batch.upsert, remove: batch.remove, revision }, (desired) =>
      this.applyPeers(desired, batch.upsert, batch.remove, revision),
    );
  }

  /**
   * Desired peers merged with their live stats; preshared keys never leave. `shared`: the live read may
   * be one shared with the requests of the same moment (readLiveShared), as the dashboard's pollers ask.
   */
  async listPeers(name: string, shared = false): Promise<PeerStatus[]> {
    const desired = this.desired(name);
    const live = await (shared ? this.readLiveShared(name) : this.readLive(name));
    const liveByKey = new Map((live?.peers ?? []).map((p) => [p.publicKey, p]));
    return desired
      .peerList()
      .map((spec) => ({ spec: withoutPresharedKey(spec), live: liveByKey.get(spec.publicKey) ?? null }));
  }

  /**
   * An explicit drift check, whatever the drift policy: missing peers restored (unless
   * `restore: false`), and with removeStray live peers that are not desired removed.
   */
  async reconcile(name: string, body: unknown): Promise<DriftObservation> {
    const options = parseReconcileBody(body);
    this.desired(name);
    return this.checkDrift(name, options);
  }

  /**
   * The periodic check, as the interface's drift policy says: `repair` restores what is missing and
   * removes strays, `report` changes nothing, no policy (an older dashboard) restores and reports strays.
   */
  async checkDriftByPolicy(name: string): Promise<DriftObservation> {
    const policy = this.desired(name).interfaceSpec.driftPolicy;
    if (policy === "report") return this.checkDrift(name, { restore: false });
    return this.checkDrift(name, { removeStray: policy === "repair" });
  }

  /** Compares one interface with its desired state and repairs it as `options` say. */
  async checkDrift(name: string, options: DriftRepairOptions = {}): Promise<DriftObservation> {
    this.desired(name);
    const report = await this.track(name, this.controller.repairDrift(name, options));
    if (this.statuses.drift(name, report, Date.now())) {
      this.logger.warn({ interface: name, ...report, stray: report.stray.length }, "repaired drift");
    }
    return report;
  }

  /** Desired peers the node keeps off the kernel by their access rules (expired, schedule, quota). */
  suspendedPeers(name: string): SuspendedPeer[] {
    return this.controller.suspendedPeers(name);
  }

  /** The live interface read now (null when it cannot be read): for checks before a change. */
  async readLive(name: string): Promise<LiveInterface | null> {
    return this.orNull(name, this.controller.readLive(name));
  }

  /**
   * The live interface for the answers the dashboard's pollers ask for (`?shared=1` on health and peer
   * listings): one read of the peers shared by the requests of the same moment — the health and stats
   * pollers ask on the same tick — and never one from before a change this agent acknowledged
   * (InterfaceController.readLiveShared). Read-only.
   */
  async readLiveShared(name: string): Promise<LiveInterface | null> {
    return this.orNull(name, this.controller.readLiveShared(name));
  }

  private async orNull(name: string, read: Promise<LiveInterface | null>): Promise<LiveInterface | null> {
    try {
      return await read;
    } catch (error) {
      this.logger.warn({ interface: name, err: error }, "could not read the live interface");
      return null;
    }
  }

  publicKeyOf(spec: InterfaceSpec): string {
    let key = this.publicKeys.get(spec.privateKey);
    if (key === undefined) {
      key = publicKeyFromPrivate(spec.privateKey);
      this.publicKeys.clear();
      this.publicKeys.set(spec.privateKey, key);
    }
    return key;
  }

  private async applyFull(desired: DesiredInterface): Promise<MutationResult> {
    await this.track(desired.name, this.controller.applyDesired(desired));
    return { revision: desired.revision };
  }

  /**
   * Hands committed peer changes, already in the store's model, to the controller (which coalesces them
   * into driver calls); both calls are made before anything is awaited so that they keep the journal's
   * order.
   */
  private async applyPeers(
    desired: DesiredInterface,
    upsert: PeerSpec[],
    remove: string[],
    revision: number | undefined,
  ): Promise<MutationResult> {
    const name = desired.name;
    const revisionAfter = desired.revision;
    const calls: Promise<unknown>[] = [];
    if (upsert.length > 0) calls.push(this.controller.upsertPeers(name, upsert, revision));
    if (remove.length > 0) calls.push(this.controller.removePeers(name, remove, revision));
    await this.track(name, Promise.all(calls));
    return { revision: revisionAfter };
  }

  private async track<T>(name: string, work: Promise<T>): Promise<T> {
    try {
      const result = await work;
      this.statuses.applied(name);
      return result;
    } catch (error) {
      this.statuses.failed(name, error);
      this.logger.error({ interface: name, err: error }, "apply failed");
      throw error;
    }
  }

  private checkHooks(spec: InterfaceSpec, field: string): void {
    if (hasHooks(spec.hooks) && !this.options.allowHooks) {
      throw new ValidationError(
        field,
        "hooks are disabled on this agent (start it with --allow-hooks to accept them)",
      );
    }
  }
}

function hasHooks(hooks: InterfaceHooks | undefined): boolean {
  if (!hooks) return false;
  return Object.values(hooks).some((lines) => Array.isArray(lines) && lines.length > 0);
}

function withoutPresharedKey(spec: PeerSpec): PeerSpec {
  const { presharedKey: _omitted, ...rest } = spec;
  return rest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseReconcileBody(body: unknown): DriftRepairOptions {
  if (body === undefined || body === null) return {};
  if (!isObject(body)) throw new ValidationError("body", 'must be an object like {"removeStray": true}');
  for (const key of Object.keys(body)) {
    if (key !== "removeStray" && key !== "restore") throw new ValidationError(key, "unknown property");
  }
  for (const key of ["removeStray", "restore"] as const) {
    if (body[key] !== undefined && typeof body[key] !== "boolean") {
      throw new ValidationError(key, "must be true or false");
    }
  }
  return {
    removeStray: body.removeStray === true,
    ...(body.restore === false ? { restore: false } : {}),
  };
}
