// One interface's desired state as the controller keeps it: peers by public key, so that a single
// upsert or removal costs O(1) however many peers there are. `toState()` is the wire shape.
import type { InterfaceSpec, InterfaceState, PeerSpec } from "@wgfleet/core";

export class DesiredState {
  private cached: InterfaceState | null = null;

  private constructor(
    readonly revision: number,
    readonly spec: InterfaceSpec,
    private readonly peers: ReadonlyMap<string, PeerSpec>,
  ) {}

  static from(state: InterfaceState): DesiredState {
    return new DesiredState(
      state.revision,
      state.interface,
      new Map(state.peers.map((p) => [p.publicKey, p])),
    );
  }

  get peerCount(): number {
    return this.peers.size;
  }

  peerList(): PeerSpec[] {
    return [...this.peers.values()];
  }

  /** A new state with the operations applied (upserts replace whole peers); this one is unchanged. */
  withPeers(
    upsert: readonly PeerSpec[],
    remove: readonly string[],
    revision: number | undefined,
  ): DesiredState {
    const peers = new Map(this.peers);
    for (const key of remove) peers.delete(key);
    for (const peer of upsert) peers.set(peer.publicKey, peer);
    return new DesiredState(Math.max(this.revision, revision ?? this.revision), this.spec, peers);
  }

  toState(): InterfaceState {
    this.cached ??= { revision: this.revision, interface: this.spec, peers: this.peerList() };
    return this.cached;
  }
}
