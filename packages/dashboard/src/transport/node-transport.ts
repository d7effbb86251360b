// The one seam between the dashboard and a WireGuard node: everything above it (services, saga,
// poller, reconcile) is written once for the local node and for remote agents, and never asks which
// kind of node it talks to. Implementations never read the database and never log a key.
import type { Health, InterfaceState, LivePeer, PeerSpec } from "@wgfleet/core";

/** One health answer with its timing. */
export interface NodeHealthReport {
  health: Health;
  /** How long the call took, ms. */
  latencyMs: number;
  /** The node's clock minus the dashboard's at the middle of the call, ms (0 for the local node). */
  clockSkewMs: number;
}

/** What a drift repair of one interface did. */
export interface DriftRepairReport {
  /** The interface was missing on the node and was created again. */
  interfaceRestored: boolean;
  /** Desired peers that were missing or changed and were restored. */
  restored: number;
  /** Live peers the desired state does not have (public keys), found before the repair. */
  stray: string[];
  /** How many of them were removed (0 unless asked to remove strays). */
  strayRemoved: number;
  /** Desired peers that were not live before the check (absent from an older agent). */
  missing?: string[];
}

/** What a drift check may change: strays removed only when asked; missing restored unless told not. */
export interface ReconcileOptions {
  removeStray?: boolean;
  restore?: boolean;
}

/** A live interface the node does not manage, read whole for adoption (private and preshared keys). */
export type StrayInterfaceConfig = Omit<InterfaceState, "revision">;

export interface NodeTransport {
  readonly nodeId: string;
  /** Full push: creates or replaces the interface and brings its peers to exactly `state.peers`. */
  applyInterfaceState(state: InterfaceState): Promise<void>;
  upsertPeers(interfaceName: string, peers: PeerSpec[], revision: number): Promise<void>;
  removePeers(interfaceName: string, publicKeys: string[], revision: number): Promise<void>;
  removeInterface(interfaceName: string): Promise<void>;
  /**
   * Live peers with their counters; an interface that does not exist has none. `shared` (the pollers):
   * the node may answer from a read of the peers it shares with the requests of the same moment — at
   * most 1 s old, never older than a change it acknowledged; without it the node reads them now.
   */
  readPeers(interfaceName: string, options?: { shared?: boolean }): Promise<LivePeer[]>;
  /**
   * The node's health, timed. `retry: false` asks once (the health poller counts failures itself);
   * by default a connection failure is retried like any idempotent call. `shared` as for readPeers.
   */
  health(options?: { retry?: boolean; shared?: boolean }): Promise<NodeHealthReport>;
  /** The release the node runs: the agent's, or the dashboard's own for the local node. */
  version(): Promise<string>;
  /**
   * Repairs drift of one interface now against the desired state the node holds: a missing interface
   * or missing/changed peers restored; live peers nobody asked for removed only with `removeStray`.
   */
  reconcile(interfaceName: string, options?: ReconcileOptions): Promise<DriftRepairReport>;
  /** Live peers of a managed interface that its desired state does not have, preshared keys included. */
  strayPeers(interfaceName: string): Promise<PeerSpec[]>;
  /** A live interface the node runs but does not manage, whole, so it can be adopted. */
  strayInterfaceConfig(interfaceName: string): Promise<StrayInterfaceConfig>;
  /**
   * Makes a live, unmanaged interface managed with `state`, by a diff: the node refuses unless it runs
   * with the state's private key and listen port; live peers the state has are left as they are.
   */
  adoptInterface(state: InterfaceState): Promise<void>;
  /**
   * Deletes a live WireGuard interface the node runs but does not manage (a stray in its health).
   * The node refuses an interface it manages.
   */
  removeStrayInterface(interfaceName: string): Promise<void>;
}
