// Brings a node back in line with the database: peers a crash left `pending` are settled (live on the
// node → active; not there → deleted and their addresses freed), then every interface of the node gets
// its full desired state, which restores a deleted interface, missing peers, and removes strays.
// Run at start for every node (before any creation of this process is in flight); the health poller
// settles only peers pending longer than a creation can take. With several replicas on one database,
// a `pending` peer whose owning replica still heartbeats is in flight there and is never touched; one
// whose owner stopped heartbeating is a crash's and is settled whatever its age.
import type {
  AddressPools,
  AllocationRepository,
  InterfaceRepository,
  InterfaceRevisions,
  InterfaceRow,
  InterfaceService,
} from "../interfaces/index.js";
import type { Logger } from "../logging/logger.js";
import type { PeerRepository } from "../peers/peer.repository.js";
import type { OwnerState, PendingOwners } from "../replicas/replica-presence.js";
import type { NodeTransports } from "./node-transports.js";

export interface NodeSyncReport {
  interfaces: number;
  settledActive: number;
  settledRemoved: number;
  failures: number;
}

/** Only the parts of other areas a sync uses. */
export interface NodeSyncDeps {
  interfaces: Pick<InterfaceRepository, "listByNode">;
  peers: Pick<PeerRepository, "pendingOfInterface" | "setState" | "delete">;
  allocations: Pick<AllocationRepository, "ofPeer">;
  revisions: Pick<InterfaceRevisions, "change">;
  transports: Pick<NodeTransports, "tryGet" | "get">;
  interfaceService: Pick<InterfaceService, "pushFullState">;
  pools: Pick<AddressPools, "announce" | "releaseAllocations">;
  logger: Pick<Logger, "info" | "error">;
  /** Whose in-flight creations these are; without it every owner counts as unknown (one process). */
  owners?: PendingOwners;
}

export class NodeSync {
  constructor(private readonly deps: NodeSyncDeps) {}

  /** Never throws for one interface's failure: it is logged and counted. */
  async syncNode(nodeId: string): Promise<NodeSyncReport> {
    const report: NodeSyncReport = { interfaces: 0, settledActive: 0, settledRemoved: 0, failures: 0 };
    if (!this.deps.transports.tryGet(nodeId)) return report;
    for (const iface of await this.deps.interfaces.listByNode(nodeId)) {
      try {
        const settled = await this.settlePending(iface);
        report.settledActive += settled.active;
        report.settledRemoved += settled.removed;
        await this.deps.interfaceService.pushFullState(iface);
        report.interfaces++;
      } catch (error) {
        report.failures++;
        this.deps.logger.error(
          { node: nodeId, interface: iface.name, err: { message: (error as Error).message } },
          "bringing the interface to its desired state failed",
        );
      }
    }
    if (report.settledActive + report.settledRemoved + report.failures > 0 || report.interfaces > 0) {
      this.deps.logger.info({ node: nodeId, ...report }, "node synchronised with the database");
    }
    return report;
  }

  /**
   * Peers a crash left between "inserted" and "on the node": finish or roll back each. With
   * `createdBefore`, only peers created before that ISO time (younger ones may be in flight).
   */
  async settlePending(
    iface: InterfaceRow,
    options: { createdBefore?: string } = {},
  ): Promise<{ active: number; removed: number }> {
    const candidates = await this.deps.peers.pendingOfInterface(iface.id);
    if (candidates.length === 0) return { active: 0, removed: 0 };
    const ownerOf = this.deps.owners ? await this.deps.owners.classifier() : () => "unknown" as OwnerState;
    const pending = candidates.filter((peer) =>
      maySettle(ownerOf(peer.owner_replica), peer.created_at, options.createdBefore),
    );
    if (pending.length === 0) return { active: 0, removed: 0 };
    const transport = this.deps.transports.get(iface.node_id);
    const live = new Set((await transport.readPeers(iface.name)).map((p) => p.publicKey));
    let active = 0;
    let removed = 0;
    for (const peer of pending) {
      if (live.has(peer.public_key)) {
        await this.deps.peers.setState(peer.id, "active");
        active++;
        continue;
      }
      const allocations = await this.deps.allocations.ofPeer(peer.id);
      await this.deps.revisions.change(iface.id, async (trx) => {
        await this.deps.peers.delete(peer.id, trx);
        await this.deps.pools.announce(trx, iface.id, { released: allocations });
      });
      await this.deps.pools.releaseAllocations(iface, allocations);
      removed++;
    }
    return { active, removed };
  }
}

/**
 * A live replica's creation is in flight: never. A stopped replica's is a crash's: always. This
 * process's own, or one with no known owner: when older than `createdBefore` (or at start, always).
 */
function maySettle(owner: OwnerState, createdAt: string, createdBefore: string | undefined): boolean {
  if (owner === "live") return false;
  if (owner === "stopped") return true;
  return createdBefore === undefined || createdAt < createdBefore;
}
