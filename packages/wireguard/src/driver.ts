// The seam between wgfleet and the operating system's WireGuard: one small interface, so the agent
// and the dashboard's local node share every line above it. Implementations run `wg`, `wg-quick` and
// `ip` with argument arrays (never a shell string) or speak wireguard-go's UAPI socket.
import type { InterfaceSpec, LivePeer, PeerSpec } from "@wgfleet/core";

/** What the live interface says of itself (`wg show NAME dump`), plus whether it is up. */
export interface LiveInterface {
  name: string;
  publicKey: string;
  listenPort: number;
  up: boolean;
  peers: LivePeer[];
}

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
}
