// Rules for peers. Creation is the saga of DESIGN.md: validate → select node → one transaction
// (allocate addresses, insert the peer `pending`, bump the interface revision) → tell the node →
// `active`; a node failure deletes the peer and frees its addresses and answers with the node's error.
// Every later change touches only this peer on the live interface. Never returns a key.
import { randomUUID } from "node:crypto";
import {
  type CheckedCreatePeer,
  ConflictError,
  type CreatePeerBody,
  checkCreatePeer,
  checkUpdatePeer,
  cidrContains,
  formatAddress,
  formatCidr,
  generateKeyPair,
  generatePresharedKey,
  hostRoute,
  type IpAddress,
  NodeCallError,
  NotFoundError,
  PoolExhaustedError,
  parseAddress,
  type UpdatePeerBody,
  ValidationError,
  WgFleetError,
} from "@wgfleet/core";
import { AuditService } from "../audit/index.js";
import { nowIso } from "../clock.js";
import type { TestFaults } from "../config/test-faults.js";
import type {
  ConfigurationRepository,
  ConfigurationRow,
} from "../configurations/configuration.repository.js";
import { type Db, isUniqueViolation } from "../db/index.js";
import type { AddressLease, AddressPools } from "../interfaces/address-pools.js";
import { InterfaceRepository, type InterfaceRow } from "../interfaces/interface.repository.js";
import { type InterfacePool, poolsOf } from "../interfaces/interface-pools.js";
import type { Logger } from "../logging/logger.js";
import type { InterfaceSelector } from "../nodes/node-selector.js";
import type { NodeTransports } from "../nodes/node-transports.js";
import type { SecretBox } from "../secrets/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { type PeerDto, toPeerDto } from "./peer.mapper.js";
import {
  type NewAllocationRow,
  PeerRepository,
  type PeerRow,
  type PeerUpdate,
  type PeerView,
} from "./peer.repository.js";
import { peerSpecOf } from "./peer-spec.js";

/** How often a creation retries after losing an address race (the seed's figure). */
export const MAX_ALLOCATION_ATTEMPTS = 3;

export interface PeerServiceDeps {
  db: Db;
  secrets: SecretBox;
  transports: NodeTransports;
  pools: AddressPools;
  selector: InterfaceSelector;
  configurations: ConfigurationRepository;
  audit: AuditService;
  /** Registers transports of nodes another dashboard replica added (RemoteNodes.ensure). */
  ensureTransports?: (nodeIds: Iterable<string>) => Promise<void>;
  /** Test builds only (config/test-faults.ts): a crash between allocation and the node call. */
  faults?: TestFaults | null;
  logger?: Logger;
}

interface PeerContext {
  peer: PeerRow;
  iface: InterfaceRow;
  configuration: ConfigurationRow;
}

export class PeerService {
  private readonly peers: PeerRepository;
  private readonly interfaces: InterfaceRepository;
  private readonly placement = new KeyedMutex();

  constructor(private readonly deps: PeerServiceDeps) {
    this.peers = new PeerRepository(deps.db);
    this.interfaces = new InterfaceRepository(deps.db);
  }

  async create(configurationName: string, body: CreatePeerBody, actor: string): Promise<PeerDto> {
    const configuration = await this.requireConfiguration(configurationName);
    const input = checkCreatePeer(body);
    if (input.publicKey) await this.refuseInterfaceKey(input.publicKey);
    const candidates = await this.interfaces.listByConfiguration(configuration.id);
    if (candidates.length === 0) {
      throw new ConflictError(`configuration ${configuration.name} is not on any node yet`, "node");
    }
    await this.deps.ensureTransports?.(candidates.map((c) => c.node_id));
    // Keys (and their encryption) need no placement: made before the lock, concurrent creations
    // overlap them.
    const keys = this.newPeerKeys(input);
    // `auto` choices in one configuration are made one at a time (selection through the pending
    // insert), so that each counts the peers placed before it; the node call runs outside the lock.
    const place = () => this.place(input, keys, configuration, candidates, actor);
    const placed = input.node === "auto" ? await this.placement.run(configuration.id, place) : await place();
    const { row, iface, transport, presharedKey, revision, addresses } = placed;
    this.deps.faults?.afterAllocate(row.name);
    const spec = {
      publicKey: row.public_key,
      allowedIps: addresses,
      ...(presharedKey ? { presharedKey } : {}),
    };
    try {
      await transport.upsertPeers(iface.name, [spec], revision);
    } catch (error) {
      await this.rollbackCreate(row, iface, transport, actor);
      throw asNodeError(error);
    }
    const activatedAt = nowIso();
    if (!(await this.peers.activate(row.id, activatedAt))) {
      // Another dashboard process started meanwhile and settled this `pending` peer away.
      this.forgetOnNode(transport, iface, row.public_key);
      throw new ConflictError(
        `the creation of ${row.name} was rolled back while node ${iface.node_id} was being called; try again`,
        "node",
      );
    }
    // Everything the answer shows is known here: no need to read the peer back.
    return toPeerDto(
      newPeerView({ ...row, state: "active", updated_at: activatedAt }, iface),
      configuration.name,
    );
  }

  /** Selection, then the peer inserted `pending` with its addresses (one transaction). */
  private async place(
    input: CheckedCreatePeer,
    keys: NewPeerKeys,
    configuration: ConfigurationRow,
    candidates: InterfaceRow[],
    actor: string,
  ): Promise<{
    row: PeerRow;
    iface: InterfaceRow;
    transport: NodeTransport;
    presharedKey: string | null;
    revision: number;
    addresses: string[];
  }> {
    const iface = await this.deps.selector.choose(candidates, input.node);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const pools = poolsOf(iface);
    const requested = requestedAddresses(input.addresses ?? [], pools);
    if (input.publicKey && (await this.peers.publicKeyTaken(iface.id, input.publicKey))) {
      throw new ConflictError("a peer with this public key already exists on the interface", "publicKey");
    }
    const row = newPeerRow(input, keys, iface, configuration);
    const audit = { actor, name: row.name, node: iface.node_id, interface: iface.name };
    const { revision, addresses } = await this.insertPending(row, iface, pools, requested, audit);
    return { row, iface, transport, presharedKey: keys.presharedKey, revision, addresses };
  }

  /** The new peer's keys: generated unless the client brought its own; stored ones encrypted. */
  private newPeerKeys(input: CheckedCreatePeer): NewPeerKeys {
    const pair = input.publicKey ? { publicKey: input.publicKey, privateKey: null } : generateKeyPair();
    const presharedKey =
      input.presharedKey === true
        ? generatePresharedKey()
        : input.presharedKey === false
          ? null
          : input.presharedKey;
    return {
      publicKey: pair.publicKey,
      privateKeyEnc: pair.privateKey ? this.deps.secrets.encrypt(pair.privateKey) : null,
      presharedKey,
      presharedKeyEnc: presharedKey ? this.deps.secrets.encrypt(presharedKey) : null,
    };
  }

  async get(id: string): Promise<PeerDto> {
    const view = await this.peers.findView(id);
    if (!view) throw new NotFoundError(`peer ${id}`);
    const configuration = await this.deps.configurations.findById(view.configurationId);
    return toPeerDto(view, configuration?.name ?? "");
  }

  /** Client-side fields change in the database only; addresses change on the node too. */
  async update(id: string, body: UpdatePeerBody, actor: string): Promise<PeerDto> {
    const { peer, iface } = await this.context(id);
    const input = checkUpdatePeer(body);
    const changes: PeerUpdate = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.dns !== undefined) changes.dns = input.dns === null ? null : JSON.stringify(input.dns);
    if (input.clientAllowedIps !== undefined)
      changes.client_allowed_ips = JSON.stringify(input.clientAllowedIps);
    if (input.mtu !== undefined) changes.mtu = input.mtu;
    if (input.keepalive !== undefined) changes.keepalive = input.keepalive;
    if (input.expiresAt !== undefined) changes.expires_at = input.expiresAt;
    if (input.addresses !== undefined) await this.changeAddresses(peer, iface, input.addresses, changes);
    else if (Object.keys(changes).length > 0) await this.peers.update(id, changes);
    await this.deps.audit.record(actor, "peer.update", id, { fields: Object.keys(body) });
    return this.get(id);
  }

  /** Takes the peer off its node; the database keeps it and its addresses. */
  async disable(id: string, actor: string): Promise<PeerDto> {
    const { peer, iface } = await this.context(id);
    if (Number(peer.enabled) === 0) return this.get(id);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const revision = await this.setEnabled(peer.id, iface.id, 0);
    try {
      await transport.removePeers(iface.name, [peer.public_key], revision);
    } catch (error) {
      await this.setEnabled(peer.id, iface.id, 1);
      throw asNodeError(error);
    }
    await this.deps.audit.record(actor, "peer.disable", id);
    return this.get(id);
  }

  /** Puts the peer back on its node with the addresses it kept. */
  async enable(id: string, actor: string): Promise<PeerDto> {
    const { peer, iface } = await this.context(id);
    if (Number(peer.enabled) === 1) return this.get(id);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const revision = await this.setEnabled(peer.id, iface.id, 1);
    try {
      await transport.upsertPeers(iface.name, [peerSpecOf(peer, this.deps.secrets)], revision);
    } catch (error) {
      await this.setEnabled(peer.id, iface.id, 0);
      throw asNodeError(error);
    }
    await this.deps.audit.record(actor, "peer.enable", id);
    return this.get(id);
  }

  /** Off the node first (a node failure deletes nothing), then out of the database; addresses freed. */
  async delete(id: string, actor: string): Promise<void> {
    const { peer, iface } = await this.context(id);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const allocations = await this.peers.allocationsOf(id);
    const revision = await this.interfaces.bumpRevision(iface.id);
    try {
      await transport.removePeers(iface.name, [peer.public_key], revision);
    } catch (error) {
      throw asNodeError(error);
    }
    await this.deps.db.transaction().execute(async (trx) => {
      await new PeerRepository(trx).delete(id);
      await new InterfaceRepository(trx).bumpRevision(iface.id);
    });
    await this.releaseInMemory(iface, allocations);
    await this.deps.audit.record(actor, "peer.delete", id, { name: peer.name, node: iface.node_id });
  }

  /** Loads a peer with its interface and configuration; NotFoundError when missing. */
  async context(id: string): Promise<PeerContext> {
    const peer = await this.peers.findById(id);
    if (!peer) throw new NotFoundError(`peer ${id}`);
    const iface = await this.interfaces.findById(peer.interface_id);
    if (!iface) throw new NotFoundError(`interface of peer ${id}`);
    await this.deps.ensureTransports?.([iface.node_id]);
    const configuration = await this.deps.configurations.findById(iface.configuration_id);
    if (!configuration) throw new NotFoundError(`configuration of peer ${id}`);
    return { peer, iface, configuration };
  }

  /** A peer can never carry an interface's own key (its node would be talking to itself). */
  private async refuseInterfaceKey(publicKey: string): Promise<void> {
    if ((await this.interfaces.listAll()).some((i) => i.public_key === publicKey)) {
      throw new ConflictError("the public key is an interface's own key, not a client's", "publicKey");
    }
  }

  private async requireConfiguration(name: string): Promise<ConfigurationRow> {
    const configuration = await this.deps.configurations.findByName(name);
    if (!configuration) throw new NotFoundError(`configuration ${name}`);
    return configuration;
  }

  /**
   * One transaction: the interface's next revision first (its row lock makes address allocation on one
   * interface one-at-a-time across processes), the peer as `pending`, its addresses from the in-memory
   * allocators, guarded by the table's unique key. A lost race (another process) reloads the pool inside
   * the lock and takes the next free address: at most MAX_ALLOCATION_ATTEMPTS tries. The audit entry
   * is written in the same transaction.
   */
  private async insertPending(
    row: PeerRow,
    iface: InterfaceRow,
    pools: InterfacePool[],
    requested: Map<string, IpAddress>,
    audit: { actor: string; name: string; node: string; interface: string },
  ): Promise<{ revision: number; addresses: string[] }> {
    await this.deps.pools.prepare(iface.id, pools);
    let lease: AddressLease | undefined;
    try {
      const result = await this.deps.db.transaction().execute(async (trx) => {
        const revision = await new InterfaceRepository(trx).bumpRevision(iface.id);
        const peers = new PeerRepository(trx);
        for (let attempt = 1; ; attempt++) {
          lease = await this.leaseInTransaction(iface, pools, requested, trx);
          const addresses = lease.addresses.map(({ address }) => formatCidr(hostRoute(address)));
          row.addresses = JSON.stringify(addresses);
          if (attempt === 1) await peers.insert(row);
          else await peers.update(row.id, { addresses: row.addresses });
          const rows = allocationRows(iface.id, row.id, lease, row.created_at);
          const inserted = await peers.insertAllocationsIfFree(rows);
          if (inserted.size === rows.length) {
            // Recorded with the attempt: a node failure later records "peer.create.rolled_back".
            const { actor, ...details } = audit;
            await new AuditService(trx).record(actor, "peer.create", row.id, { ...details, addresses });
            return { revision, addresses };
          }
          // Lost a race to another process: undo this try, read the pool again (we hold the lock).
          await peers.deleteAllocations(
            row.id,
            rows.filter((r) => inserted.has(`${r.pool}|${r.address}`)),
          );
          lease.abort();
          lease = undefined;
          const lostRequested = rows.some(
            (r) => !inserted.has(`${r.pool}|${r.address}`) && requested.has(r.pool),
          );
          if (lostRequested)
            throw new ConflictError("the requested address is already allocated", "addresses");
          if (attempt >= MAX_ALLOCATION_ATTEMPTS) {
            throw new ConflictError(
              `no address could be allocated after ${attempt} attempts; try again`,
              "addresses",
            );
          }
          for (const pool of pools) await this.deps.pools.reload(iface.id, pool, trx);
        }
      });
      lease?.commit();
      return result;
    } catch (error) {
      lease?.abort();
      if (isUniqueViolation(error) && (await this.peers.publicKeyTaken(iface.id, row.public_key))) {
        throw new ConflictError("a peer with this public key already exists on the interface", "publicKey");
      }
      throw error;
    }
  }

  /**
   * A lease inside the caller's transaction. An exhausted pool, or a requested address memory holds as
   * taken, is read again from the table once: another dashboard process may have freed it.
   */
  private async leaseInTransaction(
    iface: InterfaceRow,
    pools: InterfacePool[],
    requested: Map<string, IpAddress>,
    trx: Db,
  ): Promise<AddressLease> {
    try {
      return await this.deps.pools.lease(iface.id, pools, requested, trx);
    } catch (error) {
      const stale =
        error instanceof PoolExhaustedError || (error instanceof ConflictError && requested.size > 0);
      if (!stale) throw error;
      for (const pool of pools) await this.deps.pools.reload(iface.id, pool, trx);
      return this.deps.pools.lease(iface.id, pools, requested, trx);
    }
  }

  private async rollbackCreate(row: PeerRow, iface: InterfaceRow, transport: NodeTransport, actor: string) {
    const allocations = await this.peers.allocationsOf(row.id);
    const revision = await this.deps.db.transaction().execute(async (trx) => {
      await new PeerRepository(trx).delete(row.id);
      await new AuditService(trx).record(actor, "peer.create.rolled_back", row.id, { node: iface.node_id });
      return new InterfaceRepository(trx).bumpRevision(iface.id);
    });
    await this.releaseInMemory(iface, allocations);
    // The node may have half-applied before failing; asking it to forget the key is harmless. Not
    // awaited: the answer need not wait for a node that just failed (the node's queue keeps the order,
    // and the health poller pushes the full state if this does not get through).
    this.forgetOnNode(transport, iface, row.public_key, revision);
  }

  /** Asks the node to drop a key, in the background; a failure is only logged. */
  private forgetOnNode(transport: NodeTransport, iface: InterfaceRow, publicKey: string, revision?: number) {
    const send = async () =>
      transport.removePeers(
        iface.name,
        [publicKey],
        revision ?? (await this.interfaces.bumpRevision(iface.id)),
      );
    send().catch((error: Error) =>
      this.deps.logger?.debug(
        { node: iface.node_id, interface: iface.name, err: { message: error.message } },
        "removing a rolled-back peer from its node failed (the health poller repairs it)",
      ),
    );
  }

  private async setEnabled(peerId: string, interfaceId: string, enabled: 0 | 1): Promise<number> {
    return this.deps.db.transaction().execute(async (trx) => {
      await new PeerRepository(trx).update(peerId, { enabled });
      return new InterfaceRepository(trx).bumpRevision(interfaceId);
    });
  }

  /**
   * New addresses are taken before the old ones are let go, and the old ones stay taken in memory
   * until the node has the new ones, so a failed node call can put everything back.
   */
  private async changeAddresses(
    peer: PeerRow,
    iface: InterfaceRow,
    wanted: IpAddress[],
    changes: PeerUpdate,
  ) {
    const pools = poolsOf(iface);
    const requested = requestedAddresses(wanted, pools);
    const current = await this.peers.allocationsOf(peer.id);
    const changed = new Map(
      [...requested].filter(
        ([pool, address]) => !current.some((c) => c.pool === pool && c.address === formatAddress(address)),
      ),
    );
    if (changed.size === 0) {
      if (Object.keys(changes).length > 0) await this.peers.update(peer.id, changes);
      return;
    }
    const transport = Number(peer.enabled) === 1 ? this.deps.transports.get(iface.node_id, "node") : null;
    const changedPools = pools.filter((p) => changed.has(p.key));
    const released = current.filter((c) => changed.has(c.pool));
    await this.deps.pools.prepare(iface.id, changedPools);
    let lease: AddressLease | undefined;
    let outcome: { revision: number; addresses: string; newRows: NewAllocationRow[] };
    try {
      outcome = await this.deps.db.transaction().execute(async (trx) => {
        const revision = await new InterfaceRepository(trx).bumpRevision(iface.id);
        lease = await this.leaseInTransaction(iface, changedPools, changed, trx);
        const repo = new PeerRepository(trx);
        const newRows = allocationRows(iface.id, peer.id, lease, nowIso());
        const inserted = await repo.insertAllocationsIfFree(newRows);
        if (inserted.size !== newRows.length) {
          for (const pool of changedPools) this.deps.pools.markStale(iface.id, pool);
          throw new ConflictError("the requested address is already allocated", "addresses");
        }
        await repo.deleteAllocations(peer.id, released);
        const next = [...current.filter((c) => !changed.has(c.pool)), ...newRows].sort(
          (a, b) => pools.findIndex((p) => p.key === a.pool) - pools.findIndex((p) => p.key === b.pool),
        );
        const addresses = JSON.stringify(next.map((n) => formatCidr(hostRoute(parseAddress(n.address)))));
        await repo.update(peer.id, { ...changes, addresses });
        return { revision, addresses, newRows };
      });
    } catch (error) {
      lease?.abort();
      throw error;
    }
    lease?.commit();
    if (transport) {
      try {
        await transport.upsertPeers(
          iface.name,
          [peerSpecOf({ ...peer, addresses: outcome.addresses }, this.deps.secrets)],
          outcome.revision,
        );
      } catch (error) {
        await this.restoreAddresses(peer, iface, released, outcome.newRows);
        throw asNodeError(error);
      }
    }
    await this.releaseInMemory(iface, released);
  }

  private async restoreAddresses(
    peer: PeerRow,
    iface: InterfaceRow,
    previous: Array<{ pool: string; address: string }>,
    added: Array<{ pool: string; address: string }>,
  ): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const repo = new PeerRepository(trx);
      await repo.deleteAllocations(peer.id, added);
      await repo.insertAllocationsIfFree(
        previous.map((p) => ({ ...p, interface_id: iface.id, peer_id: peer.id, created_at: nowIso() })),
      );
      await repo.update(peer.id, { addresses: peer.addresses, name: peer.name });
      await new InterfaceRepository(trx).bumpRevision(iface.id);
    });
    await this.releaseInMemory(iface, added);
  }

  private async releaseInMemory(iface: InterfaceRow, allocations: Array<{ pool: string; address: string }>) {
    for (const pool of poolsOf(iface)) {
      const addresses = allocations.filter((a) => a.pool === pool.key).map((a) => a.address);
      if (addresses.length > 0) await this.deps.pools.release(iface.id, pool, addresses);
    }
  }
}

/** A new peer's keys, made before placement; the preshared key in clear only for the node call. */
interface NewPeerKeys {
  publicKey: string;
  privateKeyEnc: string | null;
  presharedKey: string | null;
  presharedKeyEnc: string | null;
}

/** The new peer's row (`pending`, no addresses yet) on the chosen interface. */
function newPeerRow(
  input: CheckedCreatePeer,
  keys: NewPeerKeys,
  iface: InterfaceRow,
  configuration: ConfigurationRow,
): PeerRow {
  const now = nowIso();
  return {
    id: randomUUID(),
    interface_id: iface.id,
    name: input.name,
    description: input.description ?? null,
    public_key: keys.publicKey,
    private_key_enc: keys.privateKeyEnc,
    preshared_key_enc: keys.presharedKeyEnc,
    addresses: "[]",
    client_allowed_ips: input.clientAllowedIps
      ? JSON.stringify(input.clientAllowedIps)
      : configuration.client_allowed_ips,
    dns: input.dns === undefined || input.dns === null ? null : JSON.stringify(input.dns),
    mtu: input.mtu ?? null,
    keepalive: input.keepalive ?? null,
    enabled: 1,
    expires_at: input.expiresAt ?? null,
    quota_bytes: null,
    state: "pending",
    created_at: now,
    updated_at: now,
  };
}

/** The view of a peer that was just created: no stats yet. */
function newPeerView(row: PeerRow, iface: InterfaceRow): PeerView {
  return {
    id: row.id,
    interfaceId: iface.id,
    interfaceName: iface.name,
    nodeId: iface.node_id,
    configurationId: iface.configuration_id,
    name: row.name,
    description: row.description,
    publicKey: row.public_key,
    hasPrivateKey: row.private_key_enc !== null,
    hasPresharedKey: row.preshared_key_enc !== null,
    addresses: row.addresses,
    clientAllowedIps: row.client_allowed_ips,
    dns: row.dns,
    mtu: row.mtu,
    keepalive: row.keepalive,
    enabled: row.enabled,
    expiresAt: row.expires_at,
    quotaBytes: row.quota_bytes,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    rxBytes: null,
    txBytes: null,
    latestHandshakeAt: null,
    endpoint: null,
    statsUpdatedAt: null,
  };
}

/** Requested addresses by pool; each must lie inside one of the interface's pools. */
export function requestedAddresses(addresses: IpAddress[], pools: InterfacePool[]): Map<string, IpAddress> {
  const byPool = new Map<string, IpAddress>();
  for (const address of addresses) {
    const pool = pools.find((p) => cidrContains(p.cidr, address));
    if (!pool) {
      throw new ValidationError(
        "addresses",
        `${formatAddress(address)} is outside the interface's pools (${pools.map((p) => p.key).join(", ")})`,
      );
    }
    byPool.set(pool.key, address);
  }
  return byPool;
}

function allocationRows(
  interfaceId: string,
  peerId: string,
  lease: AddressLease,
  createdAt: string,
): NewAllocationRow[] {
  return lease.addresses.map(({ pool, address }) => ({
    interface_id: interfaceId,
    pool: pool.key,
    address: formatAddress(address),
    peer_id: peerId,
    created_at: createdAt,
  }));
}

/** Anything a node transport throws that is not one of our errors becomes NODE_ERROR. */
function asNodeError(error: unknown): Error {
  if (error instanceof WgFleetError) return error;
  return new NodeCallError(error instanceof Error ? error.message : String(error));
}
