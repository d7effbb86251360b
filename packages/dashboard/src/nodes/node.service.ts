// Rules for the nodes' lifecycle: add one (secret encrypted at rest, transport registered, health asked
// at once), edit it (a new secret or URL rebuilds its transport), delete it (refused while peers live
// there unless forced: then its peers and interfaces leave the database, their addresses are freed,
// and the node is told to drop its interfaces if it answers). Testing a node and reconciling it are
// node-test.service.ts and node-reconcile.service.ts. One agent serves one node (node-duplicates.ts):
// the node is bound to its agent's instance id at add time. The secret is never returned, logged or audited.
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  type CreateNodeBody,
  keyIdForSecret,
  LOCAL_NODE_ID,
  NotFoundError,
  type UpdateNodeBody,
  ValidationError,
} from "@wgfleet/core";
import { type AuditService, fieldChanges, secretFieldsSet } from "../audit/index.js";
import { nowIso } from "../clock.js";
import { type Db, isUniqueViolation } from "../db/index.js";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { Logger } from "../logging/logger.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import type { SecretBox } from "../secrets/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { dialOutAgentUrl } from "./dial-out-node.js";
import type { NodeDto } from "./node.mapper.js";
import { DEFAULT_MAX_PEERS, type NewNodeRow, type NodeRow, type NodeUpdate } from "./node.repository.js";
import { refuseSameAgentInstance, refuseSameAgentUrl } from "./node-duplicates.js";
import { type NodeChanges, validateCreateNode, validateNodeChanges } from "./node-input.js";

/** The node rows this service reads and writes. */
export interface NodeStore {
  findById(id: string): Promise<NodeRow | undefined>;
  insert(row: NewNodeRow, alongside?: (trx: Db) => Promise<void>): Promise<void>;
  update(id: string, changes: NodeUpdate): Promise<void>;
  countPeers(nodeId: string): Promise<number>;
  listRemote(): Promise<NodeRow[]>;
  findByAgentInstance(instanceId: string): Promise<NodeRow | undefined>;
  /** The node's row; its interfaces, peers and addresses go with it (foreign-key cascades). */
  delete(nodeId: string): Promise<void>;
}

/** The remote nodes' transports, kept in step with their rows. */
export interface NodeRegistry {
  register(row: NodeRow): NodeTransport | null;
  unregister(nodeId: string): void;
  get(nodeId: string): NodeTransport | null;
  /** The instance id the agent at this URL reports, or null (no answer, or an older agent). */
  instanceIdAt(agentUrl: string, secret: string): Promise<string | null>;
  /** The row changed (committed): the other replicas read it again. */
  announce(nodeId: string): void;
}

export interface NodeServiceDeps {
  nodes: NodeStore;
  secrets: Pick<SecretBox, "encrypt" | "decrypt">;
  interfaces: { listByNode(nodeId: string): Promise<InterfaceRow[]> };
  /** Forgets the cached pool state of interfaces that are gone. */
  pools: { forgetInterface(interfaceId: string): void };
  remote: NodeRegistry;
  /** Asks a node for its health now and records the answer. */
  health: { checkNode(row: NodeRow): Promise<unknown> };
  reader: { get(id: string): Promise<NodeDto> };
  audit: Pick<AuditService, "record" | "recordEvent">;
  /** Tells the node its new drift policy (drift/). */
  driftPolicy?: { changed(row: NodeRow): Promise<void> };
  /** Told of the interfaces a deletion took with the node (by configuration: their copies go). */
  invalidation: Pick<CacheInvalidation, "changed">;
  logger: Pick<Logger, "warn">;
}

export class NodeService {
  constructor(private readonly deps: NodeServiceDeps) {}

  /**
   * `POST /api/v1/nodes` (and `POST /api/v1/join`, whose `alongside` marks the join token used in the
   * transaction that inserts the node: when it throws, no node is added).
   */
  async create(
    body: CreateNodeBody,
    actor: string,
    alongside?: (trx: Db, nodeId: string) => Promise<void>,
  ): Promise<NodeDto> {
    const input = validateCreateNode(body, DEFAULT_MAX_PEERS);
    // An agent that dials out is not called before it connects: its instance is bound when it answers.
    let instanceId: string | null = null;
    if (input.agentUrl !== null) {
      await refuseSameAgentUrl(this.deps.nodes, input.agentUrl);
      instanceId = await this.deps.remote.instanceIdAt(input.agentUrl, input.secret);
      await refuseSameAgentInstance(this.deps.nodes, instanceId);
    }
    const now = nowIso();
    const id = randomUUID();
    const row: NodeRow = {
      id,
      drift_policy: "repair",
      name: input.name,
      agent_url: input.agentUrl ?? dialOutAgentUrl(id),
      connection: input.agentUrl === null ? "dial-out" : "direct",
      dial_out_replica: null,
      dial_out_connected_at: null,
      secret_enc: this.deps.secrets.encrypt(input.secret),
      secret_key_id: keyIdForSecret(input.secret),
      enabled: input.enabled ? 1 : 0,
      draining: 0,
      weight: input.weight,
      max_peers: input.maxPeers,
      endpoint_host: input.endpoint,
      status: "unknown",
      status_reason: null,
      consecutive_failures: 0,
      last_health: null,
      last_seen_at: null,
      agent_instance_id: instanceId,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.nodes.insert(row, alongside && ((trx) => alongside(trx, row.id)));
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`a node named ${input.name} already exists`, "name");
      throw error;
    }
    await this.deps.audit.recordEvent(actor, {
      action: "node.create",
      target: row.id,
      changes: { ...fieldChanges(null, auditedNode(row)), secret: { changed: true } },
    });
    this.deps.remote.register(row);
    this.deps.remote.announce(row.id);
    if (input.enabled) await this.deps.health.checkNode(row);
    return this.deps.reader.get(row.id);
  }

  /** `PATCH /api/v1/nodes/:id`: the local node takes name, endpoint, weight, cap and enabled only. */
  async update(id: string, body: UpdateNodeBody, actor: string): Promise<NodeDto> {
    const row = await this.require(id);
    const changes = validateNodeChanges(body);
    if (row.id === LOCAL_NODE_ID) {
      for (const field of ["agentUrl", "secret"] as const) {
        if (changes[field] !== undefined)
          throw new ValidationError(field, "the local node has no agent: it runs inside the dashboard");
      }
    }
    if (changes.agentUrl !== undefined && row.connection === "dial-out")
      throw new ValidationError("agentUrl", "this node's agent dials out: it has no agent URL");
    if (changes.agentUrl !== undefined && changes.agentUrl !== row.agent_url)
      await this.refuseTakenAgent(row, changes.agentUrl, changes.secret);
    const update = this.rowChanges(changes);
    if (Object.keys(update).length > 0) {
      try {
        await this.deps.nodes.update(id, update);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError(`a node named ${changes.name} already exists`, "name");
        throw error;
      }
    }
    const updated = await this.require(id);
    await this.deps.audit.recordEvent(actor, {
      action: "node.update",
      target: id,
      changes: { ...fieldChanges(auditedNode(row), auditedNode(updated)), ...secretFieldsSet(changes) },
    });
    // The agent learns a new policy with each interface's full desired state.
    if (updated.drift_policy !== row.drift_policy) await this.deps.driftPolicy?.changed(updated);
    if (updated.id !== LOCAL_NODE_ID) {
      this.deps.remote.register(updated);
      this.deps.remote.announce(updated.id);
      const reachChanged = changes.agentUrl !== undefined || changes.secret !== undefined;
      const enabledNow = Number(updated.enabled) === 1 && Number(row.enabled) === 0;
      if (Number(updated.enabled) === 1 && (reachChanged || enabledNow))
        await this.deps.health.checkNode(updated);
    }
    return this.deps.reader.get(id);
  }

  /**
   * `DELETE /api/v1/nodes/:id[?force=true]`. Refused while the node hosts peers unless forced. The node
   * is asked to drop its interfaces first (it may not answer: the database is cleaned up anyway).
   */
  async delete(id: string, force: boolean, actor: string): Promise<void> {
    const row = await this.require(id);
    if (row.id === LOCAL_NODE_ID) {
      throw new ConflictError(
        "the local node cannot be deleted; start the dashboard with --no-local instead",
        "id",
      );
    }
    const peers = await this.deps.nodes.countPeers(id);
    if (peers > 0 && !force) {
      throw new ConflictError(
        `node ${row.name} still hosts ${peers} peer(s); delete them first, or delete the node with ?force=true (its peers are deleted too)`,
        "force",
      );
    }
    const interfaces = await this.deps.interfaces.listByNode(id);
    const reached = await this.dropInterfacesOnNode(row, interfaces);
    await this.deps.nodes.delete(id);
    for (const iface of interfaces) this.deps.pools.forgetInterface(iface.id);
    for (const iface of interfaces)
      await this.deps.invalidation.changed("configuration", iface.configuration_id);
    this.deps.remote.unregister(id);
    this.deps.remote.announce(id);
    await this.deps.audit.recordEvent(actor, {
      action: "node.delete",
      target: id,
      changes: fieldChanges(auditedNode(row), null),
      details: { force, peers, interfaces: interfaces.length, nodeReached: reached },
    });
  }

  /** A new URL must not lead to an agent another node has (by URL or by instance id). */
  private async refuseTakenAgent(row: NodeRow, agentUrl: string, newSecret: string | undefined) {
    await refuseSameAgentUrl(this.deps.nodes, agentUrl, row.id);
    let secret = newSecret;
    try {
      secret ??= this.deps.secrets.decrypt(row.secret_enc ?? "");
    } catch {
      return; // its secret is unreadable: the agent cannot be asked (the health check says so)
    }
    const instanceId = await this.deps.remote.instanceIdAt(agentUrl, secret);
    await refuseSameAgentInstance(this.deps.nodes, instanceId, row.id);
  }

  private async require(id: string): Promise<NodeRow> {
    const row = await this.deps.nodes.findById(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    return row;
  }

  private rowChanges(changes: NodeChanges): NodeUpdate {
    const update: NodeUpdate = {};
    if (changes.name !== undefined) update.name = changes.name;
    if (changes.agentUrl !== undefined) update.agent_url = changes.agentUrl;
    if (changes.secret !== undefined) {
      update.secret_enc = this.deps.secrets.encrypt(changes.secret);
      update.secret_key_id = keyIdForSecret(changes.secret);
    }
    if (changes.endpoint !== undefined) update.endpoint_host = changes.endpoint;
    if (changes.weight !== undefined) update.weight = changes.weight;
    if (changes.maxPeers !== undefined) update.max_peers = changes.maxPeers;
    if (changes.enabled !== undefined) update.enabled = changes.enabled ? 1 : 0;
    if (changes.driftPolicy !== undefined) update.drift_policy = changes.driftPolicy;
    if (changes.draining !== undefined) update.draining = changes.draining ? 1 : 0;
    if (changes.agentUrl !== undefined || changes.secret !== undefined) update.consecutive_failures = 0;
    return update;
  }

  /** Tells the node to drop each interface; stops at the first sign it does not answer. */
  private async dropInterfacesOnNode(row: NodeRow, interfaces: InterfaceRow[]): Promise<boolean> {
    const transport = this.deps.remote.get(row.id);
    if (!transport) return false;
    for (const iface of interfaces) {
      try {
        await transport.removeInterface(iface.name);
      } catch (error) {
        this.deps.logger.warn(
          { node: row.id, name: row.name, interface: iface.name, err: { message: (error as Error).message } },
          "the node did not drop its interface; deleting it from the database anyway",
        );
        return false;
      }
    }
    return true;
  }
}

/** What the audit trail compares of a node (never its secret). */
function auditedNode(row: NodeRow): Record<string, unknown> {
  return {
    name: row.name,
    agentUrl: row.agent_url,
    endpoint: row.endpoint_host,
    weight: row.weight,
    maxPeers: row.max_peers,
    enabled: Number(row.enabled) === 1,
    driftPolicy: row.drift_policy,
    draining: Number(row.draining) === 1,
  };
}
