// `POST /api/v1/nodes/:id/reconcile`: every interface of the node gets the database's full desired
// state, then the node repairs its own drift and removes live peers nobody asked for (stray peers),
// all through the node transport, the same for the local node and a remote one.
import { ConflictError, LOCAL_NODE_ID, NotFoundError } from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { type NodeDto, type NodeReconcileDto, toNodeReconcileDto } from "./node.mapper.js";
import type { NodeRow } from "./node.repository.js";

/** One interface's part of the answer. */
export interface InterfaceReconcile {
  interface: string;
  restored: number;
  strayRemoved: number;
  stray: number;
}

export interface NodeReconcileDeps {
  nodes: { findById(id: string): Promise<NodeRow | undefined> };
  /** Registers a node another replica added before its transport is asked for. */
  remote: { ensure(nodeIds: Iterable<string>): Promise<void> };
  transports: { get(nodeId: string): NodeTransport };
  interfaces: { listByNode(nodeId: string): Promise<InterfaceRow[]> };
  /** Pushes an interface's full desired state to its node (owned by interfaces/). */
  desiredState: { pushFullState(iface: InterfaceRow): Promise<void> };
  /** Asks the node for its health again afterwards, so its status shows the repair. */
  health: { checkNode(row: NodeRow): Promise<unknown> };
  reader: { get(id: string): Promise<NodeDto> };
  audit: Pick<AuditService, "record">;
}

export class NodeReconcileService {
  constructor(private readonly deps: NodeReconcileDeps) {}

  /** Deletes a live interface the node runs but does not manage (a stray); the node refuses its own. */
  async removeStrayInterface(id: string, name: string, actor: string): Promise<void> {
    const row = await this.deps.nodes.findById(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    await this.deps.remote.ensure([id]);
    const known = (await this.deps.interfaces.listByNode(id)).some((iface) => iface.name === name);
    if (known) throw new ConflictError(`interface ${name} is managed by wgfleet on node ${id}`, "name");
    await this.deps.transports.get(id).removeStrayInterface(name);
    await this.deps.audit.record(actor, "node.stray-interface.remove", id, { interface: name });
    if (row.id !== LOCAL_NODE_ID && Number(row.enabled) === 1) await this.deps.health.checkNode(row);
  }

  async reconcile(id: string, actor: string): Promise<NodeReconcileDto> {
    const row = await this.deps.nodes.findById(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    await this.deps.remote.ensure([id]);
    const transport = this.deps.transports.get(id);
    const strayBefore = await strayPeers(transport);
    const results: InterfaceReconcile[] = [];
    for (const iface of await this.deps.interfaces.listByNode(id)) {
      // The full state first (it also drops stray peers), then the node's own drift repair.
      await this.deps.desiredState.pushFullState(iface);
      const report = await transport.reconcile(iface.name, { removeStray: true });
      const before = strayBefore.get(iface.name) ?? [];
      results.push({
        interface: iface.name,
        restored: report.restored,
        strayRemoved: Math.max(report.strayRemoved, before.length),
        stray: Math.max(report.stray.length, before.length),
      });
    }
    await this.deps.audit.record(actor, "node.reconcile", id, {
      interfaces: results.length,
      strayRemoved: results.reduce((sum, r) => sum + r.strayRemoved, 0),
    });
    if (row.id !== LOCAL_NODE_ID && Number(row.enabled) === 1) await this.deps.health.checkNode(row);
    return toNodeReconcileDto(await this.deps.reader.get(id), results);
  }
}

/** Interface name → the stray peers the node reports now. */
async function strayPeers(transport: NodeTransport): Promise<Map<string, string[]>> {
  const { health } = await transport.health();
  return new Map(health.interfaces.map((i) => [i.name, i.strayPeers]));
}
