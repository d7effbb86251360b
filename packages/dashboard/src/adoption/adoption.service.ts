// Adopting WireGuard that wgfleet did not set up — how an admin leaves WGDashboard or wg-easy. Either a
// live interface on a node (`POST /api/v1/nodes/:id/adopt`) or a wg-quick file
// (`POST /api/v1/configurations/:name/import`) becomes a configuration's interface on that node, its
// peers managed peers: keys, preshared keys and addresses kept, names from the file's name comments.
// A live interface is taken over in place, by a diff: same private key, port and address, the peers it
// runs left as they are, so no tunnel drops; the node refuses if the interface runs with another key or
// port. Order: everything checked, then the rows written, then the node told; when the node refuses,
// the rows go again (the interface's cascade takes its peers and addresses), nothing is left behind.
import { randomUUID } from "node:crypto";
import {
  type AdoptInterfaceBody,
  type AdoptionDto,
  ConflictError,
  type ImportConfigurationBody,
  type InterfaceSpec,
  NotFoundError,
  type PeerSpec,
  parseWgQuick,
  publicKeyFromPrivate,
  ValidationError,
  type WgQuickFile,
} from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import { nowIso } from "../clock.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import type { DesiredStates, InterfacePool, InterfaceService } from "../interfaces/index.js";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { NodeRow } from "../nodes/node.repository.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import type { SecretBox } from "../secrets/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import type { AdoptionRepository } from "./adoption.repository.js";
import { type PlannedPeer, planPeers, poolsOfInterface } from "./adoption-plan.js";

export interface AdoptionServiceDeps {
  nodes: { findById(id: string): Promise<NodeRow | undefined> };
  remote: { ensure(nodeIds: Iterable<string>): Promise<void> };
  transports: { get(nodeId: string): NodeTransport };
  configurations: { findByName(name: string): Promise<ConfigurationRow | undefined> };
  interfaces: {
    insert(row: InterfaceRow): Promise<void>;
    delete(id: string): Promise<void>;
  };
  interfaceRules: Pick<InterfaceService, "checkPlacement">;
  desiredStates: Pick<DesiredStates, "of">;
  pools: { forgetInterface(interfaceId: string): void };
  rows: Pick<AdoptionRepository, "namesInConfiguration" | "insertPeers">;
  secrets: Pick<SecretBox, "encrypt">;
  audit: Pick<AuditService, "record">;
  /** Told of the interface added (or taken back): its configuration's copies of interfaces go. */
  invalidation: Pick<CacheInvalidation, "changed">;
}

/** The interface to take over or bring up, and the peers' names from a file. */
interface Source {
  spec: InterfaceSpec;
  peers: PeerSpec[];
  names: Map<string, string>;
  live: boolean;
}

export class AdoptionService {
  constructor(private readonly deps: AdoptionServiceDeps) {}

  /** `POST /api/v1/nodes/:id/adopt`: a live interface the node does not manage yet. */
  async adoptLive(nodeId: string, body: AdoptInterfaceBody, actor: string): Promise<AdoptionDto> {
    const { transport } = await this.requireNode(nodeId);
    const file = body.config === undefined ? null : parseFile(body.config);
    const live = await transport.strayInterfaceConfig(body.interface);
    if (file?.interface.privateKey !== undefined && file.interface.privateKey !== live.interface.privateKey)
      throw new ConflictError(
        `the file's PrivateKey is not the one interface ${body.interface} runs with: it is another interface's file`,
        "config",
      );
    const source: Source = {
      spec: { ...live.interface, name: body.interface },
      peers: live.peers,
      names: namesOf(file),
      live: true,
    };
    return this.takeOver(nodeId, transport, body.configuration, source, actor, "interface.adopt");
  }

  /**
   * `POST /api/v1/configurations/:name/import`: a wg-quick file put on a node. When the node runs its
   * interface already (an unmanaged one of that name), it is taken over live, as adoptLive does.
   */
  async importFile(configurationName: string, body: ImportConfigurationBody, actor: string) {
    const { transport } = await this.requireNode(body.node);
    const file = parseFile(body.config);
    const name = body.interfaceName ?? configurationName;
    const spec = specOfFile(file, name);
    const stray = ((await transport.health({ retry: false })).health.strayInterfaces ?? []).includes(name);
    const source: Source = { spec, peers: file.peers.map(peerSpecOfFile), names: namesOf(file), live: stray };
    if (stray) {
      const live = await transport.strayInterfaceConfig(name);
      if (live.interface.privateKey !== spec.privateKey)
        throw new ConflictError(
          `node ${body.node} already runs interface ${name} with another private key`,
          "config",
        );
      // What runs wins over what the file says: the peers are taken as they are live.
      source.peers = live.peers;
      source.spec = { ...live.interface, name };
    }
    return this.takeOver(body.node, transport, configurationName, source, actor, "configuration.import");
  }

  private async takeOver(
    nodeId: string,
    transport: NodeTransport,
    configurationName: string,
    source: Source,
    actor: string,
    action: string,
  ): Promise<AdoptionDto> {
    const configuration = await this.deps.configurations.findByName(configurationName);
    if (!configuration) throw new NotFoundError(`configuration ${configurationName}`);
    const pools = poolsOfInterface(source.spec);
    await this.deps.interfaceRules.checkPlacement(
      configuration,
      nodeId,
      source.spec.name,
      source.spec.listenPort,
      pools,
    );
    const taken = await this.deps.rows.namesInConfiguration(configuration.id);
    const planned = planPeers(source.peers, pools, source.names, taken);
    const row = this.interfaceRow(configuration, nodeId, source.spec, pools);
    await this.deps.interfaces.insert(row);
    await this.deps.invalidation.changed("configuration", configuration.id);
    try {
      await this.deps.rows.insertPeers(...this.peerRows(row, configuration, planned));
      const state = await this.deps.desiredStates.of(row);
      if (source.live) await transport.adoptInterface(state);
      else await transport.applyInterfaceState(state);
    } catch (error) {
      await this.deps.interfaces.delete(row.id);
      this.deps.pools.forgetInterface(row.id);
      await this.deps.invalidation.changed("configuration", configuration.id);
      throw error;
    }
    const named = planned.filter((p) => source.names.has(p.spec.publicKey)).length;
    await this.deps.audit.record(actor, action, row.id, {
      configuration: configuration.name,
      node: nodeId,
      interface: row.name,
      peers: planned.length,
    });
    return {
      configuration: configuration.name,
      node: nodeId,
      interface: row.name,
      tookOverLiveInterface: source.live,
      peers: planned.length,
      named,
    };
  }

  private async requireNode(nodeId: string): Promise<{ node: NodeRow; transport: NodeTransport }> {
    const node = await this.deps.nodes.findById(nodeId);
    if (!node) throw new NotFoundError(`node ${nodeId}`);
    await this.deps.remote.ensure([nodeId]);
    return { node, transport: this.deps.transports.get(nodeId) };
  }

  private interfaceRow(
    configuration: ConfigurationRow,
    nodeId: string,
    spec: InterfaceSpec,
    pools: InterfacePool[],
  ): InterfaceRow {
    const now = nowIso();
    return {
      id: randomUUID(),
      configuration_id: configuration.id,
      node_id: nodeId,
      name: spec.name,
      private_key_enc: this.deps.secrets.encrypt(spec.privateKey),
      public_key: publicKeyFromPrivate(spec.privateKey),
      listen_port: spec.listenPort,
      endpoint: null,
      pool_v4: pools.find((p) => p.cidr.address.version === 4)?.key ?? "",
      pool_v6: pools.find((p) => p.cidr.address.version === 6)?.key ?? null,
      mtu: null,
      dns: null,
      revision: 1,
      created_at: now,
      updated_at: now,
    };
  }

  private peerRows(iface: InterfaceRow, configuration: ConfigurationRow, planned: PlannedPeer[]) {
    const now = nowIso();
    const peers = planned.map((p) => ({
      id: randomUUID(),
      interface_id: iface.id,
      name: p.name,
      description: null,
      public_key: p.spec.publicKey,
      private_key_enc: null,
      preshared_key_enc: p.spec.presharedKey ? this.deps.secrets.encrypt(p.spec.presharedKey) : null,
      addresses: JSON.stringify(p.addresses),
      client_allowed_ips: configuration.client_allowed_ips,
      dns: null,
      mtu: null,
      keepalive: null,
      enabled: 1 as const,
      expires_at: null,
      quota_budget: null,
      schedule: null,
      suspension_reason: null,
      suspended_since: null,
      state: "active" as const,
      created_at: now,
      updated_at: now,
    }));
    const allocations = planned.flatMap((p, index) =>
      p.allocations.map((a) => ({
        interface_id: iface.id,
        pool: a.pool,
        address: a.address,
        peer_id: peers[index]?.id as string,
        created_at: now,
      })),
    );
    return [peers, allocations] as const;
  }
}

function parseFile(text: string): WgQuickFile {
  try {
    return parseWgQuick(text);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(`config.${error.field}`, error.message);
    throw error;
  }
}

function namesOf(file: WgQuickFile | null): Map<string, string> {
  const names = new Map<string, string>();
  for (const peer of file?.peers ?? []) if (peer.name !== undefined) names.set(peer.publicKey, peer.name);
  return names;
}

function specOfFile(file: WgQuickFile, name: string): InterfaceSpec {
  const { privateKey, listenPort, addresses, mtu } = file.interface;
  if (privateKey === undefined) throw new ValidationError("config.interface.privateKey", "is required");
  if (listenPort === undefined) throw new ValidationError("config.interface.listenPort", "is required");
  if (addresses.length === 0) throw new ValidationError("config.interface.addresses", "is required");
  return { name, privateKey, listenPort, addresses, ...(mtu !== undefined ? { mtu } : {}) };
}

function peerSpecOfFile(peer: WgQuickFile["peers"][number]): PeerSpec {
  return {
    publicKey: peer.publicKey,
    allowedIps: peer.allowedIps,
    ...(peer.presharedKey !== undefined ? { presharedKey: peer.presharedKey } : {}),
  };
}
