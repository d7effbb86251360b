// Rules for peers: creation (the saga of peer-creation.ts), reading one, and every later change, which
// touches only this peer on the live interface: client-side fields in the database only; addresses
// (peer-addresses.ts) and access rules (expiry, schedule) on the node too; enable and disable, delete.
// Never returns a key.
import {
  ConflictError,
  type CreatePeerBody,
  checkCreatePeer,
  checkUpdatePeer,
  NotFoundError,
  type TrafficBudget,
  type UpdatePeerBody,
} from "@wgfleet/core";
import { fieldChanges, secretFieldsSet } from "../audit/audit-changes.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
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
import { type PeerAccessColumns, peerAccessOf } from "../lifecycle/peer-access.js";
import { planQuotaChange, type QuotaChange } from "../lifecycle/quota.js";
import { currentQuotaOf, type QuotaRepository } from "../lifecycle/quota.repository.js";
import type { SecretBox } from "../secrets/index.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { type PeerDto, toPeerDto } from "./peer.mapper.js";
import type { PeerRepository, PeerRow, PeerUpdate } from "./peer.repository.js";
import type { PeerAddressChanges } from "./peer-addresses.js";
import { asNodeError } from "./peer-allocation.js";
import type { PeerCreation } from "./peer-creation.js";
import { peerEventData } from "./peer-events.js";
import { refuseTakenName } from "./peer-names.js";
import type { PeerAudit, PeerConfigurations, PeerInterfaces } from "./ports.js";

export interface PeerServiceDeps {
  peers: PeerRepository;
  interfaces: PeerInterfaces;
  configurations: PeerConfigurations;
  allocations: AllocationRepository;
  revisions: InterfaceRevisions;
  pools: AddressPools;
  transports: NodeTransportSource;
  secrets: SecretBox;
  audit: PeerAudit;
  creation: PeerCreation;
  addresses: PeerAddressChanges;
  quotas: Pick<QuotaRepository, "find" | "save" | "remove" | "restore">;
  ensureTransports?: EnsureTransports;
  /** `peer.updated` and `peer.deleted` go out here after the change. */
  events?: DomainEventPublisher;
  /** One change of a peer at a time (edits, enable/disable, deletion, moves): shared with moves/. */
  peerLocks?: KeyedMutex;
  /** Ends the old copies a moved peer's sources keep (moves/), when the peer is disabled or deleted. */
  graces?: PeerGraces;
}

/** What a moved peer's grace copies need from peers/ (moves/PeerMoveService fits). */
export interface PeerGraces {
  endGracesOf(peerId: string): Promise<void>;
}

export interface PeerContext {
  peer: PeerRow;
  iface: InterfaceRow;
  configuration: ConfigurationRow;
}

export class PeerService {
  private readonly locks: KeyedMutex;

  constructor(private readonly deps: PeerServiceDeps) {
    this.locks = deps.peerLocks ?? new KeyedMutex();
  }

  async create(configurationName: string, body: CreatePeerBody, actor: string): Promise<PeerDto> {
    const configuration = await this.requireConfiguration(configurationName);
    const input = checkCreatePeer(body);
    if (input.publicKey) await this.refuseInterfaceKey(input.publicKey);
    const candidates = await this.deps.interfaces.listByConfiguration(configuration.id);
    if (candidates.length === 0) {
      throw new ConflictError(`configuration ${configuration.name} is not on any node yet`, "node");
    }
    await this.deps.ensureTransports?.(candidates.map((c) => c.node_id));
    return this.deps.creation.create(configuration, candidates, input, actor);
  }

  async get(id: string): Promise<PeerDto> {
    const view = await this.deps.peers.findView(id);
    if (!view) throw new NotFoundError(`peer ${id}`);
    const configuration = await this.deps.configurations.findById(view.configurationId);
    return toPeerDto(view, configuration?.name ?? "");
  }

  /**
   * Client-side fields change in the database only; addresses and access rules (expiry, schedule,
   * quota budget) on the node too: a renewal (a later expiry, or none) puts an expired peer back on its
   * interface. The quota row is written first and put back when the rest fails.
   */
  async update(id: string, body: UpdatePeerBody, actor: string): Promise<PeerDto> {
    return this.locks.run(id, () => this.updateLocked(id, body, actor));
  }

  private async updateLocked(id: string, body: UpdatePeerBody, actor: string): Promise<PeerDto> {
    const { peer, iface, configuration } = await this.context(id);
    const input = checkUpdatePeer(body);
    const before = await this.get(id);
    const changes: PeerUpdate = {};
    if (input.name !== undefined && input.name !== peer.name)
      await refuseTakenName(this.deps.peers, iface.configuration_id, input.name, id);
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.contactEmail !== undefined) changes.contact_email = input.contactEmail;
    if (input.dns !== undefined) changes.dns = input.dns === null ? null : JSON.stringify(input.dns);
    if (input.clientAllowedIps !== undefined)
      changes.client_allowed_ips = JSON.stringify(input.clientAllowedIps);
    if (input.mtu !== undefined) changes.mtu = input.mtu;
    if (input.keepalive !== undefined) changes.keepalive = input.keepalive;
    if (input.expiresAt !== undefined) changes.expires_at = input.expiresAt;
    if (input.schedule !== undefined)
      changes.schedule = input.schedule === null ? null : JSON.stringify(input.schedule);
    const previousQuota = input.quota === undefined ? undefined : await this.deps.quotas.find(id);
    if (input.quota !== undefined) {
      const current = previousQuota && currentQuotaOf(previousQuota);
      const quota = planQuotaChange(current, input.quota, configuration.time_zone, Date.now());
      changes.quota_budget = quota.budget;
      await this.saveQuota(id, quota);
    }
    const access = accessAfter(peer, changes, configuration);
    try {
      const moved =
        input.addresses !== undefined &&
        (await this.deps.addresses.change(peer, iface, input.addresses, changes, access));
      if (!moved) await this.applyChanges(peer, iface, changes, access);
    } catch (error) {
      if (input.quota !== undefined) await this.deps.quotas.restore(id, previousQuota);
      throw error;
    }
    const after = await this.get(id);
    await this.deps.audit.recordEvent(actor, {
      action: "peer.update",
      target: id,
      changes: { ...fieldChanges(auditedPeer(before), auditedPeer(after)), ...secretFieldsSet(body) },
    });
    await this.publishUpdated({ id, name: after.name }, iface, configuration, Object.keys(body), actor);
    return after;
  }

  /**
   * Writes the changes; when they change what the node enforces (expiry, schedule) for a peer on it,
   * in a new revision with the peer's new spec sent to the node. A node failure puts the old values back
   * and answers with the node's error.
   */
  private async applyChanges(
    peer: PeerRow,
    iface: InterfaceRow,
    changes: PeerUpdate,
    access: PeerAccessColumns,
  ): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    const onNode = Number(peer.enabled) === 1 && peer.state !== "failed";
    const before = { ...peer, default_schedule: access.default_schedule };
    if (!onNode || sameAccess(before, access)) {
      await this.deps.peers.update(peer.id, changes);
      return;
    }
    const transport = this.deps.transports.get(iface.node_id, "node");
    const { revision } = await this.deps.revisions.change(iface.id, (trx) =>
      this.deps.peers.update(peer.id, changes, trx),
    );
    try {
      await transport.upsertPeers(
        iface.name,
        [peerSpecOf({ ...peer, ...access }, this.deps.secrets)],
        revision,
      );
    } catch (error) {
      await this.deps.revisions.change(iface.id, (trx) =>
        this.deps.peers.update(peer.id, previousValues(peer, changes), trx),
      );
      throw asNodeError(error);
    }
  }

  /**
   * The traffic budget the quota job hands the peer (a new period, or a spent one): on its node at once
   * when the peer is there, else only stored for when it comes back.
   */
  async setBudget(id: string, budget: TrafficBudget): Promise<void> {
    await this.locks.run(id, async () => {
      const { peer, iface, configuration } = await this.context(id);
      const changes: PeerUpdate = { quota_budget: JSON.stringify(budget) };
      await this.applyChanges(peer, iface, changes, accessAfter(peer, changes, configuration));
    });
  }

  private async saveQuota(peerId: string, change: QuotaChange): Promise<void> {
    const { setting } = change;
    if (setting === null) await this.deps.quotas.remove(peerId);
    else await this.deps.quotas.save(peerId, setting.quota, setting.period, setting.start);
  }

  /** A client may not bring an interface's own key: the node would fight over it forever. */
  private async refuseInterfaceKey(publicKey: string): Promise<void> {
    if (await this.deps.interfaces.publicKeyInUse(publicKey)) {
      throw new ConflictError("the public key is an interface's own key, not a client's", "publicKey");
    }
  }

  /** Takes the peer off its node; the database keeps it and its addresses. */
  async disable(id: string, actor: string): Promise<PeerDto> {
    return this.locks.run(id, () => this.disableLocked(id, actor));
  }

  private async disableLocked(id: string, actor: string): Promise<PeerDto> {
    const { peer, iface, configuration } = await this.context(id);
    if (Number(peer.enabled) === 0) return this.get(id);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const revision = await this.setEnabled(peer.id, iface.id, 0);
    try {
      await transport.removePeers(iface.name, [peer.public_key], revision);
    } catch (error) {
      await this.setEnabled(peer.id, iface.id, 1);
      throw asNodeError(error);
    }
    await this.deps.graces?.endGracesOf(id);
    await this.deps.audit.recordEvent(actor, {
      action: "peer.disable",
      target: id,
      changes: { enabled: { before: true, after: false } },
    });
    await this.publishUpdated(peer, iface, configuration, ["disable"], actor);
    return this.get(id);
  }

  /** Puts the peer back on its node with the addresses it kept. */
  async enable(id: string, actor: string): Promise<PeerDto> {
    return this.locks.run(id, () => this.enableLocked(id, actor));
  }

  private async enableLocked(id: string, actor: string): Promise<PeerDto> {
    const { peer, iface, configuration } = await this.context(id);
    if (Number(peer.enabled) === 1) return this.get(id);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const revision = await this.setEnabled(peer.id, iface.id, 1);
    try {
      const spec = peerSpecOf(
        { ...peer, default_schedule: configuration.default_schedule },
        this.deps.secrets,
      );
      await transport.upsertPeers(iface.name, [spec], revision);
    } catch (error) {
      await this.setEnabled(peer.id, iface.id, 0);
      throw asNodeError(error);
    }
    await this.deps.audit.recordEvent(actor, {
      action: "peer.enable",
      target: id,
      changes: { enabled: { before: false, after: true } },
    });
    await this.publishUpdated(peer, iface, configuration, ["enable"], actor);
    return this.get(id);
  }

  /** Off the node first (a node failure deletes nothing), then out of the database; addresses freed. */
  async delete(id: string, actor: string): Promise<void> {
    await this.locks.run(id, () => this.deleteLocked(id, actor));
  }

  private async deleteLocked(id: string, actor: string): Promise<void> {
    const { peer, iface, configuration } = await this.context(id);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const allocations = await this.deps.allocations.ofPeer(id);
    const revision = await this.deps.revisions.next(iface.id);
    try {
      await transport.removePeers(iface.name, [peer.public_key], revision);
    } catch (error) {
      throw asNodeError(error);
    }
    // Before the row goes (its grace rows go with it by cascade): no old copy outlives the peer.
    await this.deps.graces?.endGracesOf(id);
    await this.deps.revisions.change(iface.id, async (trx) => {
      await this.deps.peers.delete(id, trx);
      await this.deps.pools.announce(trx, iface.id, { released: allocations });
    });
    await this.deps.pools.releaseAllocations(iface, allocations);
    await this.deps.audit.recordEvent(actor, {
      action: "peer.delete",
      target: id,
      changes: fieldChanges(
        { name: peer.name, node: iface.node_id, interface: iface.name, publicKey: peer.public_key },
        null,
      ),
    });
    await this.deps.events?.publish({
      type: "peer.deleted",
      data: peerEventData(peer, iface, configuration.name, { actor }),
    });
  }

  private async publishUpdated(
    peer: { id: string; name: string },
    iface: InterfaceRow,
    configuration: ConfigurationRow,
    changes: string[],
    actor: string,
  ): Promise<void> {
    await this.deps.events?.publish({
      type: "peer.updated",
      data: peerEventData(peer, iface, configuration.name, { changes, actor }),
    });
  }

  /** Loads a peer with its interface and configuration; NotFoundError when missing. */
  async context(id: string): Promise<PeerContext> {
    const peer = await this.deps.peers.findById(id);
    if (!peer) throw new NotFoundError(`peer ${id}`);
    const iface = await this.deps.interfaces.findById(peer.interface_id);
    if (!iface) throw new NotFoundError(`interface of peer ${id}`);
    await this.deps.ensureTransports?.([iface.node_id]);
    const configuration = await this.deps.configurations.findById(iface.configuration_id);
    if (!configuration) throw new NotFoundError(`configuration of peer ${id}`);
    return { peer, iface, configuration };
  }

  private async requireConfiguration(name: string): Promise<ConfigurationRow> {
    const configuration = await this.deps.configurations.findByName(name);
    if (!configuration) throw new NotFoundError(`configuration ${name}`);
    return configuration;
  }

  private async setEnabled(peerId: string, interfaceId: string, enabled: 0 | 1): Promise<number> {
    const { revision } = await this.deps.revisions.change(interfaceId, (trx) =>
      this.deps.peers.update(peerId, { enabled }, trx),
    );
    return revision;
  }
}

/** The access columns as they are after the update. */
function accessAfter(peer: PeerRow, changes: PeerUpdate, configuration: ConfigurationRow): PeerAccessColumns {
  return {
    expires_at: changes.expires_at !== undefined ? changes.expires_at : peer.expires_at,
    schedule: changes.schedule !== undefined ? changes.schedule : peer.schedule,
    default_schedule: configuration.default_schedule,
    quota_budget: changes.quota_budget !== undefined ? changes.quota_budget : peer.quota_budget,
  };
}

/** Whether the node would be told the same access (a date written differently is the same moment). */
function sameAccess(a: PeerAccessColumns, b: PeerAccessColumns): boolean {
  return JSON.stringify(peerAccessOf(a)) === JSON.stringify(peerAccessOf(b));
}

/** The peer's values of the changed columns, to put back. */
/** The peer's fields the audit trail compares (its DTO holds no secret; live counters left out). */
function auditedPeer(peer: PeerDto): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...peer };
  for (const live of LIVE_PEER_FIELDS) delete fields[live];
  return fields;
}

const LIVE_PEER_FIELDS = ["rx", "tx", "latestHandshake", "endpoint", "online", "statsUpdatedAt", "updatedAt"];

function previousValues(peer: PeerRow, changes: PeerUpdate): PeerUpdate {
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(changes)) previous[key] = peer[key as keyof PeerRow];
  return previous as PeerUpdate;
}
