// One interface's desired state when the controller owns it (applyState: a caller that keeps none, like
// the dashboard's local node): peers by public key, so that a single upsert or removal costs O(changed
// peers). `toState()` is the wire shape, built only when asked for (O(peers)) and cached until a change.
import type { InterfaceSpec, InterfaceState, PeerSpec } from "@wgfleet/core";
import type { DesiredInterfaceView } from "./desired-view.js";

export class DesiredState implements DesiredInterfaceView {
  private cached: InterfaceState | null = null;

  private constructor(
    private currentRevision: number,
    readonly interfaceSpec: InterfaceSpec,
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
    this.cached ??= { revision: this.currentRevision, interface: this.interfaceSpec, peers: this.peerList() };
    return this.cached;
  }
}
