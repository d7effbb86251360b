// Drift you can see: what the dashboard wants on a node against what the node runs — revisions,
// stray peers and interfaces, missing peers, the last repair — and the actions on it: remove the
// strays, adopt a stray peer as a managed one (key, preshared key and address kept), and a new drift
// policy handed to the node with each interface's full desired state. Reconcile-now is
// NodeReconcileService's. The node's report is read live; when the node does not answer, its last
// stored health report is shown as stale.
import {
  type AdoptStrayBody,
  ConflictError,
  type Health,
  type NodeDriftDto,
  NotFoundError,
  type PeerDto,
  type PeerSpec,
  type RemoveStraysDto,
  ValidationError,
  validateKey,
} from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { Logger } from "../logging/logger.js";
import type { NodeRow } from "../nodes/node.repository.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { type DriftObservation, toNodeDriftDto } from "./drift.mapper.js";
import type { DriftSubject } from "./drift-sighting.repository.js";

export interface DriftServiceDeps {
  nodes: { findById(id: string): Promise<NodeRow | undefined> };
  remote: { ensure(nodeIds: Iterable<string>): Promise<void> };
  transports: { get(nodeId: string): NodeTransport };
  interfaces: { listByNode(nodeId: string): Promise<InterfaceRow[]> };
  configurations: { findById(id: string): Promise<{ name: string } | undefined> };
  sightings: { observe(nodeId: string, seen: DriftSubject[], now: string): Promise<Map<string, string>> };
  /** Peer ids and names of the given public keys on an interface (for missing peers). */
  peerNames: {
    byKeys(interfaceId: string, keys: string[]): Promise<Map<string, { id: string; name: string }>>;
  };
  peers: { create(configuration: string, body: AdoptPeerBody, actor: string): Promise<PeerDto> };
  desiredState: { pushFullState(iface: InterfaceRow): Promise<void> };
  audit: Pick<AuditService, "record">;
  logger: Pick<Logger, "warn">;
  now?: () => number;
}

/** What adopting a stray asks of peer creation: its own key, its preshared key or none, its address. */
export interface AdoptPeerBody {
  name: string;
  node: string;
  publicKey: string;
  presharedKey: string | false;
  addresses: string[];
}

export class DriftService {
  private readonly now: () => number;

  constructor(private readonly deps: DriftServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** `GET /api/v1/nodes/:id/drift`. */
  async get(nodeId: string): Promise<NodeDriftDto> {
    const row = await this.requireNode(nodeId);
    const transport = this.deps.transports.get(nodeId);
    const { health: reported, stale } = await this.report(row, transport);
    const health: DriftObservation = reported ?? { interfaces: [], strayInterfaces: [] };
    const interfaces = await this.deps.interfaces.listByNode(nodeId);
    const strayDetails =
      stale || !reported ? new Map<string, PeerSpec[]>() : await this.strayDetails(transport, reported);
    const missingNames = new Map<string, Map<string, { id: string; name: string }>>();
    for (const iface of interfaces) {
      const missing = health.interfaces.find((i) => i.name === iface.name)?.missingPeers ?? [];
      if (missing.length > 0)
        missingNames.set(iface.name, await this.deps.peerNames.byKeys(iface.id, missing));
    }
    const seen = subjectsOf(health);
    const checkedAt = reported ? new Date(stale ? reported.time : this.now()).toISOString() : null;
    const firstSeen =
      stale || checkedAt === null
        ? new Map<string, string>()
        : await this.deps.sightings.observe(nodeId, seen, checkedAt);
    const configurations = new Map<string, string>();
    for (const iface of interfaces) {
      const configuration = await this.deps.configurations.findById(iface.configuration_id);
      configurations.set(iface.name, configuration?.name ?? "");
    }
    return toNodeDriftDto({
      row,
      health,
      interfaces,
      configurations,
      strayDetails,
      missingNames,
      firstSeen,
      checkedAt,
      stale,
    });
  }

  /** The health poller's answer recorded, so "since" counts from the first poll that saw the drift. */
  async observe(nodeId: string, health: Health): Promise<void> {
    await this.deps.sightings.observe(nodeId, subjectsOf(health), new Date(this.now()).toISOString());
  }

  /** `POST /api/v1/nodes/:id/drift/remove-strays`: stray peers of every managed interface removed. */
  async removeStrays(nodeId: string, actor: string): Promise<RemoveStraysDto> {
    await this.requireNode(nodeId);
    const transport = this.deps.transports.get(nodeId);
    const interfaces: RemoveStraysDto["interfaces"] = [];
    for (const iface of await this.deps.interfaces.listByNode(nodeId)) {
      const report = await transport.reconcile(iface.name, { removeStray: true, restore: false });
      interfaces.push({ interface: iface.name, removed: report.strayRemoved });
    }
    const removed = interfaces.reduce((sum, i) => sum + i.removed, 0);
    await this.deps.audit.record(actor, "node.drift.remove-strays", nodeId, { removed });
    return { removed, interfaces };
  }

  /**
   * `POST /api/v1/nodes/:id/drift/adopt`: the stray peer becomes a peer of the interface's configuration
   * with its public key, preshared key and address; the address must lie in the interface's pool and be
   * free (peer creation refuses it otherwise, naming `addresses`). Its tunnel is not interrupted: the
   * node is told the same peer it already runs. The preshared key is read from the node with the peer.
   */
  async adoptStray(nodeId: string, body: AdoptStrayBody, actor: string): Promise<PeerDto> {
    await this.requireNode(nodeId);
    const publicKey = validateKey(body.publicKey, "publicKey");
    const iface = (await this.deps.interfaces.listByNode(nodeId)).find((i) => i.name === body.interface);
    if (!iface) throw new NotFoundError(`interface ${body.interface} on node ${nodeId}`);
    const configuration = await this.deps.configurations.findById(iface.configuration_id);
    if (!configuration) throw new NotFoundError(`the configuration of interface ${iface.name}`);
    const stray = (await this.deps.transports.get(nodeId).strayPeers(iface.name)).find(
      (peer) => peer.publicKey === publicKey,
    );
    if (!stray)
      throw new NotFoundError(
        `stray peer ${publicKey} on interface ${iface.name} (it is not on the node, or it is managed)`,
      );
    const addresses = hostAddresses(stray.allowedIps);
    const peer = await this.deps.peers.create(
      configuration.name,
      {
        name: body.name,
        node: nodeId,
        publicKey,
        presharedKey: stray.presharedKey ?? false,
        addresses,
      },
      actor,
    );
    // Audited as the peer's creation (one entry per write).
    return peer;
  }

  /** The node learns a new drift policy with each interface's full state; a node that is down learns it later. */
  async policyChanged(row: NodeRow): Promise<void> {
    for (const iface of await this.deps.interfaces.listByNode(row.id)) {
      try {
        await this.deps.desiredState.pushFullState(iface);
      } catch (error) {
        this.deps.logger.warn(
          { node: row.id, interface: iface.name, err: { message: (error as Error).message } },
          "the new drift policy could not be handed to the node yet",
        );
      }
    }
  }

  private async requireNode(nodeId: string): Promise<NodeRow> {
    const row = await this.deps.nodes.findById(nodeId);
    if (!row) throw new NotFoundError(`node ${nodeId}`);
    await this.deps.remote.ensure([nodeId]);
    return row;
  }

  /**
   * The node's health now, or its last stored one when it does not answer, or none when it never has:
   * a node that is down is still shown with what the dashboard wants on it, not as an error.
   */
  private async report(
    row: NodeRow,
    transport: NodeTransport,
  ): Promise<{ health: Health | null; stale: boolean }> {
    try {
      return { health: (await transport.health({ retry: false })).health, stale: false };
    } catch {
      return { health: parseHealth(row.last_health), stale: true };
    }
  }

  private async strayDetails(transport: NodeTransport, health: Health): Promise<Map<string, PeerSpec[]>> {
    const details = new Map<string, PeerSpec[]>();
    for (const iface of health.interfaces) {
      if (iface.strayPeers.length === 0) continue;
      try {
        details.set(iface.name, await transport.strayPeers(iface.name));
      } catch {
        // An older agent has no such route: the keys from health are still shown.
      }
    }
    return details;
  }
}

/** A stray's allowed IPs as the host addresses a peer may have: one /32 and at most one /128. */
function hostAddresses(allowedIps: string[]): string[] {
  const hosts = allowedIps.filter((cidr) => cidr.endsWith("/32") || cidr.endsWith("/128"));
  if (hosts.length === 0 || hosts.length > 2)
    throw new ValidationError(
      "publicKey",
      `this stray peer routes ${allowedIps.join(", ") || "nothing"}: only a peer with one IPv4 /32 (and at most one IPv6 /128) can be adopted`,
    );
  if (hosts.length !== allowedIps.length)
    throw new ConflictError(
      `this stray peer also routes ${allowedIps.filter((c) => !hosts.includes(c)).join(", ")}: a managed peer routes only its own addresses`,
      "publicKey",
    );
  return hosts;
}

function subjectsOf(health: DriftObservation): DriftSubject[] {
  const seen: DriftSubject[] = [];
  for (const iface of health.interfaces) {
    for (const key of iface.strayPeers)
      seen.push({ kind: "stray-peer", interfaceName: iface.name, subject: key });
    for (const key of iface.missingPeers ?? [])
      seen.push({ kind: "missing-peer", interfaceName: iface.name, subject: key });
  }
  for (const name of health.strayInterfaces ?? [])
    seen.push({ kind: "stray-interface", interfaceName: name, subject: "" });
  return seen;
}

function parseHealth(text: string | null): Health | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Health;
  } catch {
    return null;
  }
}
