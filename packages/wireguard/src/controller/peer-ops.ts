// Peer operations waiting for their turn on one interface, merged as they arrive: the last operation
// per public key wins, so many concurrent requests become one setPeers plus one removePeers.
import type { PeerSpec } from "@wgfleet/core";

type PeerOp = { kind: "upsert"; peer: PeerSpec } | { kind: "remove" };

export class PendingPeerOps {
  private readonly ops = new Map<string, PeerOp>();
  private revision: number | undefined;
  /** Becomes true when the job that applies these operations starts: later operations go elsewhere. */
  started = false;
  /** Settles when the job that applies these operations ends. */
  done: Promise<void> | undefined;

  upsert(peers: readonly PeerSpec[], revision?: number): void {
    for (const peer of peers) this.set(peer.publicKey, { kind: "upsert", peer });
    this.raise(revision);
  }

  remove(publicKeys: readonly string[], revision?: number): void {
    for (const key of publicKeys) this.set(key, { kind: "remove" });
    this.raise(revision);
  }

  get highestRevision(): number | undefined {
    return this.revision;
  }

  /** The merged operations: whole peers to upsert and keys to remove, each key at most once. */
  result(): { upsert: PeerSpec[]; remove: string[] } {
    const upsert: PeerSpec[] = [];
    const remove: string[] = [];
    for (const [key, op] of this.ops) {
      if (op.kind === "upsert") upsert.push(op.peer);
      else remove.push(key);
    }
    return { upsert, remove };
  }

  private set(key: string, op: PeerOp): void {
    // Delete first so the key moves to the end: the order of operations is kept.
    this.ops.delete(key);
    this.ops.set(key, op);
  }

  private raise(revision: number | undefined): void {
    if (revision === undefined) return;
    this.revision = this.revision === undefined ? revision : Math.max(this.revision, revision);
  }
}
