// What the controller reads of an interface's desired state. The owner of the state (the agent's store,
// or the controller itself for a caller that keeps none) may change it in place; the controller holds a
// reference, never a copy, and reads it only inside the interface's queue.
import type { InterfaceSpec, InterfaceState, PeerSpec } from "@wgfleet/core";

export interface DesiredInterfaceView {
  readonly revision: number;
  readonly interfaceSpec: InterfaceSpec;
  peerList(): PeerSpec[];
  toState(): InterfaceState;
}
