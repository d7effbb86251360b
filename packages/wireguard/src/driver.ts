// The seam between wgfleet and the operating system's WireGuard: one small interface, so the agent
// and the dashboard's local node share every line above it. Implementations run `wg`, `wg-quick` and
// `ip` with argument arrays (never a shell string) or speak wireguard-go's UAPI socket.
import type { InterfaceSpec, InterfaceState, LivePeer, PeerSpec } from "@wgfleet/core";

/** What the live interface says of itself (`wg show NAME dump`), plus whether it is up. */
export interface LiveInterface {
  name: string;
  publicKey: string;
  listenPort: number;
  up: boolean;
  peers: LivePeer[];
}

/** A live interface read whole, private and preshared keys included (see readConfig). */
export type LiveConfig = Omit<InterfaceState, "revision">;

export interface WireGuardDriver {
  /**
   * Creates the interface when it is missing (kernel module where present, wireguard-go otherwise),
   * then sets private key, listen port, addresses and MTU and brings it up. Idempotent. Never touches
   * peers, so live tunnels are not disturbed.
   */
  ensureInterface(spec: InterfaceSpec): Promise<void>;
  /**
   * Deletes the interface (and stops its wireguard-go process). Missing is not an error. `spec`, when
   * given, lets a driver that allows hooks run the interface's PreDown/PostDown.
   */
  removeInterface(name: string, spec?: InterfaceSpec): Promise<void>;
  /** Names of the WireGuard interfaces that exist now. */
  listInterfaces(): Promise<string[]>;
  /** Adds or updates peers in place, all in one call to the system. */
  setPeers(name: string, peers: PeerSpec[]): Promise<void>;
  /** Removes peers by public key; unknown keys are ignored. */
  removePeers(name: string, publicKeys: string[]): Promise<void>;
  /** The live state, or null when the interface does not exist. */
  readInterface(name: string): Promise<LiveInterface | null>;
  /**
   * readInterface in two halves, so that the half that reads every peer can be shared by several
   * answers while the link's state is read for each (InterfaceController.readLiveShared). Optional: a
   * driver without them has every read made whole. readLinkUp: the link's admin state now, null when
   * there is no such link; readDevice: key, port and peers of a link that exists, `up` as given.
   */
  readLinkUp?(name: string): Promise<boolean | null>;
  readDevice?(name: string, up: boolean): Promise<LiveInterface>;
  /**
   * The live interface as a desired state (private key, listen port, addresses, MTU, peers with their
   * preshared keys), or null when it does not exist: what adopting an interface wgfleet did not create
   * starts from. Optional: a driver without it cannot adopt.
   */
  readConfig?(name: string): Promise<LiveConfig | null>;
}
