// One read of an interface's peers shared by the answers that only report it (an agent's health, its
// live-peer listing, its interface list): the dashboard's health and stats pollers run on the same
// 10 s tick, so each node is asked both within moments of each other, and each answer used to read
// every peer over the UAPI socket on its own. (The link's admin state is cheap and read for each answer:
// InterfaceController.readLiveShared.) A read is shared while it is in flight and for SHARED_READ_MS
// after it started, never across a change the controller makes to the interface: every queued job
// (apply, peer changes, access verdicts, drift repair, removal) drops the interface's read when it
// ends, so an answer never shows the peers as they were before a change the agent has acknowledged.
// Peers changed outside wgfleet (`wg set` by hand) show at most SHARED_READ_MS late — well inside the
// 10 s the pollers ask at.
import type { LiveInterface } from "../driver.js";

/** How long a started read is handed to later callers (a small part of the 10 s poll interval). */
export const SHARED_READ_MS = 1_000;

interface SharedRead {
  startedAt: number;
  read: Promise<LiveInterface | null>;
}

export class SharedLiveReads {
  private readonly reads = new Map<string, SharedRead>();

  constructor(
    private readonly readNow: (name: string) => Promise<LiveInterface | null>,
    private readonly shareMs = SHARED_READ_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The interface as a read started at most `shareMs` ago (and after the last change) saw it, or a new
   * read. Callers share the answer: they must not change it.
   */
  read(name: string): Promise<LiveInterface | null> {
    const now = this.now();
    const shared = this.reads.get(name);
    if (shared && now - shared.startedAt <= this.shareMs) return shared.read;
    const entry: SharedRead = { startedAt: now, read: this.readNow(name) };
    this.reads.set(name, entry);
    // A failed read is not handed on: the next caller tries again.
    entry.read.catch(() => {
      if (this.reads.get(name) === entry) this.reads.delete(name);
    });
    return entry.read;
  }

  /** The interface changes (or is about to): no read started before now is handed out again. */
  invalidate(name: string): void {
    this.reads.delete(name);
  }
}
