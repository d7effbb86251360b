// Brings each live interface to its desired state through a WireGuardDriver: full states by a diff
// against live, single peer changes incrementally. Work on one interface is serialised; peer operations
// that arrive while it is busy are merged into one driver call.
//
// One desired state per interface, held by reference: `applyState` hands over a state the controller
// then owns and changes for peer operations (a caller that keeps none, like the dashboard's local node);
// `applyDesired` hands over one its caller owns (the agent's store), which the caller changes in place
// before it reports the peer operations, so they only reach the driver. Either way a peer operation
// costs O(changed peers). A driver failure is remembered as `lastApplyError` for drift repair to retry.
import {
  ConflictError,
  diffLivePeers,
  diffPeers,
  type InterfaceState,
  NotFoundError,
  type PeerSpec,
} from "@wgfleet/core";
import type { LiveInterface, WireGuardDriver } from "../driver.js";
import { type Logger, silentLogger } from "../logger.js";
import { PROBE_PREFIX } from "../system/system-driver.js";
import { DesiredState } from "./desired-state.js";
import type { DesiredInterfaceView } from "./desired-view.js";
import { PendingPeerOps } from "./peer-ops.js";
import { SerialQueue } from "./serial-queue.js";

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
}

export interface InterfaceControllerOptions {
  logger?: Logger;
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
}

export class InterfaceController {
  private readonly entries = new Map<string, Entry>();
  private readonly logger: Logger;

  constructor(
    private readonly driver: WireGuardDriver,
    options: InterfaceControllerOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
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
    return entry.queue.run(async () => {
      const spec = entry.desired?.state.interfaceSpec;
      entry.desired = undefined;
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
    await this.driver.removeInterface(name);
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

  readLive(name: string): Promise<LiveInterface | null> {
    return this.driver.readInterface(name);
  }

  /**
   * Compares live with desired and repairs: re-creates a missing interface, restores missing or
   * changed peers. Stray live peers are reported, and removed only with `removeStray`.
   */
  repairDrift(name: string, options: { removeStray?: boolean } = {}): Promise<DriftReport> {
    const entry = this.entries.get(name);
    if (!entry?.known && !entry?.desired) return Promise.reject(new NotFoundError(`interface ${name}`));
    return entry.queue.run(() => this.runRepair(name, entry, options.removeStray ?? false));
  }

  private queueApply(name: string, entry: Entry, next: Held): Promise<ApplyReport> {
    entry.known = true;
    entry.acceptedRevision = next.state.revision;
    entry.openOps = null;
    return entry.queue.run(() => this.runApply(name, entry, next));
  }

  // ---- jobs (run inside the interface's queue) ----------------------------------------------------

  private async runApply(name: string, entry: Entry, next: Held): Promise<ApplyReport> {
    const previous = entry.desired?.state;
    entry.desired = next;
    const desired = next.state;
    return this.recordErrors(entry, async () => {
      const peers = desired.peerList();
      const live = await this.driver.readInterface(name);
      await this.driver.ensureInterface(desired.interfaceSpec);
      const fromLive = diffLivePeers(peers, live?.peers ?? []);
      // A preshared key change is invisible live: the diff against the previous desired state carries it.
      // (The same object again was changed in place by its owner, through peer operations of its own.)
      const fromDesired =
        previous && previous !== desired ? diffPeers(previous.peerList(), peers).upsert : [];
      const upsert = mergeByKey(fromLive.upsert, fromDesired);
      await this.driver.setPeers(name, upsert);
      await this.driver.removePeers(name, fromLive.remove);
      const report = {
        interfaceCreated: live === null,
        upserted: upsert.length,
        removed: fromLive.remove.length,
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
      fresh.done = entry.queue.run(() => this.runPeerOps(name, entry, fresh));
      // Each caller gets the shared outcome; an unobserved rejection must not crash the process.
      fresh.done.catch(() => {});
    }
    add(ops);
    return ops.done as Promise<void>;
  }

  private async runPeerOps(name: string, entry: Entry, ops: PendingPeerOps): Promise<void> {
    ops.started = true;
    if (entry.openOps === ops) entry.openOps = null;
    const desired = entry.desired;
    if (!desired || !entry.known) throw new NotFoundError(`interface ${name}`);
    const { upsert, remove } = ops.result();
    // A caller-owned state already holds these operations.
    if (desired.owner === "controller") desired.state.applyPeers(upsert, remove, ops.highestRevision);
    await this.recordErrors(entry, async () => {
      await this.driver.setPeers(name, upsert);
      await this.driver.removePeers(name, remove);
    });
    this.logger.debug({ interface: name, upserted: upsert.length, removed: remove.length }, "peers applied");
  }

  private async runRepair(name: string, entry: Entry, removeStray: boolean): Promise<DriftReport> {
    const desired = entry.desired?.state;
    if (!desired) throw new NotFoundError(`interface ${name}`);
    return this.recordErrors(entry, async () => {
      const live = await this.driver.readInterface(name);
      await this.driver.ensureInterface(desired.interfaceSpec);
      const diff = diffLivePeers(desired.peerList(), live?.peers ?? []);
      await this.driver.setPeers(name, diff.upsert);
      if (removeStray) await this.driver.removePeers(name, diff.stray);
      const report: DriftReport = {
        interfaceRestored: live === null,
        restored: diff.upsert.length,
        stray: diff.stray,
        strayRemoved: removeStray ? diff.stray.length : 0,
      };
      if (report.interfaceRestored || report.restored > 0 || report.stray.length > 0) {
        this.logger.warn({ interface: name, ...report, stray: report.stray.length }, "drift found");
      }
      return report;
    });
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
      };
      this.entries.set(name, entry);
    }
    return entry;
  }
}

/** `first` plus the peers of `second` whose key is not in `first`. */
function mergeByKey(first: PeerSpec[], second: PeerSpec[]): PeerSpec[] {
  const keys = new Set(first.map((p) => p.publicKey));
  return [...first, ...second.filter((p) => !keys.has(p.publicKey))];
}
