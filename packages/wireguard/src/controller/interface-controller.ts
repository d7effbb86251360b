// Brings each live interface to its desired state through a WireGuardDriver: full states by a diff
// against live, single peer changes incrementally. Work on one interface is serialised; peer operations
// that arrive while it is busy are merged into one driver call.
//
// One desired state per interface, held by reference: `applyState` hands over a state the controller
// then owns and changes for peer operations (a caller that keeps none, like the dashboard's local node);
// `applyDesired` hands over one its caller owns (the agent's store), which the caller changes in place
// before it reports the peer operations, so they only reach the driver. Either way a peer operation
// costs O(changed peers). A driver failure is remembered as `lastApplyError` for drift repair to retry.
//
// Access rules (expiry, schedule, budget) are enforced through the AccessGate: a desired peer whose
// access is off is kept off the kernel by every apply, peer operation and drift repair (it is neither
// restored nor a stray), and a tick (at most every second, only while some peer has rules) applies
// the verdicts that time or counted traffic changed.
import {
  ConflictError,
  diffLivePeers,
  diffPeers,
  type InterfaceState,
  NotFoundError,
  type PeerSpec,
  type SuspendedPeer,
} from "@wgfleet/core";
import { AccessGate, type AccessGateOptions } from "../access/access-gate.js";
import type { LiveInterface, WireGuardDriver } from "../driver.js";
import { type Logger, silentLogger } from "../logger.js";
import { PROBE_PREFIX } from "../system/system-driver.js";
import { DesiredState } from "./desired-state.js";
import type { DesiredInterfaceView } from "./desired-view.js";
import { PendingPeerOps } from "./peer-ops.js";
import { SerialQueue } from "./serial-queue.js";
import { SharedLiveReads } from "./shared-live-reads.js";

export interface ApplyReport {
  interfaceCreated: boolean;
  upserted: number;
  removed: number;
}

export interface DriftReport {
  interfaceRestored: boolean;
  restored: number;
  stray: string[];
  strayRemoved: number;
  /** Desired peers (access on) that were not live before this check, restored or not. */
  missing: string[];
}

export interface DriftRepairOptions {
  /** Remove live peers nobody asked for (default false: reported only). */
  removeStray?: boolean;
  /**
   * Put back a missing interface and missing or changed peers (default true). false only reports
   * them: a node whose drift policy is `report`, or "remove strays" alone.
   */
  restore?: boolean;
}

export interface InterfaceControllerOptions {
  logger?: Logger;
  /** The access gate's clock, budget ledger and save interval (its logger is this one). */
  access?: Omit<AccessGateOptions, "logger">;
  /** How often access verdicts and budgets are checked while some peer has rules. Default 1000 ms. */
  accessTickMs?: number;
  /** How long readLiveShared hands one read to later callers. Default SHARED_READ_MS (1 s). */
  sharedReadMs?: number;
}

/** The desired state the controller owns (built from a state) or reads from its owner. */
type Held = { owner: "controller"; state: DesiredState } | { owner: "caller"; state: DesiredInterfaceView };

interface Entry {
  queue: SerialQueue;
  /** What was last handed to the driver, by reference; undefined until the first apply ran. */
  desired: Held | undefined;
  /** Set when an applyState is accepted, cleared when a removal is: what peer operations may target. */
  known: boolean;
  /** Highest revision accepted so far, queued work included: lower full states are refused. */
  acceptedRevision: number;
  /** Peer operations still collecting, queued behind everything else. */
  openOps: PendingPeerOps | null;
  lastApplyError: string | null;
  /** A budget reading is queued or running: the next tick does not queue another. */
  countingTraffic: boolean;
}

export class InterfaceController {
  private readonly entries = new Map<string, Entry>();
  private readonly logger: Logger;
  /** Which desired peers may be on the kernel now. */
  readonly gate: AccessGate;
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;
  /** Reads for answers that only report (readLiveShared), dropped by every change queued here. */
  private readonly liveReads: SharedLiveReads;

  constructor(
    private readonly driver: WireGuardDriver,
    options: InterfaceControllerOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.gate = new AccessGate({ ...options.access, logger: this.logger });
    this.tickMs = options.accessTickMs ?? 1_000;
    this.liveReads = new SharedLiveReads(
      (name) => (driver.readDevice ? driver.readDevice(name, true) : driver.readInterface(name)),
      options.sharedReadMs,
    );
  }

  /** Desired peers kept off the kernel by their access rules, with reason and since when. */
  suspendedPeers(name: string): SuspendedPeer[] {
    return this.gate.suspendedPeers(name);
  }

  /** Stops the access tick and saves the budget counts. Interfaces stay as they are. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    await this.gate.save(true);
  }

  /**
   * One access check: applies verdicts that time changed, reads the live counters of interfaces whose
   * budgets are due to be metered, saves the counts when due. Public so tests can run it on their clock.
   */
  async checkAccess(): Promise<void> {
    await this.gate.ready;
    const jobs: Promise<unknown>[] = [];
    for (const [name, keys] of this.gate.advance()) jobs.push(this.queueVerdicts(name, keys));
    for (const name of this.gate.interfacesToMeter()) {
      const entry = this.entries.get(name);
      if (!entry?.desired || entry.countingTraffic) continue;
      entry.countingTraffic = true;
      jobs.push(
        this.enqueue(name, entry, () => this.runCountTraffic(name, entry)).finally(() => {
          entry.countingTraffic = false;
        }),
      );
    }
    await Promise.allSettled(jobs);
    await this.gate.save();
  }

  /** Brings the interface to exactly `state` (stray peers removed). ConflictError for an older revision. */
  applyState(state: InterfaceState): Promise<ApplyReport> {
    const name = state.interface.name;
    const entry = this.entry(name);
    if (entry.known && state.revision < entry.acceptedRevision) {
      return Promise.reject(
        new ConflictError(
          `interface ${name}: revision ${state.revision} is older than the applied revision ${entry.acceptedRevision}`,
          "revision",
        ),
      );
    }
    return this.queueApply(name, entry, { owner: "controller", state: DesiredState.from(state) });
  }

  /**
   * Brings the interface to exactly `desired`, which its caller owns: the controller keeps the reference,
   * reads it when its turn comes, and never changes it. The caller checks revisions; peer operations
   * reported afterwards must already be in `desired`.
   */
  applyDesired(desired: DesiredInterfaceView): Promise<ApplyReport> {
    const name = desired.interfaceSpec.name;
    return this.queueApply(name, this.entry(name), { owner: "caller", state: desired });
  }

  upsertPeers(name: string, peers: PeerSpec[], revision?: number): Promise<void> {
    return this.queuePeerOps(name, revision, (ops) => ops.upsert(peers, revision));
  }

  removePeers(name: string, publicKeys: string[], revision?: number): Promise<void> {
    return this.queuePeerOps(name, revision, (ops) => ops.remove(publicKeys, revision));
  }

  /** Deletes the interface and forgets its desired state. An unknown interface is not an error. */
  removeInterface(name: string): Promise<void> {
    const entry = this.entry(name);
    entry.known = false;
    entry.acceptedRevision = -1;
    entry.openOps = null;
    return this.enqueue(name, entry, async () => {
      const spec = entry.desired?.state.interfaceSpec;
      entry.desired = undefined;
      this.gate.dropInterface(name);
      await this.driver.removeInterface(name, spec);
      entry.lastApplyError = null;
      this.logger.info({ interface: name }, "interface removed");
    });
  }

  /**
   * Forgets the desired state without touching the system (a first apply that failed is rolled back by
   * its owner; a live interface of that name may not be ours).
   */
  forget(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    entry.known = false;
    entry.acceptedRevision = -1;
    entry.openOps = null;
    entry.desired = undefined;
    entry.lastApplyError = null;
    this.gate.dropInterface(name);
  }

  /** Live WireGuard interfaces with no desired state here (capability probes left out). */
  async unmanagedInterfaces(managed: readonly string[] = this.interfaceNames()): Promise<string[]> {
    const ours = new Set(managed);
    const live = await this.driver.listInterfaces();
    return live.filter((name) => !ours.has(name) && !name.startsWith(PROBE_PREFIX));
  }

  /** Deletes a live interface nobody manages here; refuses a managed one. */
  async removeUnmanaged(name: string, managed: readonly string[] = this.interfaceNames()): Promise<void> {
    if (managed.includes(name)) throw new ConflictError(`interface ${name} is managed here`, "name");
    if (!(await this.unmanagedInterfaces(managed)).includes(name))
      throw new NotFoundError(`stray interface ${name}`);
    try {
      await this.driver.removeInterface(name);
    } finally {
      this.liveReads.invalidate(name);
    }
  }

  desiredState(name: string): InterfaceState | undefined {
    return this.entries.get(name)?.desired?.state.toState();
  }

  /** Interfaces with a desired state (applied, or accepted and queued). */
  interfaceNames(): string[] {
    return [...this.entries]
      .filter(([, e]) => e.known || e.desired)
      .map(([name]) => name)
      .sort();
  }

  /** The message of the last failed driver call on this interface, null after a success. */
  lastApplyError(name: string): string | null {
    return this.entries.get(name)?.lastApplyError ?? null;
  }

  /** The live interface, read now. */
  readLive(name: string): Promise<LiveInterface | null> {
    return this.driver.readInterface(name);
  }

  /**
   * The live interface for answers that only report it (health, live stats): the link's state read
   * now, its key, port and peers from a read shared with the callers of the last SHARED_READ_MS and never
   * from before a change queued here (shared-live-reads.ts). A driver that cannot read the halves apart
   * is read whole every time. The answer may be shared: do not change it.
   */
  async readLiveShared(name: string): Promise<LiveInterface | null> {
    if (!this.driver.readLinkUp || !this.driver.readDevice) return this.driver.readInterface(name);
    const up = await this.driver.readLinkUp(name);
    if (up === null) return null;
    const device = await this.liveReads.read(name);
    if (device === null || device.up === up) return device;
    return { ...device, up };
  }

  /**
   * Live peers of a managed interface that its desired state does not have, whole (preshared keys
   * included), so one can be adopted as it is.
   */
  async strayPeerConfigs(name: string): Promise<PeerSpec[]> {
    const desired = this.entries.get(name)?.desired?.state;
    if (!desired) throw new NotFoundError(`interface ${name}`);
    if (!this.driver.readConfig) throw new ConflictError("this node's driver cannot read a live interface");
    const config = await this.driver.readConfig(name);
    if (config === null) return [];
    const known = new Set(desired.peerList().map((peer) => peer.publicKey));
    return config.peers.filter((peer) => !known.has(peer.publicKey));
  }

  /** The live interface whole, keys included, for adopting it; refused for an interface managed here. */
  async readUnmanagedConfig(name: string, managed: readonly string[] = this.interfaceNames()) {
    if (managed.includes(name)) throw new ConflictError(`interface ${name} is managed here`, "name");
    if (!this.driver.readConfig) throw new ConflictError("this node's driver cannot read a live interface");
    const config = await this.driver.readConfig(name);
    if (config === null) throw new NotFoundError(`interface ${name}`);
    return config;
  }

  /**
   * Compares live with desired and repairs: re-creates a missing interface, restores missing or
   * changed peers. Stray live peers are reported, and removed only with `removeStray`.
   */
  repairDrift(name: string, options: DriftRepairOptions = {}): Promise<DriftReport> {
    const entry = this.entries.get(name);
    if (!entry?.known && !entry?.desired) return Promise.reject(new NotFoundError(`interface ${name}`));
    return this.enqueue(name, entry, () =>
      this.runRepair(name, entry, options.removeStray ?? false, options.restore ?? true),
    );
  }

  private queueApply(name: string, entry: Entry, next: Held): Promise<ApplyReport> {
    entry.known = true;
    entry.acceptedRevision = next.state.revision;
    entry.openOps = null;
    return this.enqueue(name, entry, () => this.runApply(name, entry, next));
  }

  /**
   * Queues a job that may change the live interface. When it ends, the shared read is dropped: one
   * started before or while it ran must not answer for after (until then the change is not acknowledged,
   * and an answer showing the interface without it is true).
   */
  private enqueue<T>(name: string, entry: Entry, job: () => Promise<T>): Promise<T> {
    return entry.queue.run(async () => {
      try {
        return await job();
      } finally {
        this.liveReads.invalidate(name);
      }
    });
  }

  // ---- jobs (run inside the interface's queue) ----------------------------------------------------

  private async runApply(name: string, entry: Entry, next: Held): Promise<ApplyReport> {
    await this.gate.ready;
    const previous = entry.desired?.state;
    entry.desired = next;
    const desired = next.state;
    const all = desired.peerList();
    this.gate.setPeers(name, all);
    this.startTicking();
    const peers = all.filter((peer) => this.gate.isOn(name, peer.publicKey));
    return this.recordErrors(entry, async () => {
      const live = await this.driver.readInterface(name);
      await this.driver.ensureInterface(desired.interfaceSpec);
      // Suspended peers that are live are in `remove` (not desired on the kernel), as are strays.
      const fromLive = diffLivePeers(peers, live?.peers ?? []);
      // Under the `report` policy a full apply leaves strays alone too (suspended peers still go).
      const keepStrays = desired.interfaceSpec.driftPolicy === "report";
      const known = new Set(all.map((peer) => peer.publicKey));
      const remove = keepStrays ? fromLive.remove.filter((key) => known.has(key)) : fromLive.remove;
      // A preshared key change is invisible live: the diff against the previous desired state carries it.
      // (The same object again was changed in place by its owner, through peer operations of its own.)
      const fromDesired =
        previous && previous !== desired
          ? diffPeers(previous.peerList(), all).upsert.filter((peer) => this.gate.isOn(name, peer.publicKey))
          : [];
      const upsert = mergeByKey(fromLive.upsert, fromDesired);
      this.gate.countersRestarted(absentFrom(live?.peers ?? [], upsert));
      this.gate.settleBaselines(keysOf(peers), live?.peers ?? []);
      await this.driver.setPeers(name, upsert);
      await this.driver.removePeers(name, remove);
      const report = {
        interfaceCreated: live === null,
        upserted: upsert.length,
        removed: remove.length,
      };
      this.logger.info({ interface: name, revision: desired.revision, ...report }, "state applied");
      return report;
    });
  }

  private queuePeerOps(
    name: string,
    revision: number | undefined,
    add: (ops: PendingPeerOps) => void,
  ): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry?.known) return Promise.reject(new NotFoundError(`interface ${name}`));
    if (revision !== undefined) entry.acceptedRevision = Math.max(entry.acceptedRevision, revision);
    let ops = entry.openOps;
    if (!ops || ops.started) {
      const fresh = new PendingPeerOps();
      ops = fresh;
      entry.openOps = fresh;
      fresh.done = this.enqueue(name, entry, () => this.runPeerOps(name, entry, fresh));
      // Each caller gets the shared outcome; an unobserved rejection must not crash the process.
      fresh.done.catch(() => {});
    }
    add(ops);
    return ops.done as Promise<void>;
  }

  private async runPeerOps(name: string, entry: Entry, ops: PendingPeerOps): Promise<void> {
    ops.started = true;
    if (entry.openOps === ops) entry.openOps = null;
    await this.gate.ready;
    const desired = entry.desired;
    if (!desired || !entry.known) throw new NotFoundError(`interface ${name}`);
    const { upsert, remove } = ops.result();
    // A caller-owned state already holds these operations.
    if (desired.owner === "controller") desired.state.applyPeers(upsert, remove, ops.highestRevision);
    const cameOn = this.gate.updatePeers(name, upsert, remove);
    this.startTicking();
    const on = upsert.filter((peer) => this.gate.isOn(name, peer.publicKey));
    const off = upsert.filter((peer) => !this.gate.isOn(name, peer.publicKey)).map((peer) => peer.publicKey);
    // Peers back from a suspension were taken off the kernel: they count from 0 or from a reading.
    this.gate.countersUnknown(cameOn);
    await this.recordErrors(entry, async () => {
      // A budget seen for the first time counts from now: read the counters before anything moves more.
      if (this.gate.needsBaseline(keysOf(on))) {
        const live = await this.driver.readInterface(name);
        this.gate.settleBaselines(keysOf(on), live?.peers ?? []);
      }
      await this.driver.setPeers(name, on);
      await this.driver.removePeers(name, [...remove, ...off]);
    });
    this.logger.debug(
      { interface: name, upserted: on.length, removed: remove.length, suspended: off.length },
      "peers applied",
    );
  }

  /** Puts the peers whose verdict flipped on the kernel or takes them off, as the gate says now. */
  private queueVerdicts(name: string, publicKeys: string[]): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry?.desired) return Promise.resolve();
    return this.enqueue(name, entry, () => this.runVerdicts(name, entry, publicKeys));
  }

  private async runVerdicts(name: string, entry: Entry, publicKeys: string[]): Promise<void> {
    if (!entry.desired) return;
    const on: PeerSpec[] = [];
    const off: string[] = [];
    for (const publicKey of publicKeys) {
      const spec = this.gate.spec(name, publicKey);
      // Removed meanwhile: its removal took it off the kernel.
      if (spec === undefined) continue;
      if (this.gate.isOn(name, publicKey)) on.push(spec);
      else off.push(publicKey);
    }
    await this.recordErrors(entry, async () => {
      if (on.length > 0) {
        const live = await this.driver.readInterface(name);
        this.gate.countersRestarted(absentFrom(live?.peers ?? [], on));
        this.gate.settleBaselines(keysOf(on), live?.peers ?? []);
        await this.driver.setPeers(name, on);
      }
      await this.driver.removePeers(name, off);
    });
  }

  /** Reads the live counters for the budgets; takes peers whose budget ran out off the kernel. */
  private async runCountTraffic(name: string, entry: Entry): Promise<void> {
    if (!entry.desired) return;
    await this.recordErrors(entry, async () => {
      const live = await this.driver.readInterface(name);
      if (!live) return;
      const ranOut = this.gate.countTraffic(name, live.peers);
      await this.driver.removePeers(name, ranOut);
    });
  }

  private startTicking(): void {
    if (this.timer || this.closed || !this.gate.hasRules()) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.checkAccess()
        .catch((error: unknown) => this.logger.warn({ err: error }, "access check failed"))
        .finally(() => {
          this.ticking = null;
          this.startTicking();
        });
    }, this.tickMs);
    this.timer.unref();
  }

  private async runRepair(
    name: string,
    entry: Entry,
    removeStray: boolean,
    restore: boolean,
  ): Promise<DriftReport> {
    await this.gate.ready;
    const desired = entry.desired?.state;
    if (!desired) throw new NotFoundError(`interface ${name}`);
    return this.recordErrors(entry, async () => {
      const live = await this.driver.readInterface(name);
      if (!restore) return this.reportOnly(name, desired.peerList(), live, removeStray);
      await this.driver.ensureInterface(desired.interfaceSpec);
      const all = desired.peerList();
      const on = all.filter((peer) => this.gate.isOn(name, peer.publicKey));
      const diff = diffLivePeers(on, live?.peers ?? []);
      // Live keys not on: suspended peers (desired, kept off: removed, never reported) and strays.
      const suspended = new Set(
        all.filter((peer) => !this.gate.isOn(name, peer.publicKey)).map((p) => p.publicKey),
      );
      const stray = diff.stray.filter((key) => !suspended.has(key));
      const suspendedLive = diff.stray.filter((key) => suspended.has(key));
      this.gate.countersRestarted(absentFrom(live?.peers ?? [], diff.upsert));
      this.gate.settleBaselines(keysOf(on), live?.peers ?? []);
      await this.driver.setPeers(name, diff.upsert);
      await this.driver.removePeers(name, removeStray ? diff.stray : suspendedLive);
      const liveKeys = new Set((live?.peers ?? []).map((peer) => peer.publicKey));
      const report: DriftReport = {
        interfaceRestored: live === null,
        restored: diff.upsert.length,
        stray,
        strayRemoved: removeStray ? stray.length : 0,
        missing: on.filter((peer) => !liveKeys.has(peer.publicKey)).map((peer) => peer.publicKey),
      };
      if (report.interfaceRestored || report.restored > 0 || report.stray.length > 0) {
        this.logger.warn({ interface: name, ...report, stray: report.stray.length }, "drift found");
      }
      return report;
    });
  }

  /** A check that changes nothing but, when asked, removes strays: what is missing stays missing. */
  private async reportOnly(
    name: string,
    all: PeerSpec[],
    live: LiveInterface | null,
    removeStray: boolean,
  ): Promise<DriftReport> {
    const on = all.filter((peer) => this.gate.isOn(name, peer.publicKey));
    const desiredKeys = new Set(all.map((peer) => peer.publicKey));
    const liveKeys = new Set((live?.peers ?? []).map((peer) => peer.publicKey));
    const stray = [...liveKeys].filter((key) => !desiredKeys.has(key));
    if (removeStray && live !== null) await this.driver.removePeers(name, stray);
    return {
      interfaceRestored: false,
      restored: 0,
      stray,
      strayRemoved: removeStray && live !== null ? stray.length : 0,
      missing: on.filter((peer) => !liveKeys.has(peer.publicKey)).map((peer) => peer.publicKey),
    };
  }

  private async recordErrors<T>(entry: Entry, body: () => Promise<T>): Promise<T> {
    try {
      const result = await body();
      entry.lastApplyError = null;
      return result;
    } catch (error) {
      entry.lastApplyError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private entry(name: string): Entry {
    let entry = this.entries.get(name);
    if (!entry) {
      entry = {
        queue: new SerialQueue(),
        desired: undefined,
        known: false,
        acceptedRevision: -1,
        openOps: null,
        lastApplyError: null,
        countingTraffic: false,
      };
      this.entries.set(name, entry);
    }
    return entry;
  }
}

function keysOf(peers: readonly PeerSpec[]): string[] {
  return peers.map((peer) => peer.publicKey);
}

/** Keys of `peers` that are not live: putting them on the kernel starts their counters at 0. */
function absentFrom(live: readonly { publicKey: string }[], peers: readonly PeerSpec[]): string[] {
  const liveKeys = new Set(live.map((peer) => peer.publicKey));
  return peers.filter((peer) => !liveKeys.has(peer.publicKey)).map((peer) => peer.publicKey);
}

/** `first` plus the peers of `second` whose key is not in `first`. */
function mergeByKey(first: PeerSpec[], second: PeerSpec[]): PeerSpec[] {
  const keys = new Set(first.map((p) => p.publicKey));
  return [...first, ...second.filter((p) => !keys.has(p.publicKey))];
}
