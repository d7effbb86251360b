// The one seam between the dashboard and a WireGuard node: everything above it (services, saga,
// poller) is written once for the local node and for remote agents. Implementations never read the
// database and never log a key.
import type { Health, InterfaceState, LivePeer, PeerSpec } from "@wgfleet/core";

export interface NodeTransport {
  readonly nodeId: string;
  /** Full push: creates or replaces the interface and brings its peers to exactly `state.peers`. */
  applyInterfaceState(state: InterfaceState): Promise<void>;
  upsertPeers(interfaceName: string, peers: PeerSpec[], revision: number): Promise<void>;
  removePeers(interfaceName: string, publicKeys: string[], revision: number): Promise<void>;
  removeInterface(interfaceName: string): Promise<void>;
  /** Live peers with their counters; an interface that does not exist has none. */
  readPeers(interfaceName: string): Promise<LivePeer[]>;
  health(): Promise<Health>;
}
