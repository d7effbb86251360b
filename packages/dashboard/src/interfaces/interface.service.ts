// Rules for interfaces: putting a configuration on a node (keys generated in-process, pools checked,
// interface brought up through the node's transport), taking it off again with everything under it,
// its client endpoint, and its desired state (desired-state.ts) pushed to its node.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  type AddInterfaceBody,
  type Cidr,
  ConflictError,
  cidrOverlaps,
  formatCidr,
  formatEndpoint,
  generateKeyPair,
  type InterfaceState,
  NotFoundError,
  PoolAllocator,
  parseInterfaceEndpoint,
  parsePoolCidr,
  type UpdatedInterfaceDto,
  type UpdateInterfaceBody,
  ValidationError,
  WgFleetError,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";
import { type Db, isUniqueViolation } from "../db/index.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import type { SecretBox } from "../secrets/index.js";
import { NodeAgentError } from "../transport/agent-errors.js";
import type { NodeTransport } from "../transport/node-transport.js";
import type { AddressPools } from "./address-pools.js";
import { clientEndpointHost } from "./client-endpoint-host.js";
import type { DesiredStates } from "./desired-state.js";
import { type InterfaceView, toInterfaceView } from "./interface.mapper.js";
import type { InterfaceRepository, InterfaceRow } from "./interface.repository.js";
import { describePool, type InterfacePool, poolsOf } from "./interface-pools.js";
import type { InterfaceRevisions } from "./interface-revision.js";
import {
  changesTheNode,
  type InterfaceSettings,
  previousSettings,
  settingsChanges,
} from "./interface-settings.js";
import type {
  AuditTrail,
  ConfigurationLookup,
  EnsureTransports,
  InterfaceConfiguration,
  InterfaceNode,
  NodeLookup,
  NodeTransportSource,
} from "./ports.js";

export interface InterfaceServiceDeps {
  interfaces: InterfaceRepository;
  desiredStates: DesiredStates;
  revisions: InterfaceRevisions;
  secrets: SecretBox;
  transports: NodeTransportSource;
  pools: AddressPools;
  nodes: NodeLookup;
  configurations: ConfigurationLookup;
  audit: AuditTrail;
  /** The client endpoint host when neither the interface nor its node names one. */
  hostname?: () => string;
  ensureTransports?: EnsureTransports;
  /** Told of every interface added, deleted or changed, by its configuration (CachedInterfaces). */
  invalidation: Pick<CacheInvalidation, "changed">;
}

export class InterfaceService {
  private readonly hostname: () => string;

  constructor(private readonly deps: InterfaceServiceDeps) {
    this.hostname = deps.hostname ?? hostname;
  }

  /** `POST /api/v1/configurations/:name/interfaces`: the configuration on a node, live. */
  async addToNode(configurationName: string, input: AddInterfaceBody, actor: string): Promise<InterfaceView> {
    const configuration = await this.requireConfiguration(configurationName);
    const endpoint =
      input.endpoint &&
      formatEndpoint(parseInterfaceEndpoint(input.endpoint.trim(), input.listenPort, "endpoint"));
    const node = await this.deps.nodes.findById(input.nodeId);
    if (!node) throw new NotFoundError(`node ${input.nodeId}`);
    await this.deps.ensureTransports?.([node.id]);
    const transport = this.deps.transports.get(node.id, "nodeId");
    const pools = parsePools(input);
    const name = input.interfaceName ?? configuration.name;
    await this.checkFreeOnNode(node.id, configuration, name, input.listenPort, pools);
    await this.checkPoolsFreeInConfiguration(configuration, pools);
    const before = await this.namesOnNode(transport);
    if (before?.stray.has(name))
      throw new ConflictError(
        `interface ${name} already runs on node ${node.id} and is not managed by wgfleet; remove it there or choose another interfaceName`,
        "interfaceName",
      );

    const keys = generateKeyPair();
    const now = nowIso();
    const row: InterfaceRow = {
      id: randomUUID(),
      configuration_id: configuration.id,
      node_id: node.id,
      name,
      private_key_enc: this.deps.secrets.encrypt(keys.privateKey),
      public_key: keys.publicKey,
      listen_port: input.listenPort,
      endpoint: endpoint || null,
      pool_v4: pools.find((p) => p.cidr.address.version === 4)?.key ?? "",
      pool_v6: pools.find((p) => p.cidr.address.version === 6)?.key ?? null,
      mtu: null,
      dns: null,
      revision: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.deps.interfaces.insert(row);
      await this.changed(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(
          `configuration ${configuration.name} or interface ${name} already exists on node ${node.id}`,
          "interfaceName",
        );
      throw error;
    }
    try {
      await this.bringUp(transport, row);
    } catch (error) {
      await this.deps.interfaces.delete(row.id);
      await this.changed(row);
      // The node forgets it too, unless it held that interface before (never delete what was not ours).
      if (before && !before.managed.has(name)) await transport.removeInterface(name).catch(() => {});
      throw error;
    }
    await this.deps.audit.record(actor, "interface.create", row.id, {
      configuration: configuration.name,
      node: node.id,
      interface: name,
      listenPort: row.listen_port,
    });
    return toInterfaceView(row, this.endpointOf(row, node));
  }

  /**
   * `PATCH /api/v1/configurations/:name/interfaces/:nodeId`: endpoint, listen port, DNS and MTU changed
   * in place, peers kept. A change the node must make (port, MTU) is a new revision pushed to it; when
   * the push fails the old settings are put back and the node's error is the answer.
   */
  async update(
    configurationName: string,
    nodeId: string,
    body: UpdateInterfaceBody,
    actor: string,
  ): Promise<UpdatedInterfaceDto> {
    const configuration = await this.requireConfiguration(configurationName);
    const row = await this.requireInterface(configuration, nodeId);
    const changes = settingsChanges(row, body);
    const node = await this.deps.nodes.findById(row.node_id);
    if (changes.listen_port !== undefined)
      await this.checkPortFree(row, node?.name ?? row.node_id, changes.listen_port);
    if (Object.keys(changes).length > 0) {
      await this.applySettings(row, changes);
      await this.deps.audit.record(actor, "interface.update", row.id, {
        configuration: configuration.name,
        node: nodeId,
        fields: Object.keys(changes),
      });
    }
    const updated = (await this.deps.interfaces.findById(row.id)) ?? row;
    const endpoint = this.endpointOf(updated, node);
    const counts = (await this.deps.interfaces.peerCounts()).get(row.id);
    return {
      ...toInterfaceView(updated, endpoint, counts),
      clientConfigsChanged:
        endpoint !== this.endpointOf(row, node) || changes.dns !== undefined || changes.mtu !== undefined,
    };
  }

  private async applySettings(row: InterfaceRow, changes: Partial<InterfaceSettings>): Promise<void> {
    await this.deps.revisions.change(row.id, (trx) =>
      this.deps.interfaces.updateSettings(row.id, changes, trx),
    );
    await this.changed(row);
    if (!changesTheNode(changes)) return;
    try {
      await this.deps.desiredStates.push(row);
    } catch (error) {
      const previous = previousSettings(row, changes);
      await this.deps.revisions.change(row.id, (trx) =>
        this.deps.interfaces.updateSettings(row.id, previous, trx),
      );
      await this.changed(row);
      // Should the node have taken part of the change, it goes back too (it may well not answer).
      await this.deps.desiredStates.push(row).catch(() => {});
      throw error;
    }
  }

  private async requireInterface(
    configuration: InterfaceConfiguration,
    nodeId: string,
  ): Promise<InterfaceRow> {
    const row = (await this.deps.interfaces.listByConfiguration(configuration.id)).find(
      (i) => i.node_id === nodeId,
    );
    if (!row) throw new NotFoundError(`configuration ${configuration.name} on node ${nodeId}`);
    return row;
  }

  private async checkPortFree(row: InterfaceRow, nodeName: string, listenPort: number): Promise<void> {
    const taken = (await this.deps.interfaces.listByNode(row.node_id)).find(
      (other) => other.id !== row.id && other.listen_port === listenPort,
    );
    if (taken)
      throw new ConflictError(
        `listen port ${listenPort} is already used on node "${nodeName}" by interface ${taken.name}`,
        "listenPort",
      );
  }

  /**
   * The new interface on its node. A node that already holds an interface of that name at a higher
   * revision (left by an earlier registration of the node) refuses revision 1 with a 409: the new
   * interface then starts past the node's revision and replaces it.
   */
  private async bringUp(transport: NodeTransport, row: InterfaceRow): Promise<void> {
    const state = (revision: number): InterfaceState => ({
      revision,
      interface: this.deps.desiredStates.interfaceSpec(row),
      peers: [],
    });
    try {
      await transport.applyInterfaceState(state(Number(row.revision)));
    } catch (error) {
      if (!(error instanceof NodeAgentError && error.agentStatus === 409)) throw error;
      const known = (await transport.health()).health.interfaces.find((i) => i.name === row.name);
      const revision = (known?.revision ?? 0) + 1;
      await this.deps.interfaces.setRevision(row.id, revision);
      row.revision = revision;
      await transport.applyInterfaceState(state(revision));
    }
  }

  /** What the node runs now: managed interfaces and strays; null when its health cannot be read. */
  private async namesOnNode(
    transport: NodeTransport,
  ): Promise<{ managed: Set<string>; stray: Set<string> } | null> {
    try {
      const { health } = await transport.health();
      return {
        managed: new Set(health.interfaces.map((i) => i.name)),
        stray: new Set(health.strayInterfaces ?? []),
      };
    } catch {
      return null;
    }
  }

  /** Takes the configuration off a node. Refuses while peers live there unless forced. */
  async removeFromNode(
    configurationName: string,
    nodeId: string,
    force: boolean,
    actor: string,
  ): Promise<void> {
    const configuration = await this.requireConfiguration(configurationName);
    const row = await this.requireInterface(configuration, nodeId);
    await this.deleteInterface(row, force);
    await this.deps.audit.record(actor, "interface.delete", row.id, {
      configuration: configuration.name,
      node: nodeId,
    });
  }

  /**
   * Takes the interface off its node, then deletes it with everything under it (its peers, their
   * addresses, stats and share links go by the foreign keys' cascades). Refuses while peers live
   * there unless forced.
   */
  async deleteInterface(row: InterfaceRow, force: boolean): Promise<void> {
    const counts = (await this.deps.interfaces.peerCounts()).get(row.id);
    if (counts && counts.total > 0 && !force) {
      throw new ConflictError(
        `interface ${row.name} on node ${row.node_id} still has ${counts.total} peers; use force`,
        "force",
      );
    }
    const transport = this.deps.transports.tryGet(row.node_id);
    if (transport) await transport.removeInterface(row.name);
    await this.deps.interfaces.delete(row.id);
    this.deps.pools.forgetInterface(row.id);
    await this.changed(row);
  }

  /** Every interface of a configuration, one after the other, as deleteInterface does it. */
  async deleteAllOfConfiguration(configurationId: string, force: boolean): Promise<void> {
    for (const iface of await this.deps.interfaces.listByConfiguration(configurationId)) {
      await this.deleteInterface(iface, force);
    }
  }

  /**
   * A configuration change that changes what its interfaces' peers are told (the default schedule):
   * written with every interface's revision bumped in one transaction, then each interface's full state
   * pushed. A node that fails keeps the database's truth: the health poller pushes it again; the
   * failures are returned, not thrown, as the change itself is made.
   */
  async changeAllOfConfiguration(
    configurationId: string,
    write: (trx: Db) => Promise<void>,
  ): Promise<Array<{ nodeId: string; error: Error }>> {
    const rows = await this.deps.interfaces.listByConfiguration(configurationId);
    await this.deps.revisions.changeMany(
      rows.map((row) => row.id),
      write,
    );
    // `write` changed the configuration's row (committed): its copies go before the nodes are called.
    await this.deps.invalidation.changed("configuration", configurationId);
    const pushes = await Promise.allSettled(rows.map((row) => this.deps.desiredStates.push(row)));
    return pushes.flatMap((push, index) =>
      push.status === "rejected" ? [{ nodeId: rows[index]?.node_id ?? "", error: push.reason as Error }] : [],
    );
  }

  /** The interface's row changed (committed): the copies of its configuration's interfaces go. */
  private async changed(row: Pick<InterfaceRow, "configuration_id">): Promise<void> {
    await this.deps.invalidation.changed("configuration", row.configuration_id);
  }

  /** The whole desired state of an interface as the database has it now. */
  desiredState(row: InterfaceRow): Promise<InterfaceState> {
    return this.deps.desiredStates.of(row);
  }

  /** Brings the node's interface to exactly the database's desired state (start-up, repair). */
  pushFullState(row: InterfaceRow): Promise<void> {
    return this.deps.desiredStates.push(row);
  }

  /** The client endpoint of an interface, its node looked up. */
  async endpointFor(row: InterfaceRow): Promise<string> {
    return this.endpointOf(row, await this.deps.nodes.findById(row.node_id));
  }

  /**
   * host:port clients connect to: the interface's own endpoint, else its node's endpoint host, else the
   * host of the node's agent URL, else (the local node) this machine's name — with the listen port.
   */
  endpointOf(
    row: InterfaceRow,
    node: Pick<InterfaceNode, "endpoint_host" | "agent_url"> | undefined,
  ): string {
    if (row.endpoint) return row.endpoint;
    return formatEndpoint({ host: clientEndpointHost(node, this.hostname), port: row.listen_port });
  }

  async viewsOfConfiguration(configurationId: string): Promise<InterfaceView[]> {
    const [rows, counts, nodes] = await Promise.all([
      this.deps.interfaces.listByConfiguration(configurationId),
      this.deps.interfaces.peerCounts(),
      this.deps.nodes.list(),
    ]);
    const nodeById = new Map(nodes.map((n) => [n.id, n]));
    return rows.map((row) =>
      toInterfaceView(row, this.endpointOf(row, nodeById.get(row.node_id)), counts.get(row.id)),
    );
  }

  /**
   * Whether `configuration` may come to `nodeId` as interface `name` on `listenPort` with `pools` (the
   * checks of addToNode): used when an interface wgfleet did not create is adopted or imported.
   */
  async checkPlacement(
    configuration: InterfaceConfiguration,
    nodeId: string,
    name: string,
    listenPort: number,
    pools: InterfacePool[],
  ): Promise<void> {
    await this.checkFreeOnNode(nodeId, configuration, name, listenPort, pools);
    await this.checkPoolsFreeInConfiguration(configuration, pools);
  }

  private async requireConfiguration(name: string): Promise<InterfaceConfiguration> {
    const configuration = await this.deps.configurations.findByName(name);
    if (!configuration) throw new NotFoundError(`configuration ${name}`);
    return configuration;
  }

  private async checkFreeOnNode(
    nodeId: string,
    configuration: InterfaceConfiguration,
    name: string,
    listenPort: number,
    pools: InterfacePool[],
  ): Promise<void> {
    for (const other of await this.deps.interfaces.listByNode(nodeId)) {
      if (other.configuration_id === configuration.id) {
        throw new ConflictError(`configuration ${configuration.name} is already on node ${nodeId}`, "nodeId");
      }
      if (other.name === name)
        throw new ConflictError(`interface ${name} already exists on node ${nodeId}`, "interfaceName");
      if (other.listen_port === listenPort) {
        throw new ConflictError(`listen port ${listenPort} is already used on node ${nodeId}`, "listenPort");
      }
      refuseOverlap(other, pools, `interface ${other.name}`);
    }
  }

  /** Peers of one configuration must never share an address, whichever node they are on. */
  private async checkPoolsFreeInConfiguration(
    configuration: InterfaceConfiguration,
    pools: InterfacePool[],
  ): Promise<void> {
    for (const other of await this.deps.interfaces.listByConfiguration(configuration.id)) {
      refuseOverlap(other, pools, `interface ${other.name} on node ${other.node_id} (same configuration)`);
    }
  }
}

/** A new pool may not overlap a pool of `other`: 409 naming the field (pool or pool6). */
function refuseOverlap(other: InterfaceRow, pools: InterfacePool[], what: string): void {
  for (const pool of pools) {
    const clash = poolsOf(other).find((p) => cidrOverlaps(p.cidr, pool.cidr));
    const field = pool.cidr.address.version === 6 ? "pool6" : "pool";
    if (clash) throw new ConflictError(`${field}: ${pool.key} overlaps ${clash.key} of ${what}`, field);
  }
}

/** `pool` is IPv4, `pool6` IPv6; neither special-purpose nor with host bits. Each must hold a gateway and a peer. */
function parsePools(input: AddInterfaceBody): InterfacePool[] {
  const pools: InterfacePool[] = [];
  if (input.pool !== undefined) pools.push(checkedPool(parsePoolCidr(input.pool, "pool", 4), "pool"));
  if (input.pool6 !== undefined) pools.push(checkedPool(parsePoolCidr(input.pool6, "pool6", 6), "pool6"));
  if (pools.length === 0) {
    throw new ValidationError(
      "pool",
      "is required: an IPv4 pool, an IPv6 pool (pool6) for an IPv6-only interface, or both",
    );
  }
  return pools;
}

function checkedPool(cidr: Cidr, field: string): InterfacePool {
  const pool = describePool(formatCidr(cidr), field);
  try {
    new PoolAllocator(pool.cidr);
  } catch (error) {
    if (error instanceof WgFleetError) throw new ValidationError(field, error.message.replace(/^pool: /, ""));
    throw error;
  }
  return pool;
}
