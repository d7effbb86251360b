// The agent's desired state, persisted before it is applied. Each interface has a queue: changes are
// checked against the desired state, journalled and fsynced in order (concurrent peer changes share one
// write and one fsync), and only then handed to `apply`, in the same order — so the WireGuard side sees
// changes in exactly the order the disk holds them. It never applies anything that is not on disk, and
// while a write is under way the in-memory model still shows what is on disk (the controller reads it).
import {
  ConflictError,
  type InterfaceSpec,
  type InterfaceState,
  NotFoundError,
  type PeerSpec,
} from "@wgfleet/core";
import type { AgentLogger } from "../logging/logger.js";
import { DesiredInterface, type PeerChange } from "./desired-interface.js";
import { type Journal, type JournalEntry, SNAPSHOT_FORMAT, StateFiles } from "./state-files.js";

/** What runs once a change is on disk; its result is the caller's result. */
export type Apply<T> = (desired: DesiredInterface) => Promise<T>;

export interface StateStoreOptions {
  dir: string;
  logger: AgentLogger;
  /** The journal is folded into a new snapshot once it is larger than this and than the snapshot. */
  compactAtBytes?: number;
  /** At most this many queued changes share one journal write. */
  maxGroup?: number;
}

interface ChangeTask {
  kind: "change";
  change: PeerChange;
  field: string;
  apply: Apply<unknown>;
  settle: Settle;
}

interface BarrierTask {
  kind: "barrier";
  /** Writes to disk and returns the function that applies (null: nothing to apply). */
  commit: (slot: Slot) => Promise<() => Promise<unknown>>;
  settle: Settle;
}

interface AcceptedChange {
  task: ChangeTask;
  undo: () => void;
  entry: JournalEntry;
}

interface Settle {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  name: string;
  desired: DesiredInterface | null;
  seq: number;
  journal: Journal | null;
  journalBytes: number;
  snapshotBytes: number;
  /** A journal write failed part-way: the next change rewrites the snapshot instead of appending. */
  journalSuspect: boolean;
  queue: Array<ChangeTask | BarrierTask>;
  draining: boolean;
}

export class StateStore {
  private readonly slots = new Map<string, Slot>();
  private readonly compactAtBytes: number;
  private readonly maxGroup: number;
  private readonly snapshotInsteadAt = 1000;
  private readonly logger: AgentLogger;

  private constructor(
    private readonly files: StateFiles,
    options: StateStoreOptions,
  ) {
    this.compactAtBytes = options.compactAtBytes ?? 1024 * 1024;
    this.maxGroup = options.maxGroup ?? 1000;
    this.logger = options.logger;
  }

  /** Loads every interface's snapshot and journal; folds any journal into a fresh snapshot. */
  static async open(options: StateStoreOptions): Promise<StateStore> {
    const files = new StateFiles(options.dir);
    await files.prepare();
    const store = new StateStore(files, options);
    for (const name of await files.interfaceNames()) await store.loadInterface(name);
    return store;
  }

  get dir(): string {
    return this.files.dir;
  }

  names(): string[] {
    return [...this.slots.values()].filter((s) => s.desired !== null).map((s) => s.name);
  }

  get(name: string): DesiredInterface | undefined {
    return this.slots.get(name)?.desired ?? undefined;
  }

  /** Creates the interface (no peers) or replaces its spec, keeping its peers. */
  putInterface<T>(spec: InterfaceSpec, revision: number | undefined, apply: Apply<T>): Promise<T> {
    return this.enqueueBarrier(spec.name, async (slot) => {
      if (slot.desired === null) {
        const desired = DesiredInterface.fromState({ revision: revision ?? 0, interface: spec, peers: [] });
        await this.writeSnapshot(slot, desired.toState());
        slot.desired = desired;
      } else {
        const desired = slot.desired;
        const nextRevision = Math.max(desired.revision, revision ?? desired.revision);
        await this.writeSnapshot(slot, {
          revision: nextRevision,
          interface: spec,
          peers: desired.peerList(),
        });
        desired.setSpec(spec, revision);
      }
      const desired = slot.desired;
      return () => apply(desired);
    }) as Promise<T>;
  }

  /** Replaces the whole desired state; ConflictError when its revision is older than the stored one. */
  putState<T>(state: InterfaceState, apply: Apply<T>): Promise<T> {
    return this.enqueueBarrier(state.interface.name, async (slot) => {
      if (slot.desired !== null && state.revision < slot.desired.revision) {
        throw new ConflictError(
          `revision ${state.revision} is older than the applied revision ${slot.desired.revision}`,
          "revision",
        );
      }
      const desired = DesiredInterface.fromState(state);
      await this.writeSnapshot(slot, desired.toState());
      slot.desired = desired;
      return () => apply(desired);
    }) as Promise<T>;
  }

  removeInterface<T>(name: string, apply: () => Promise<T>): Promise<T> {
    return this.enqueueBarrier(name, async (slot) => {
      if (slot.desired === null) throw new NotFoundError(`interface ${name}`);
      await this.closeJournal(slot);
      await this.files.remove(name);
      slot.desired = null;
      slot.seq = 0;
      slot.journalBytes = 0;
      slot.snapshotBytes = 0;
      return apply;
    }) as Promise<T>;
  }

  upsertPeers<T>(
    name: string,
    peers: PeerSpec[],
    revision: number | undefined,
    field: string,
    apply: Apply<T>,
  ) {
    return this.enqueueChange(name, { upsert: peers, remove: [], revision }, field, apply);
  }

  removePeers<T>(name: string, publicKeys: string[], revision: number | undefined, apply: Apply<T>) {
    return this.enqueueChange(name, { upsert: [], remove: publicKeys, revision }, "publicKey", apply);
  }

  applyBatch<T>(name: string, change: PeerChange, apply: Apply<T>) {
    return this.enqueueChange(name, change, "batch", apply);
  }

  /** Waits for queued work and closes the journals. */
  async close(): Promise<void> {
    for (const slot of this.slots.values()) {
      while (slot.draining || slot.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
      await this.closeJournal(slot);
    }
  }

  private enqueueChange<T>(name: string, change: PeerChange, field: string, apply: Apply<T>): Promise<T> {
    const slot = this.slots.get(name);
    if (!slot) return Promise.reject(new NotFoundError(`interface ${name}`));
    return new Promise<T>((resolve, reject) => {
      slot.queue.push({
        kind: "change",
        change,
        field,
        apply,
        settle: { resolve: resolve as Settle["resolve"], reject },
      });
      void this.drain(slot);
    });
  }

  private enqueueBarrier(name: string, commit: BarrierTask["commit"]): Promise<unknown> {
    const slot = this.slotFor(name);
    return new Promise((resolve, reject) => {
      slot.queue.push({ kind: "barrier", commit, settle: { resolve, reject } });
      void this.drain(slot);
    });
  }

  private slotFor(name: string): Slot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = {
        name,
        desired: null,
        seq: 0,
        journal: null,
        journalBytes: 0,
        snapshotBytes: 0,
        journalSuspect: false,
        queue: [],
        draining: false,
      };
      this.slots.set(name, slot);
    }
    return slot;
  }

  private async drain(slot: Slot): Promise<void> {
    if (slot.draining) return;
    slot.draining = true;
    try {
      while (slot.queue.length > 0) {
        const head = slot.queue[0] as ChangeTask | BarrierTask;
        if (head.kind === "barrier") {
          slot.queue.shift();
          await this.runBarrier(slot, head);
        } else {
          await this.commitChanges(slot, this.takeChanges(slot));
        }
      }
    } finally {
      slot.draining = false;
      if (slot.desired === null && slot.queue.length === 0) this.slots.delete(slot.name);
    }
  }

  private takeChanges(slot: Slot): ChangeTask[] {
    const group: ChangeTask[] = [];
    while (group.length < this.maxGroup && slot.queue[0]?.kind === "change") {
      group.push(slot.queue.shift() as ChangeTask);
    }
    return group;
  }

  private async runBarrier(slot: Slot, task: BarrierTask): Promise<void> {
    let apply: () => Promise<unknown>;
    try {
      apply = await task.commit(slot);
    } catch (error) {
      task.settle.reject(error);
      return;
    }
    apply().then(task.settle.resolve, task.settle.reject);
  }

  private async commitChanges(slot: Slot, group: ChangeTask[]): Promise<void> {
    const desired = slot.desired;
    if (desired === null) {
      for (const task of group) task.settle.reject(new NotFoundError(`interface ${slot.name}`));
      return;
    }
    const accepted = this.checkChanges(slot, desired, group);
    if (accepted.length === 0) return;
    const entries = accepted.map((a) => a.entry);
    // Checked on the model, then stepped back: until the write is done the model shows what is on disk.
    const snapshot = this.snapshotInstead(slot, desired, entries) ? desired.toState() : null;
    for (const { undo } of [...accepted].reverse()) undo();
    try {
      await this.persistChanges(slot, entries, snapshot);
    } catch (error) {
      slot.seq -= accepted.length;
      for (const { task } of accepted) task.settle.reject(error);
      return;
    }
    // On disk: the same changes again (they passed on this very state), then to the appliers in journal
    // order, without waiting, so they can coalesce.
    for (const { task } of accepted) desired.applyChange(task.change, task.field);
    for (const { task } of accepted) task.apply(desired).then(task.settle.resolve, task.settle.reject);
    if (slot.journalBytes > Math.max(this.compactAtBytes, slot.snapshotBytes))
      await this.compact(slot, desired);
  }

  /** Applies each change of the group on the model; a refused one is settled here and leaves no trace. */
  private checkChanges(slot: Slot, desired: DesiredInterface, group: ChangeTask[]): AcceptedChange[] {
    const accepted: AcceptedChange[] = [];
    for (const task of group) {
      try {
        const undo = desired.applyChange(task.change, task.field);
        slot.seq += 1;
        accepted.push({ task, undo, entry: { seq: slot.seq, ...task.change } });
      } catch (error) {
        task.settle.reject(error);
      }
    }
    return accepted;
  }

  /** A change as large as the interface itself would be folded right away: write the snapshot instead. */
  private snapshotInstead(slot: Slot, desired: DesiredInterface, entries: JournalEntry[]): boolean {
    const touched = entries.reduce((n, e) => n + e.upsert.length + e.remove.length, 0);
    return slot.journalSuspect || touched > Math.max(this.snapshotInsteadAt, desired.peerCount / 2);
  }

  private async persistChanges(
    slot: Slot,
    entries: JournalEntry[],
    snapshot: InterfaceState | null,
  ): Promise<void> {
    if (snapshot) {
      await this.writeSnapshot(slot, snapshot);
      return;
    }
    slot.journal ??= await this.files.openJournal(slot.name);
    try {
      slot.journalBytes += await slot.journal.append(entries);
    } catch (error) {
      slot.journalSuspect = true;
      await this.closeJournal(slot);
      throw error;
    }
  }

  private async compact(slot: Slot, desired: DesiredInterface): Promise<void> {
    try {
      await this.writeSnapshot(slot, desired.toState());
    } catch (error) {
      this.logger.warn({ interface: slot.name, err: error }, "state compaction failed; the journal is kept");
    }
  }

  private async writeSnapshot(slot: Slot, state: InterfaceState): Promise<void> {
    await this.closeJournal(slot);
    slot.snapshotBytes = await this.files.writeSnapshot(slot.name, {
      format: SNAPSHOT_FORMAT,
      seq: slot.seq,
      state,
    });
    slot.journalBytes = 0;
    slot.journalSuspect = false;
  }

  private async closeJournal(slot: Slot): Promise<void> {
    const journal = slot.journal;
    slot.journal = null;
    await journal?.close().catch(() => {});
  }

  private async loadInterface(name: string): Promise<void> {
    const loaded = await this.files.load(name);
    const state = loaded.snapshot.state;
    if (state.interface.name !== name) {
      throw new Error(
        `state file ${this.files.snapshotPath(name)} holds interface "${state.interface.name}"`,
      );
    }
    const desired = DesiredInterface.fromState(state);
    let seq = loaded.snapshot.seq;
    for (const entry of loaded.entries) {
      try {
        desired.applyChange(entry, "journal");
      } catch (error) {
        this.logger.error(
          { interface: name, seq: entry.seq, err: error },
          "journal entry could not be replayed",
        );
      }
      seq = Math.max(seq, entry.seq);
    }
    const slot = this.slotFor(name);
    slot.desired = desired;
    slot.seq = seq;
    slot.snapshotBytes = loaded.snapshotBytes;
    if (loaded.tornTail) this.logger.warn({ interface: name }, "ignored a journal line cut short by a crash");
    if (loaded.entries.length > 0 || loaded.tornTail || loaded.journalBytes > 0)
      await this.writeSnapshot(slot, desired.toState());
  }
}
