// The read model of nodes for the API: every node with status, peer count and pool usage, the
// enabled nodes for the add-peer node selector, and one node's pools. Changes to nodes are NodeService's.
import { hostname } from "node:os";
import { LOCAL_NODE_ID, NotFoundError } from "@wgfleet/core";
import type { ConfigurationRepository } from "../configurations/configuration.repository.js";
import type { AddressPools } from "../interfaces/address-pools.js";
import { clientEndpointHost } from "../interfaces/client-endpoint-host.js";
import type { InterfaceRepository, InterfaceRow } from "../interfaces/interface.repository.js";
import { poolsOf } from "../interfaces/interface-pools.js";
import {
  type EnabledNodeDto,
  type NodeDto,
  type PoolUsage,
  toEnabledNodeDto,
  toNodeDto,
} from "./node.mapper.js";
import type { NodeRepository, NodeRow } from "./node.repository.js";
import type { NodeTransports } from "./node-transports.js";

export class NodeReadService {
  constructor(
    private readonly deps: {
      nodes: NodeRepository;
      interfaces: InterfaceRepository;
      configurations: ConfigurationRepository;
      pools: AddressPools;
      transports: NodeTransports;
      /** This machine's name: the local node's client endpoint host until an admin sets one. */
      hostname?: () => string;
      /** Days until a pool is full at its recent rate (alerts/pool-forecasts.ts); none without it. */
      forecasts?: {
        forecastDays(interfaceId: string, pool: string, available: number): Promise<number | null>;
      };
    },
  ) {}

  private clientHost(row: NodeRow): string {
    return clientEndpointHost(row, this.deps.hostname ?? hostname);
  }

  /**
   * At start: the local node's row exists and says whether this machine can run WireGuard now.
   * Never throws for an unavailable node: the dashboard runs without one.
   */
  async registerLocalNode(): Promise<void> {
    await this.deps.nodes.ensureLocal(hostname() || LOCAL_NODE_ID);
    const reason = this.deps.transports.unavailableReason(LOCAL_NODE_ID);
    const available = this.deps.transports.tryGet(LOCAL_NODE_ID) !== null;
    await this.deps.nodes.setStatus(
      LOCAL_NODE_ID,
      available ? "online" : "unavailable",
      available ? null : reason,
    );
  }

  async list(): Promise<NodeDto[]> {
    const [rows, counts, interfaces, names] = await Promise.all([
      this.deps.nodes.list(),
      this.deps.nodes.countPeersByNode(),
      this.deps.interfaces.listAll(),
      this.configurationNames(),
    ]);
    return Promise.all(
      rows.map(async (row) =>
        toNodeDto(
          await this.withLiveStatus(row),
          counts.get(row.id) ?? 0,
          await this.poolUsage(
            interfaces.filter((i) => i.node_id === row.id),
            names,
          ),
          this.clientHost(row),
        ),
      ),
    );
  }

  async get(id: string): Promise<NodeDto> {
    const row = await this.require(id);
    const [count, interfaces, names] = await Promise.all([
      this.deps.nodes.countPeers(id),
      this.deps.interfaces.listByNode(id),
      this.configurationNames(),
    ]);
    return toNodeDto(
      await this.withLiveStatus(row),
      count,
      await this.poolUsage(interfaces, names),
      this.clientHost(row),
    );
  }

  /** `GET /api/nodes/enabled`. */
  async enabled(): Promise<EnabledNodeDto[]> {
    const [rows, counts] = await Promise.all([this.deps.nodes.list(), this.deps.nodes.countPeersByNode()]);
    const enabled = rows.filter((row) => Number(row.enabled) === 1);
    return Promise.all(
      enabled.map(async (row) => toEnabledNodeDto(await this.withLiveStatus(row), counts.get(row.id) ?? 0)),
    );
  }

  async pools(id: string): Promise<PoolUsage[]> {
    await this.require(id);
    const [interfaces, names] = await Promise.all([
      this.deps.interfaces.listByNode(id),
      this.configurationNames(),
    ]);
    return this.poolUsage(interfaces, names);
  }

  private async require(id: string): Promise<NodeRow> {
    const row = await this.deps.nodes.findById(id);
    if (!row) throw new NotFoundError(`node ${id}`);
    return row;
  }

  /** The local node's status is what this process knows now, not what the row said at start. */
  private async withLiveStatus(row: NodeRow): Promise<NodeRow> {
    if (row.id !== LOCAL_NODE_ID) return row;
    const reason = this.deps.transports.unavailableReason(LOCAL_NODE_ID);
    if (reason !== null) return { ...row, status: "unavailable", status_reason: reason };
    const transport = this.deps.transports.tryGet(LOCAL_NODE_ID);
    if (!transport) return row;
    try {
      const { health } = await transport.health();
      const stray = health.strayInterfaces ?? [];
      const live = { ...row, last_health: JSON.stringify(health) };
      if (stray.length === 0) return { ...live, status: "online", status_reason: null };
      const why = `stray interface(s) not managed by wgfleet: ${stray.join(", ")}`;
      return { ...live, status: "degraded", status_reason: why };
    } catch (error) {
      const why = `its health could not be computed: ${error instanceof Error ? error.message : String(error)}`;
      return { ...row, status: "degraded", status_reason: why };
    }
  }

  private async configurationNames(): Promise<Map<string, string>> {
    const rows = await this.deps.configurations.list();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private async poolUsage(interfaces: InterfaceRow[], names: Map<string, string>): Promise<PoolUsage[]> {
    const usage: PoolUsage[] = [];
    for (const iface of interfaces) {
      for (const pool of poolsOf(iface)) {
        const stats = await this.deps.pools.stats(iface.id, pool);
        usage.push({
          configuration: names.get(iface.configuration_id) ?? "",
          interface: iface.name,
          cidr: pool.key,
          total: Number(stats.total),
          allocated: Number(stats.allocated),
          available: Number(stats.available),
          utilization: stats.utilization,
          forecastDays:
            (await this.deps.forecasts?.forecastDays(iface.id, pool.key, Number(stats.available))) ?? null,
        });
      }
    }
    return usage;
  }
}
