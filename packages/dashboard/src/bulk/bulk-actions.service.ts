// One action on many peers: enable, disable or delete as ONE node call per interface (so per node) and
// one transaction per interface, the peers' own locks held meanwhile; move peer by peer through the move
// service (each move is its own add-then-remove saga). A node that fails leaves its peers as they were
// and marks them failed in the answer; the others go ahead.
import {
  type BulkPeerActionBody,
  type BulkPeerActionResult,
  type BulkPeerResult,
  MAX_BULK_PEERS,
  MOVE_GRACE_DEFAULT_HOURS,
  NotFoundError,
  ValidationError,
} from "@wgfleet/core";
import { fieldChanges } from "../audit/audit-changes.js";
import type { DomainEventPublisher } from "../events/index.js";
import {
  type AddressPools,
  type AllocationRepository,
  type EnsureTransports,
  type InterfaceRevisions,
  type InterfaceRow,
  type NodeTransportSource,
  peerSpecOf,
} from "../interfaces/index.js";
import type { KeyedMutex } from "../peers/keyed-mutex.js";
import { ONLINE_WINDOW_MS } from "../peers/peer.mapper.js";
import type { PeerRepository, PeerRow } from "../peers/peer.repository.js";
import { peerEventData } from "../peers/peer-events.js";
import type { PeerAudit, PeerConfigurations, PeerInterfaces } from "../peers/ports.js";
import type { SecretBox } from "../secrets/index.js";
import type { BulkPeerRepository } from "./bulk.repository.js";

export interface BulkActionDeps {
  peers: Pick<PeerRepository, "list">;
  bulk: BulkPeerRepository;
  interfaces: Pick<PeerInterfaces, "findById" | "listByConfiguration">;
  configurations: PeerConfigurations;
  allocations: Pick<AllocationRepository, "ofPeer">;
  revisions: InterfaceRevisions;
  pools: Pick<AddressPools, "announce" | "releaseAllocations">;
  transports: NodeTransportSource;
  secrets: SecretBox;
  audit: PeerAudit;
  peerLocks: KeyedMutex;
  /** A moved peer's old copies end when it is disabled or deleted (moves/). */
  graces: { endGracesOf(peerId: string): Promise<void> };
  /** A bulk move (moves/: per source interface one group when the node is named). */
  movePeers(
    peerIds: string[],
    node: string,
    graceHours: number,
    actor: string,
  ): Promise<Array<{ id: string; ok: boolean; node: string | null; error?: string }>>;
  events?: DomainEventPublisher;
  ensureTransports?: EnsureTransports;
}

type GroupAction = "enable" | "disable" | "delete";

export class BulkPeerActions {
  constructor(private readonly deps: BulkActionDeps) {}

  async run(body: BulkPeerActionBody, actor: string): Promise<BulkPeerActionResult> {
    const ids = await this.selectIds(body);
    if (body.action === "move" && !body.node)
      throw new ValidationError("node", 'is required for move ("auto" or a node id)');
    const rows = await this.deps.bulk.findByIds(ids);
    const found = new Set(rows.map((r) => r.id));
    const results: BulkPeerResult[] = ids
      .filter((id) => !found.has(id))
      .map((id) => ({ id, name: "", ok: false, node: null, error: `peer ${id} not found` }));
    if (body.action === "move")
      results.push(...(await this.moveAll(rows, body.node ?? "auto", body.graceHours, actor)));
    else {
      const byInterface = new Map<string, PeerRow[]>();
      for (const row of rows)
        byInterface.set(row.interface_id, [...(byInterface.get(row.interface_id) ?? []), row]);
      const action = body.action;
      const parts = await Promise.all(
        [...byInterface].map(([interfaceId, peers]) => this.runGroup(action, interfaceId, peers, actor)),
      );
      results.push(...parts.flat());
    }
    const succeeded = results.filter((r) => r.ok).length;
    await this.deps.audit.recordEvent(actor, {
      action: `peer.bulk_${body.action}`,
      entity: "peer",
      target: null,
      details: {
        requested: ids.length,
        succeeded,
        failed: results.length - succeeded,
        ...(body.filter ? { filter: body.filter } : {}),
        ...(body.node ? { node: body.node } : {}),
      },
      changes: fieldChanges(null, {
        peers: results
          .filter((r) => r.ok)
          .map((r) => r.id)
          .slice(0, 100),
      }),
    });
    return { action: body.action, succeeded, failed: results.length - succeeded, results };
  }

  /** The ids given, or those the filter finds (at most MAX_BULK_PEERS). */
  private async selectIds(body: BulkPeerActionBody): Promise<string[]> {
    if (body.ids && body.filter) throw new ValidationError("filter", "give ids or filter, not both");
    if (body.ids) return [...new Set(body.ids)];
    const filter = body.filter;
    if (!filter) throw new ValidationError("ids", "give ids or filter");
    const configuration = await this.deps.configurations.findByName(filter.configuration);
    if (!configuration) throw new NotFoundError(`configuration ${filter.configuration}`);
    const interfaces = (await this.deps.interfaces.listByConfiguration(configuration.id)).filter(
      (i) => filter.node === undefined || i.node_id === filter.node,
    );
    const now = Date.now();
    const search = filter.search?.trim();
    const { items } = await this.deps.peers.list({
      interfaces,
      ...(search ? { search } : {}),
      ...(filter.state ? { status: filter.state } : {}),
      onlineSince: new Date(now - ONLINE_WINDOW_MS).toISOString(),
      now: new Date(now).toISOString(),
      limit: MAX_BULK_PEERS + 1,
    });
    if (items.length > MAX_BULK_PEERS)
      throw new ValidationError("filter", `matches more than ${MAX_BULK_PEERS} peers; narrow it`);
    return items.map((p) => p.id);
  }

  /** One interface's peers under their locks: one transaction, one node call. */
  private async runGroup(action: GroupAction, interfaceId: string, peers: PeerRow[], actor: string) {
    const iface = await this.deps.interfaces.findById(interfaceId);
    if (!iface) return peers.map((p) => failed(p, null, `interface of peer ${p.id} not found`));
    await this.deps.ensureTransports?.([iface.node_id]);
    return this.deps.peerLocks.runAll(
      peers.map((p) => p.id),
      async () => {
        // Read again under the locks: a change that waited before us is seen.
        const current = await this.deps.bulk.findByIds(peers.map((p) => p.id));
        try {
          await this.apply(
            action,
            iface,
            current.filter((p) => p.interface_id === iface.id),
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return peers.map((p) => failed(p, iface.node_id, message));
        }
        await this.publish(action, iface, peers, actor);
        return peers.map((p) => ({
          id: p.id,
          name: p.name,
          ok: true,
          node: action === "delete" ? null : iface.node_id,
        }));
      },
    );
  }

  private async apply(action: GroupAction, iface: InterfaceRow, peers: PeerRow[]): Promise<void> {
    const transport = this.deps.transports.get(iface.node_id, "node");
    if (action === "delete") {
      const allocations = (await Promise.all(peers.map((p) => this.deps.allocations.ofPeer(p.id)))).flat();
      const revision = await this.deps.revisions.next(iface.id);
      await transport.removePeers(
        iface.name,
        peers.map((p) => p.public_key),
        revision,
      );
      for (const peer of peers) await this.deps.graces.endGracesOf(peer.id);
      const ids = peers.map((p) => p.id);
      await this.deps.revisions.change(iface.id, async (trx) => {
        await this.deps.bulk.delete(ids, trx);
        await this.deps.pools.announce(trx, iface.id, { released: allocations });
      });
      await this.deps.pools.releaseAllocations(iface, allocations);
      return;
    }
    const enabled = action === "enable" ? 1 : 0;
    const changing = peers.filter((p) => Number(p.enabled) !== enabled && p.state !== "pending");
    if (changing.length === 0) return;
    const ids = changing.map((p) => p.id);
    const { revision } = await this.deps.revisions.change(iface.id, (trx) =>
      this.deps.bulk.setEnabled(ids, enabled, trx),
    );
    try {
      if (enabled === 1) {
        const configuration = await this.deps.configurations.findById(iface.configuration_id);
        const specs = changing.map((p) =>
          peerSpecOf({ ...p, default_schedule: configuration?.default_schedule ?? null }, this.deps.secrets),
        );
        await transport.upsertPeers(iface.name, specs, revision);
      } else
        await transport.removePeers(
          iface.name,
          changing.map((p) => p.public_key),
          revision,
        );
    } catch (error) {
      await this.deps.revisions.change(iface.id, (trx) =>
        this.deps.bulk.setEnabled(ids, enabled === 1 ? 0 : 1, trx),
      );
      throw error;
    }
    if (enabled === 0) for (const peer of changing) await this.deps.graces.endGracesOf(peer.id);
  }

  /** Through the move service, which batches per source interface when the node is named. */
  private async moveAll(peers: PeerRow[], node: string, graceHours: number | undefined, actor: string) {
    const names = new Map(peers.map((p) => [p.id, p.name]));
    const moved = await this.deps.movePeers(
      peers.map((p) => p.id),
      node,
      graceHours ?? MOVE_GRACE_DEFAULT_HOURS,
      actor,
    );
    return moved.map((result): BulkPeerResult => ({ ...result, name: names.get(result.id) ?? "" }));
  }

  private async publish(action: GroupAction, iface: InterfaceRow, peers: PeerRow[], actor: string) {
    const events = this.deps.events;
    if (!events) return;
    const configuration = (await this.deps.configurations.findById(iface.configuration_id))?.name ?? "";
    await events.publishAll(
      peers.map((peer) => {
        const data = peerEventData(
          peer,
          iface,
          configuration,
          action === "delete" ? { actor } : { changes: [action], actor },
        );
        return action === "delete"
          ? { type: "peer.deleted" as const, data }
          : { type: "peer.updated" as const, data };
      }),
    );
  }
}

function failed(peer: PeerRow, node: string | null, error: string): BulkPeerResult {
  return { id: peer.id, name: peer.name, ok: false, node, error };
}
