// An interface's desired state as the database has it now (its spec and every peer that belongs on
// the node), and pushing it whole to the node. The database is the source of truth; the node follows.
import type { DriftPolicy, InterfaceState } from "@wgfleet/core";
import type { SecretBox } from "../secrets/index.js";
import type { InterfaceRepository, InterfaceRow } from "./interface.repository.js";
import { interfaceAddresses } from "./interface-pools.js";
import { peerSpecOf } from "./peer-spec.js";
import type { EnsureTransports, NodeTransportSource } from "./ports.js";

export interface DesiredStateDeps {
  interfaces: InterfaceRepository;
  secrets: SecretBox;
  transports: NodeTransportSource;
  ensureTransports?: EnsureTransports;
  /** The drift policy of the interface's node, handed to the node with the state. */
  driftPolicy?: (nodeId: string) => Promise<DriftPolicy>;
}

export class DesiredStates {
  constructor(private readonly deps: DesiredStateDeps) {}

  /** The whole desired state of an interface as the database has it now. */
  async of(row: InterfaceRow): Promise<InterfaceState> {
    // Revision first, peers second: a change committed in between makes the state newer, never older.
    const current = (await this.deps.interfaces.findById(row.id)) ?? row;
    const [rows, moved, driftPolicy] = await Promise.all([
      this.deps.interfaces.peerSpecRows(row.id),
      this.deps.interfaces.movedPeerSpecRows(row.id),
      this.deps.driftPolicy?.(row.node_id),
    ]);
    // A moved peer's copy (arriving, or kept through its grace) never shadows a peer of the interface.
    // An arriving peer comes before an old copy of itself (a move back, in flight).
    const keys = new Set(rows.map((peer) => peer.public_key));
    const extra = moved.filter((peer) => !keys.has(peer.public_key) && keys.add(peer.public_key));
    return {
      revision: Number(current.revision),
      interface: { ...this.interfaceSpec(current), ...(driftPolicy ? { driftPolicy } : {}) },
      peers: [...rows, ...extra].map((peer) => peerSpecOf(peer, this.deps.secrets)),
    };
  }

  /** Brings the node's interface to exactly the database's desired state (start-up, repair). */
  async push(row: InterfaceRow): Promise<void> {
    await this.deps.ensureTransports?.([row.node_id]);
    const transport = this.deps.transports.get(row.node_id);
    await transport.applyInterfaceState(await this.of(row));
  }

  /** The interface's own part of the state (its private key decrypted for the node). */
  interfaceSpec(row: InterfaceRow): InterfaceState["interface"] {
    return {
      name: row.name,
      privateKey: this.deps.secrets.decrypt(row.private_key_enc),
      listenPort: row.listen_port,
      addresses: interfaceAddresses(row),
      ...(row.mtu ? { mtu: row.mtu } : {}),
    };
  }
}
