// Brings a node back in line with the database: peers a crash left `pending` are settled (live on the
// node → active; not there → deleted and their addresses freed), then every interface of the node gets
// its full desired state, which restores a deleted interface, missing peers, and removes strays.
// Run at start for every node (before any creation of this process is in flight, so every pending
// peer is a crash's); the health poller settles only peers pending longer than a creation can take.
import type { Db } from "../db/index.js";
import type { AddressPools } from "../interfaces/address-pools.js";
import { InterfaceRepository, type InterfaceRow } from "../interfaces/interface.repository.js";
import type { InterfaceService } from "../interfaces/interface.service.js";
import { poolsOf } from "../interfaces/interface-pools.js";
import type { Logger } from "../logging/logger.js";
import { PeerRepository } from "../peers/peer.repository.js";
import type { NodeTransports } from "./node-transports.js";

export interface NodeSyncReport {
  interfaces: number;
  settledActive: number;
  settledRemoved: number;
  failures: number;
}

export class NodeSync {
  private readonly interfaces: InterfaceRepository;
  private readonly peers: PeerRepository;

  constructor(
    private readonly deps: {
      db: Db;
      transports: NodeTransports;
      interfaceService: InterfaceService;
      pools: AddressPools;
      logger: Logger;
    },
  ) {
    this.interfaces = new InterfaceRepository(deps.db);
    this.peers = new PeerRepository(deps.db);
  }

  /** Never throws for one interface's failure: it is logged and counted. */
  async syncNode(nodeId: string): Promise<NodeSyncReport> {
    const report: NodeSyncReport = { interfaces: 0, settledActive: 0, settledRemoved: 0, failures: 0 };
    if (!this.deps.transports.tryGet(nodeId)) return report;
    for (const iface of await this.interfaces.listByNode(nodeId)) {
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
    const pending = (await this.peers.pendingOfInterface(iface.id)).filter(
      (peer) => options.createdBefore === undefined || peer.created_at < options.createdBefore,
    );
    if (pending.length === 0) return { active: 0, removed: 0 };
    const transport = this.deps.transports.get(iface.node_id);
    const live = new Set((await transport.readPeers(iface.name)).map((p) => p.publicKey));
    let active = 0;
    let removed = 0;
    for (const peer of pending) {
      if (live.has(peer.public_key)) {
        await this.peers.setState(peer.id, "active");
        active++;
        continue;
      }
      const allocations = await this.peers.allocationsOf(peer.id);
      await this.deps.db.transaction().execute(async (trx) => {
        await new PeerRepository(trx).delete(peer.id);
        await new InterfaceRepository(trx).bumpRevision(iface.id);
      });
      for (const pool of poolsOf(iface)) {
        const addresses = allocations.filter((a) => a.pool === pool.key).map((a) => a.address);
        if (addresses.length > 0) await this.deps.pools.release(iface.id, pool, addresses);
      }
      removed++;
    }
    return { active, removed };
  }
}
