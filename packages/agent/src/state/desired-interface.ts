// One interface's desired state in memory: its spec, revision and peers keyed by public key, with an
// index of allowed IPs so that two peers can never claim the same route (WireGuard would move it to the
// last one set, and drift repair would then fight itself forever). Pure; mutations can be undone. The
// agent's only model of desired state: the controller reads it by reference.
import {
  ConflictError,
  canonicalPeerText,
  digestOfPeerTexts,
  type InterfaceSpec,
  type InterfaceState,
  type PeerSpec,
} from "@wgfleet/core";
import type { DesiredInterfaceView } from "@wgfleet/wireguard";

/** One peer change, as journalled: upserts then removals, with an optional revision. */
export interface PeerChange {
  upsert: PeerSpec[];
  remove: string[];
  revision?: number;
}

type Undo = () => void;

export class DesiredInterface implements DesiredInterfaceView {
  private peers = new Map<string, PeerSpec>();
  /** allowed IP (canonical CIDR text) -> public key of the peer that holds it. */
  private routes = new Map<string, string>();
  private cachedDigest: string | null = null;
  /**
   * Each peer's canonical text for the digest, by the spec object held (specs are never changed in
   * place: an upsert stores a new one), so a digest after a change redoes only the changed peers.
   */
  private readonly peerTexts = new WeakMap<PeerSpec, string>();

  private constructor(
    private spec: InterfaceSpec,
    private revisionValue: number,
  ) {}

  /** Builds from a full state; ConflictError when two peers share a key or an allowed IP. */
  static fromState(state: InterfaceState): DesiredInterface {
    const desired = new DesiredInterface(state.interface, state.revision);
    const seen = new Set<string>();
    state.peers.forEach((peer, i) => {
      if (seen.has(peer.publicKey))
        throw new ConflictError(`peer ${peer.publicKey} appears twice`, `peers[${i}]`);
      seen.add(peer.publicKey);
      desired.upsert(peer, `peers[${i}]`);
    });
    return desired;
  }

  get name(): string {
    return this.spec.name;
  }

  get revision(): number {
    return this.revisionValue;
  }

  get interfaceSpec(): InterfaceSpec {
    return this.spec;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  peer(publicKey: string): PeerSpec | undefined {
    return this.peers.get(publicKey);
  }

  peerList(): PeerSpec[] {
    return [...this.peers.values()];
  }

  toState(): InterfaceState {
    return { revision: this.revisionValue, interface: this.spec, peers: this.peerList() };
  }

  /**
   * SHA-256 of the canonical desired state (core's digestInterfaceState), cached until the next change;
   * then built from the peers' kept texts. Redoing every peer's canonical form after each change cost a
   * health poll during a burst 2.3 ms at 100 peers and 63 ms at 3,000 (warm process; BENCHMARKS.md, poll).
   */
  digest(): string {
    this.cachedDigest ??= digestOfPeerTexts(
      this.spec,
      // Code-unit order, as core sorts the peers.
      [...this.peers.keys()].sort().map((key) => this.peerText(this.peers.get(key) as PeerSpec)),
    );
    return this.cachedDigest;
  }

  private peerText(peer: PeerSpec): string {
    let text = this.peerTexts.get(peer);
    if (text === undefined) {
      text = canonicalPeerText(peer);
      this.peerTexts.set(peer, text);
    }
    return text;
  }

  /** Replaces the interface spec (peers kept); the revision only moves up. Returns an undo. */
  setSpec(spec: InterfaceSpec, revision?: number): Undo {
    const previous = { spec: this.spec, revision: this.revisionValue };
    this.spec = spec;
    if (revision !== undefined) this.revisionValue = Math.max(this.revisionValue, revision);
    this.cachedDigest = null;
    return () => {
      this.spec = previous.spec;
      this.revisionValue = previous.revision;
      this.cachedDigest = null;
    };
  }

  /**
   * Applies upserts then removals; all or nothing (ConflictError on a route held by another peer).
   * Returns an undo that restores the state before the call.
   */
  applyChange(change: PeerChange, field = "peer"): Undo {
    const undos: Undo[] = [];
    try {
      change.upsert.forEach((peer, i) => {
        undos.push(this.upsert(peer, change.upsert.length === 1 ? field : `${field}.upsert[${i}]`));
      });
      for (const key of change.remove) undos.push(this.remove(key));
    } catch (error) {
      for (const undo of undos.reverse()) undo();
      throw error;
    }
    const previousRevision = this.revisionValue;
    if (change.revision !== undefined) this.revisionValue = Math.max(this.revisionValue, change.revision);
    this.cachedDigest = null;
    return () => {
      this.revisionValue = previousRevision;
      for (const undo of undos.reverse()) undo();
      this.cachedDigest = null;
    };
  }

  private upsert(peer: PeerSpec, field: string): Undo {
    const previous = this.peers.get(peer.publicKey);
    peer.allowedIps.forEach((cidr, i) => {
      const holder = this.routes.get(cidr);
      if (holder !== undefined && holder !== peer.publicKey) {
        throw new ConflictError(
          `allowed IP ${cidr} already belongs to peer ${holder}`,
          `${field}.allowedIps[${i}]`,
        );
      }
    });
    if (previous) this.unroute(previous);
    this.peers.set(peer.publicKey, peer);
    this.route(peer);
    this.cachedDigest = null;
    return () => {
      this.unroute(peer);
      if (previous) {
        this.peers.set(previous.publicKey, previous);
        this.route(previous);
      } else {
        this.peers.delete(peer.publicKey);
      }
      this.cachedDigest = null;
    };
  }

  private remove(publicKey: string): Undo {
    const previous = this.peers.get(publicKey);
    if (!previous) return () => {};
    this.unroute(previous);
    this.peers.delete(publicKey);
    this.cachedDigest = null;
    return () => {
      this.peers.set(previous.publicKey, previous);
      this.route(previous);
      this.cachedDigest = null;
    };
  }

  private route(peer: PeerSpec): void {
    for (const cidr of peer.allowedIps) this.routes.set(cidr, peer.publicKey);
  }

  private unroute(peer: PeerSpec): void {
    for (const cidr of peer.allowedIps) {
      if (this.routes.get(cidr) === peer.publicKey) this.routes.delete(cidr);
    }
  }
}
