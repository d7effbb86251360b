// Rules for remote nodes: add one (secret encrypted at rest, transport registered, health asked at
// once), edit it (a new secret or URL rebuilds its transport), delete it (refused while peers live
// there unless forced: then its peers and interfaces leave the database, their addresses are freed,
// and the node is told to drop its interfaces if it answers), test it, and reconcile it (desired state
// pushed, stray peers removed). The secret is never returned, logged or audited.
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  type CreateNodeBody,
  keyIdForSecret,
  LOCAL_NODE_ID,
  NodeUnavailableError,
  NotFoundError,
  type UpdateNodeBody,
  ValidationError,
} from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import { nowIso } from "../clock.js";
import type { NodeSettings } from "../config/node-settings.js";
import { type Db, isUniqueViolation } from "../db/index.js";
import type { AddressPools } from "../interfaces/address-pools.js";
import type { InterfaceRepository, InterfaceRow } from "../interfaces/interface.repository.js";
import type { InterfaceService } from "../interfaces/interface.service.js";
import type { Logger } from "../logging/logger.js";
import type { SecretBox } from "../secrets/index.js";
import { LocalTransport } from "../transport/local-transport.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { RemoteTransport } from "../transport/remote-transport.js";
import {
  type NodeDto,
  type NodeReconcileDto,
  type NodeTestDto,
  toNodeReconcileDto,
  toNodeTestDto,
} from "./node.mapper.js";
import { DEFAULT_MAX_PEERS, type NodeRepository, type NodeRow, type NodeUpdate } from "./node.repository.js";
import { blankDiagnosis, diagnoseAgent, type NodeDiagnosis } from "./node-diagnosis.js";
import type { NodeHealthMonitor } from "./node-health.js";
import { type NodeChanges, validateCreateNode, validateNodeChanges } from "./node-input.js";
import type { NodeReadService } from "./node-read.service.js";
import type { NodeTransports } from "./node-transports.js";
import type { RemoteNodes } from "./remote-nodes.js";

export interface NodeServiceDeps {
  db: Db;
  secrets: SecretBox;
  nodes: NodeRepository;
  interfaces: InterfaceRepository;
  interfaceService: InterfaceService;
  pools: AddressPools;
  transports: NodeTransports;
  remote: RemoteNodes;
  monitor: NodeHealthMonitor;
  reader: NodeReadService;
  audit: AuditService;
  settings: NodeSettings;
  logger: Logger;
  /** The dashboard's release, compared with the agent's by `/test`. */
  version: string;
  fetch?: typeof fetch;
}

export interface InterfaceReconcile {
  interface: string;
  restored: number;
  strayRemoved: number;
  stray: number;
}

export class NodeService {
  constructor(private readonly deps: NodeServiceDeps) {}

  /** `POST /api/v1/nodes`. */
  async create(body: CreateNodeBody, actor: string): Promise<NodeDto> {
    const input = validateCreateNode(body, DEFAULT_MAX_PEERS);
    const now = nowIso();
    const row: NodeRow = {
      id: randomUUID(),
      name: input.name,
      agent_url: input.agentUrl,
      secret_enc: this.deps.secrets.encrypt(input.secret),
      secret_key_id: keyIdForSecret(input.secret),
      enabled: input.enabled ? 1 : 0,
      weight: input.weight,
      max_peers: input.maxPeers,
      endpoint_host: input.endpoint,
      status: "unknown",
      status_reason: null,
      consecutive_failures: 0,
      last_health: null,
      last_seen_at: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.nodes.insert(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`a node named ${input.name} already exists`, "name");
      throw error;
    }
    await this.deps.audit.record(actor, "node.create", row.id, {
      name: row.name,
      agentUrl: row.agent_url,
      endpoint: row.endpoint_host,
      weight: row.weight,
      maxPeers: row.max_peers,
      enabled: input.enabled,
    });
    this.deps.remote.register(row);
    if (input.enabled) await this.deps.monitor.checkNode(row);
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
    await this.deps.audit.record(actor, "node.update", id, { fields: Object.keys(changes) });
    const updated = await this.require(id);
    if (updated.id !== LOCAL_NODE_ID) {
      this.deps.remote.register(updated);
      const reachChanged = changes.agentUrl !== undefined || changes.secret !== undefined;
      const enabledNow = Number(updated.enabled) === 1 && Number(row.enabled) === 0;
      if (Number(updated.enabled) === 1 && (reachChanged || enabledNow))
        await this.deps.monitor.checkNode(updated);
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
    await this.deps.db.transaction().execute(async (trx) => {
      for (const iface of interfaces) {
        await trx.deleteFrom("ip_allocations").where("interface_id", "=", iface.id).execute();
        const peerIds = trx.selectFrom("peers").select("id").where("interface_id", "=", iface.id);
        await trx.deleteFrom("peer_stats").where("peer_id", "in", peerIds).execute();
        await trx.deleteFrom("peer_stats_history").where("peer_id", "in", peerIds).execute();
        await trx.deleteFrom("share_links").where("peer_id", "in", peerIds).execute();
        await trx.deleteFrom("peers").where("interface_id", "=", iface.id).execute();
        await trx.deleteFrom("interfaces").where("id", "=", iface.id).execute();
      }
      await trx.deleteFrom("nodes").where("id", "=", id).execute();
    });
    for (const iface of interfaces) this.deps.pools.forgetInterface(iface.id);
    this.deps.remote.unregister(id);
    await this.deps.audit.record(actor, "node.delete", id, {
      name: row.name,
      force,
      peers,
      interfaces: interfaces.length,
      nodeReached: reached,
    });
  }

  /** `POST /api/v1/nodes/:id/test`: whether the URL, the secret, the clock and the version are right. */
  async test(id: string): Promise<NodeTestDto> {
    const row = await this.require(id);
    if (row.id === LOCAL_NODE_ID) return toNodeTestDto(await this.testLocal());
    let secret: string;
    try {
      secret = this.deps.secrets.decrypt(row.secret_enc ?? "");
    } catch {
      throw new NodeUnavailableError(
        `node ${row.name}: its secret cannot be decrypted (was the at-rest key changed?)`,
      );
    }
    const diagnosis = await diagnoseAgent(
      { agentUrl: row.agent_url as string, keyId: keyIdForSecret(secret), secret },
      {
        timeoutMs: this.deps.settings.agentTimeoutMs,
        maxClockSkewMs: this.deps.settings.maxClockSkewMs,
        dashboardVersion: this.deps.version,
        ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      },
    );
    return toNodeTestDto(diagnosis);
  }

  /**
   * `POST /api/v1/nodes/:id/reconcile`: every interface of the node gets the database's full desired
   * state, then the node repairs drift and removes live peers nobody asked for (stray peers).
   */
  async reconcile(id: string, actor: string): Promise<NodeReconcileDto> {
    const row = await this.require(id);
    await this.deps.remote.ensure([id]);
    const transport = this.deps.transports.get(id);
    const strayBefore = await this.strayPeers(transport);
    const results: InterfaceReconcile[] = [];
    for (const iface of await this.deps.interfaces.listByNode(id)) {
      // The full state first (it also drops stray peers), then the node's own drift repair.
      await this.deps.interfaceService.pushFullState(iface);
      let report = { restored: 0, strayRemoved: 0, stray: [] as string[] };
      if (transport instanceof RemoteTransport)
        report = await transport.reconcile(iface.name, { removeStray: true });
      else if (transport instanceof LocalTransport) {
        report = await transport.controller.repairDrift(iface.name, { removeStray: true });
      }
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
    if (row.id !== LOCAL_NODE_ID && Number(row.enabled) === 1) await this.deps.monitor.checkNode(row);
    return toNodeReconcileDto(await this.deps.reader.get(id), results);
  }

  /** Interface name → the stray peers the node reports now. */
  private async strayPeers(transport: NodeTransport): Promise<Map<string, string[]>> {
    const health = await transport.health();
    return new Map(health.interfaces.map((i) => [i.name, i.strayPeers]));
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
    if (changes.agentUrl !== undefined || changes.secret !== undefined) update.consecutive_failures = 0;
    return update;
  }

  /** Tells the node to drop each interface; stops at the first sign it does not answer. */
  private async dropInterfacesOnNode(row: NodeRow, interfaces: InterfaceRow[]): Promise<boolean> {
    const transport = this.deps.transports.tryGet(row.id);
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

  private async testLocal(): Promise<NodeDiagnosis> {
    const transport = this.deps.transports.tryGet(LOCAL_NODE_ID);
    const base = blankDiagnosis(this.deps.version);
    if (!transport) {
      const reason = this.deps.transports.unavailableReason(LOCAL_NODE_ID) ?? "no transport";
      return { ...base, problem: "unreachable", message: `the local node is unavailable: ${reason}` };
    }
    const started = Date.now();
    const health = await transport.health();
    return {
      ...base,
      ok: true,
      url: "ok",
      secret: "ok",
      clock: "ok",
      version: "ok",
      latencyMs: Date.now() - started,
      clockSkewMs: 0,
      agentVersion: health.version,
      protocol: health.protocol,
      hostname: health.hostname,
      message: `the local node runs in the dashboard (${health.interfaces.length} interface(s))`,
    };
  }
}
