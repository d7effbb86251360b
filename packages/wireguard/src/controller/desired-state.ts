// One interface's desired state as the controller keeps it: peers by public key, so that a single
// upsert or removal costs O(changed peers) however many peers there are. `toState()` is the wire shape,
// built only when someone asks for it (O(peers)) and cached until the next change.
import type { InterfaceSpec, InterfaceState, PeerSpec } from "@wgfleet/core";

export class DesiredState {
  private cached: InterfaceState | null = null;

  private constructor(
    private currentRevision: number,
    readonly spec: InterfaceSpec,
    private readonly peers: Map<string, PeerSpec>,
  ) {}

  static from(state: InterfaceState): DesiredState {
    return new DesiredState(
      state.revision,
      state.interface,
      new Map(state.peers.map((p) => [p.publicKey, p])),
    );
  }

  get revision(): number {
    return this.currentRevision;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  peerList(): PeerSpec[] {
    return [...this.peers.values()];
  }

  /**
   * A new state with the operations applied (upserts replace whole peers); this one is unchanged.
   * Copies the peer map, O(peers): for a caller that needs the next state before committing to it.
   */
  withPeers(
    upsert: readonly PeerSpec[],
    remove: readonly string[],
    revision: number | undefined,
  ): DesiredState {
    const next = new DesiredState(this.currentRevision, this.spec, new Map(this.peers));
    next.applyPeers(upsert, remove, revision);
    return next;
  }

  /**
   * Applies the operations to this state in place, O(changed peers). States handed out earlier by
   * `toState()` are snapshots and do not change.
   */
  applyPeers(upsert: readonly PeerSpec[], remove: readonly string[], revision: number | undefined): void {
    for (const key of remove) this.peers.delete(key);
    for (const peer of upsert) this.peers.set(peer.publicKey, peer);
    this.currentRevision = Math.max(this.currentRevision, revision ?? this.currentRevision);
    this.cached = null;
  }

  toState(): InterfaceState {
    this.cached ??= { revision: this.currentRevision, interface: this.spec, peers: this.peerList() };
    return this.cached;
  }
}
