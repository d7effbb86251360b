// The per-node queue of changes: one change in flight per node, in the order they were asked for, so
// an agent never sees a removal overtake the upsert before it. Peer changes to one interface that wait
// together are coalesced into one call (the last word on each key wins); when such a combined call is
// refused for its content, each change is sent alone so that one bad peer fails only its own request.
// A change that waited longer than the wait limit (the node is hanging) fails without being sent.
import type { PeerSpec } from "@wgfleet/core";

export interface PeerChange {
  upsert: PeerSpec[];
  remove: string[];
  revision: number;
}

export interface ChangeQueueOptions {
  /** Sends one (possibly combined) peer change of one interface. */
  sendPeers(interfaceName: string, change: PeerChange): Promise<void>;
  /** A combined call failed for this reason: should each change be tried alone? */
  shouldIsolate(error: unknown): boolean;
  /** The error for a change that waited too long. */
  expired(waitedMs: number): Error;
  /** How long a change may wait for its turn. */
  maxWaitMs: number;
  /** Most peers in one combined call. */
  maxBatchPeers?: number;
  now?: () => number;
}

interface Waiting {
  enqueuedAt: number;
  resolve(): void;
  reject(error: unknown): void;
}

type Entry =
  | (Waiting & { kind: "peers"; interfaceName: string; change: PeerChange })
  | (Waiting & { kind: "task"; run: () => Promise<void> });

const DEFAULT_MAX_BATCH_PEERS = 1000;

export class ChangeQueue {
  private readonly entries: Entry[] = [];
  private running = false;
  private readonly now: () => number;

  constructor(private readonly options: ChangeQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Changes waiting or in flight. */
  get size(): number {
    return this.entries.length + (this.running ? 1 : 0);
  }

  peers(interfaceName: string, change: PeerChange): Promise<void> {
    return this.enqueue((waiting) => ({ ...waiting, kind: "peers", interfaceName, change }));
  }

  /** Any other change (a full state, an interface removal): alone, in its turn. */
  task(run: () => Promise<void>): Promise<void> {
    return this.enqueue((waiting) => ({ ...waiting, kind: "task", run }));
  }

  private enqueue(make: (waiting: Waiting) => Entry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.entries.push(make({ enqueuedAt: this.now(), resolve, reject }));
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let head = this.entries.shift(); head; head = this.entries.shift()) {
        const waited = this.now() - head.enqueuedAt;
        if (waited > this.options.maxWaitMs) {
          head.reject(this.options.expired(waited));
          continue;
        }
        if (head.kind === "task") await settle([head], head.run);
        else await this.sendPeerRun(head);
      }
    } finally {
      this.running = false;
    }
  }

  /** The head and the peer changes of the same interface right behind it, in one call. */
  private async sendPeerRun(head: Extract<Entry, { kind: "peers" }>): Promise<void> {
    const run = [head];
    let peers = head.change.upsert.length + head.change.remove.length;
    const limit = this.options.maxBatchPeers ?? DEFAULT_MAX_BATCH_PEERS;
    for (let next = this.entries[0]; next; next = this.entries[0]) {
      if (next.kind !== "peers" || next.interfaceName !== head.interfaceName) break;
      if (this.now() - next.enqueuedAt > this.options.maxWaitMs) break;
      const size = next.change.upsert.length + next.change.remove.length;
      if (peers + size > limit) break;
      run.push(next);
      peers += size;
      this.entries.shift();
    }
    const merged = mergeChanges(run.map((entry) => entry.change));
    try {
      await this.options.sendPeers(head.interfaceName, merged);
      for (const entry of run) entry.resolve();
    } catch (error) {
      if (run.length === 1 || !this.options.shouldIsolate(error)) {
        for (const entry of run) entry.reject(error);
        return;
      }
      for (const entry of run) {
        await settle([entry], () => this.options.sendPeers(entry.interfaceName, entry.change));
      }
    }
  }
}

async function settle(entries: Waiting[], work: () => Promise<void>): Promise<void> {
  try {
    await work();
    for (const entry of entries) entry.resolve();
  } catch (error) {
    for (const entry of entries) entry.reject(error);
  }
}

/** Changes in order as one: each key ends as its last change said; the highest revision. */
export function mergeChanges(changes: readonly PeerChange[]): PeerChange {
  const last = new Map<string, PeerSpec | null>();
  let revision = 0;
  for (const change of changes) {
    for (const peer of change.upsert) {
      last.delete(peer.publicKey);
      last.set(peer.publicKey, peer);
    }
    for (const key of change.remove) {
      last.delete(key);
      last.set(key, null);
    }
    revision = Math.max(revision, change.revision);
  }
  const upsert: PeerSpec[] = [];
  const remove: string[] = [];
  for (const [key, peer] of last) {
    if (peer) upsert.push(peer);
    else remove.push(key);
  }
  return { upsert, remove, revision };
}
