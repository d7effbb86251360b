// `POST /api/v1/nodes/:id/confirm-agent`: an admin adopts the agent that now answers at a node's URL (a
// rebuilt machine has a new instance id). The node is re-bound to that id, changes to it are allowed
// again, and its full desired state is pushed, which brings every peer back.
import { ConflictError, LOCAL_NODE_ID, NodeUnavailableError, NotFoundError } from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import type { NodeDto } from "./node.mapper.js";
import type { NodeRow } from "./node.repository.js";
import { refuseSameAgentInstance } from "./node-duplicates.js";

export interface NodeAgentConfirmDeps {
  nodes: {
    findById(id: string): Promise<NodeRow | undefined>;
    findByAgentInstance(instanceId: string): Promise<NodeRow | undefined>;
    listRemote(): Promise<NodeRow[]>;
    bindAgentInstance(id: string, instanceId: string | null): Promise<void>;
  };
  remote: {
    register(row: NodeRow): NodeTransport | null;
    blockWrites(nodeId: string, reason: string | null): void;
    announce(nodeId: string): void;
  };
  nodeSync: { syncNode(nodeId: string): Promise<unknown> };
  health: { checkNode(row: NodeRow): Promise<unknown> };
  reader: { get(id: string): Promise<NodeDto> };
  audit: Pick<AuditService, "record">;
}

export class NodeAgentConfirmService {
  constructor(private readonly deps: NodeAgentConfirmDeps) {}

  async confirm(id: string, actor: string): Promise<NodeDto> {
    const row = await this.deps.nodes.findById(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    if (row.id === LOCAL_NODE_ID || row.agent_url === null)
      throw new ConflictError("the local node has no agent to confirm", "id");
    const transport = this.deps.remote.register(row);
    if (!transport)
      throw new NodeUnavailableError(`node "${row.name}" (${row.id}): its secret cannot be read`, "id");
    const reported = (await transport.health()).health.instanceId ?? null;
    if (!reported)
      throw new ConflictError(
        `the agent of node "${row.name}" reports no instance id (an older release): nothing to confirm`,
        "id",
      );
    await refuseSameAgentInstance(this.deps.nodes, reported, row.id);
    await this.deps.nodes.bindAgentInstance(row.id, reported);
    this.deps.remote.blockWrites(row.id, null);
    this.deps.remote.announce(row.id);
    await this.deps.audit.record(actor, "node.confirm-agent", row.id, {
      from: row.agent_instance_id,
      to: reported,
    });
    await this.deps.nodeSync.syncNode(row.id);
    const bound = await this.deps.nodes.findById(row.id);
    if (bound) await this.deps.health.checkNode(bound);
    return this.deps.reader.get(row.id);
  }
}
