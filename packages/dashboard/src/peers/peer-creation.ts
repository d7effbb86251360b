// The creation saga: select node → one transaction (revision bumped, peer inserted `pending`,
// addresses allocated, audit written) → tell the node → `active`. A node failure deletes the peer,
// frees its addresses and answers with the node's error; a crash in between is settled at the next
// start (nodes/node-sync.ts). Never returns a key.

import type { CheckedCreatePeer } from "@wgfleet/core";
import {
  ConflictError,
  formatCidr,
  generateKeyPair,
  generatePresharedKey,
  hostRoute,
  type IpAddress,
} from "@wgfleet/core";
import { currentAuditScope } from "../audit/audit-scope.js";
import { nowIso } from "../clock.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import { isUniqueViolation } from "../db/index.js";
import type { DomainEventPublisher } from "../events/index.js";
import {
  type AddressLease,
  type AddressPools,
  type AllocationRepository,
  type InterfacePool,
  type InterfaceRevisions,
  type NodeTransportSource,
  poolsOf,
  type StableInterfaceRow,
} from "../interfaces/index.js";
import { peerAccessOf } from "../lifecycle/peer-access.js";
import { newQuotaColumns, type QuotaSetting } from "../lifecycle/quota.js";
import type { QuotaRepository } from "../lifecycle/quota.repository.js";
import type { Logger } from "../logging/logger.js";
import type { SecretBox } from "../secrets/index.js";
import type { NodeTransport } from "../transport/node-transport.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { type BatchOutcome, LockBatches } from "./lock-batches.js";
import { type PeerDto, toPeerDto } from "./peer.mapper.js";
import type { PeerRepository, PeerRow } from "./peer.repository.js";
import { allocationRows, asNodeError, leaseInTransaction, requestedAddresses } from "./peer-allocation.js";
import { peerEventData, publishPoolUsage } from "./peer-events.js";
import {
  creationAuditEvent,
  groupable,
  PeerGroupPlacement,
  type PendingCreation,
  type Placed,
  quotaOfCreation,
} from "./peer-group-placement.js";
import { refuseTakenName } from "./peer-names.js";
import { type NewPeerKeys, newPeerRow, newPeerView } from "./peer-rows.js";
import type { PeerAudit, PeerNames, PeerPlacement } from "./ports.js";

/** How often a creation retries after losing an address race, before it answers 409. */
export const MAX_ALLOCATION_ATTEMPTS = 3;

export interface PeerCreationDeps {
  peers: PeerRepository;
  allocations: AllocationRepository;
  revisions: InterfaceRevisions;
  pools: AddressPools;
  placement: PeerPlacement;
  names: PeerNames;
  transports: NodeTransportSource;
  secrets: SecretBox;
  audit: PeerAudit;
  quotas: Pick<QuotaRepository, "save">;
  logger?: Logger;
  /** `peer.created` and `pool.almost_full` go out here once the peer is active. */
  events?: DomainEventPublisher;
  /** `auto` choices per configuration, shared with moves (moves/) so each counts the other's. */
  placementLocks?: KeyedMutex;
}

export class PeerCreation {
  /** `auto` creations per configuration: one at a time, or as a group when several wait (see placeBatch()). */
  private readonly autoPlacements: LockBatches<PendingCreation, Placed>;
  private readonly groups: PeerGroupPlacement;

  constructor(private readonly deps: PeerCreationDeps) {
    this.autoPlacements = new LockBatches(deps.placementLocks ?? new KeyedMutex(), (_key, batch) =>
      this.placeBatch(batch),
    );
    this.groups = new PeerGroupPlacement(deps);
  }

  /** `candidates`: the configuration's interfaces (not empty), their transports registered. */
  async create(
    configuration: ConfigurationRow,
    candidates: StableInterfaceRow[],
    input: CheckedCreatePeer,
    actor: string,
  ): Promise<PeerDto> {
    // Keys (and their encryption) need no placement: made before the lock, concurrent creations
    // overlap them.
    const auditScope = currentAuditScope();
    const pending: PendingCreation = {
      configuration,
      candidates,
      input,
      keys: this.newPeerKeys(input),
      // This request's scope, taken here: the placement may run in another request's context (a
      // group), the audit event belongs to this request's.
      recordAudit: (event, trx) => this.deps.audit.recordInScope(auditScope, actor, event, trx),
    };
    // `auto` choices in one configuration are made under its placement lock (selection through the
    // pending insert), so that each counts the peers placed before it; the node call runs outside it.
    const placed =
      input.node === "auto"
        ? await this.autoPlacements.run(configuration.id, pending)
        : await this.place(pending);
    const { row, iface, transport, presharedKey, revision, addresses, quota } = placed;
    // The access goes with the creation: the node enforces the expiry even if the dashboard stops now.
    const access = peerAccessOf({ ...row, default_schedule: configuration.default_schedule });
    const spec = {
      publicKey: row.public_key,
      allowedIps: addresses,
      ...(presharedKey ? { presharedKey } : {}),
      ...(access ? { access } : {}),
    };
    try {
      await transport.upsertPeers(iface.name, [spec], revision);
    } catch (error) {
      await this.rollback(row, iface, transport, actor);
      throw asNodeError(error);
    }
    const activatedAt = nowIso();
    if (!(await this.deps.peers.activate(row.id, activatedAt))) {
      // Another dashboard process started meanwhile and settled this `pending` peer away.
      this.forgetOnNode(transport, iface, row.public_key);
      throw new ConflictError(
        `the creation of ${row.name} was rolled back while node ${iface.node_id} was being called; try again`,
        "node",
      );
    }
    const events = this.deps.events;
    if (events) {
      await events.publish({
        type: "peer.created",
        data: peerEventData(row, iface, configuration.name, { actor }),
      });
      await publishPoolUsage(events, this.deps.pools, iface, configuration.name);
    }
    // Everything the answer shows is known here: no need to read the peer back.
    return toPeerDto(
      newPeerView({ ...row, state: "active", updated_at: activatedAt }, iface, newQuotaColumns(quota)),
      configuration.name,
    );
  }

  /**
   * The `auto` creations that waited for the configuration's placement lock, holding it: several placed
   * as one group (one transaction) when they can be, else (or when the group fails) one by one, each
   * with its own answer.
   */
  private async placeBatch(batch: PendingCreation[]): Promise<BatchOutcome<Placed>> {
    if (batch.length > 1 && batch.every(groupable)) {
      try {
        return (await this.groups.place(batch)).map((value) => ({ value }));
      } catch (error) {
        this.deps.logger?.debug(
          { peers: batch.length, err: { message: (error as Error).message } },
          "a group of creations is placed one by one",
        );
      }
    }
    const outcome: BatchOutcome<Placed> = [];
    for (const pending of batch) {
      try {
        outcome.push({ value: await this.place(pending) });
      } catch (error) {
        outcome.push({ error });
      }
    }
    return outcome;
  }

  /** Selection, then the peer inserted `pending` with its addresses (one transaction). */
  private async place(pending: PendingCreation): Promise<Placed> {
    const { input, keys, configuration, candidates } = pending;
    const iface = await this.deps.placement.choose(candidates, input.node);
    const transport = this.deps.transports.get(iface.node_id, "node");
    const pools = poolsOf(iface);
    const requested = requestedAddresses(input.addresses ?? [], pools);
    if (input.publicKey && (await this.deps.peers.publicKeyTaken(iface.id, input.publicKey))) {
      throw new ConflictError("a peer with this public key already exists on the interface", "publicKey");
    }
    const row = newPeerRow(input, keys, iface, configuration);
    const quota = quotaOfCreation(pending);
    const { revision, addresses } = await this.insertPending(row, quota, iface, pools, requested, pending);
    return { row, iface, transport, presharedKey: keys.presharedKey, revision, addresses, quota };
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

  /**
   * One transaction: the interface's next revision first (its row lock makes address allocation on one
   * interface one-at-a-time across processes), the peer as `pending`, its addresses from the in-memory
   * allocators, guarded by the table's unique key, and its quota. A lost race (another process) reloads the pool inside
   * the lock and takes the next free address: at most MAX_ALLOCATION_ATTEMPTS tries. The audit entry
   * is written in the same transaction.
   */
  private async insertPending(
    row: PeerRow,
    quota: QuotaSetting | null,
    iface: StableInterfaceRow,
    pools: InterfacePool[],
    requested: Map<string, IpAddress>,
    pending: PendingCreation,
  ): Promise<{ revision: number; addresses: string[] }> {
    const { peers, allocations, pools: addressPools } = this.deps;
    await addressPools.prepare(iface.id, pools);
    let lease: AddressLease | undefined;
    try {
      const { revision, result: addresses } = await this.deps.revisions.change(iface.id, async (trx) => {
        for (let attempt = 1; ; attempt++) {
          lease = await leaseInTransaction(addressPools, iface, pools, requested, trx);
          const addresses = lease.addresses.map(({ address }) => formatCidr(hostRoute(address)));
          row.addresses = JSON.stringify(addresses);
          if (attempt === 1) {
            // Checked under the interface's lock, in the transaction that inserts the peer.
            await refuseTakenName(peers, iface.configuration_id, row.name, undefined, trx);
            await peers.insert(row, trx);
            if (quota) await this.deps.quotas.save(row.id, quota.quota, quota.period, "totals-now", trx);
          } else await peers.update(row.id, { addresses: row.addresses }, trx);
          const rows = allocationRows(iface.id, row.id, lease, row.created_at);
          const inserted = await allocations.insertIfFree(rows, trx);
          if (inserted.size === rows.length) {
            await addressPools.announce(trx, iface.id, { taken: rows });
            // Recorded with the attempt (over HTTP, kept only when the request succeeds); outside a
            // request, a node failure later records "peer.create.rolled_back".
            await pending.recordAudit(creationAuditEvent(row, iface, addresses), trx);
            return addresses;
          }
          // Lost a race to another process: undo this try, read the pool again (we hold the lock).
          const taken = rows.filter((r) => inserted.has(`${r.pool}|${r.address}`));
          await allocations.deleteOfPeer(row.id, taken, trx);
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
          for (const pool of pools) await addressPools.reload(iface.id, pool, trx);
        }
      });
      lease?.commit();
      return { revision, addresses };
    } catch (error) {
      lease?.abort();
      if (isUniqueViolation(error) && (await peers.publicKeyTaken(iface.id, row.public_key))) {
        throw new ConflictError("a peer with this public key already exists on the interface", "publicKey");
      }
      throw error;
    }
  }

  private async rollback(row: PeerRow, iface: StableInterfaceRow, transport: NodeTransport, actor: string) {
    const allocations = await this.deps.allocations.ofPeer(row.id);
    const { revision } = await this.deps.revisions.change(iface.id, async (trx) => {
      await this.deps.peers.delete(row.id, trx);
      await this.deps.pools.announce(trx, iface.id, { released: allocations });
      await this.deps.audit.record(actor, "peer.create.rolled_back", row.id, { node: iface.node_id }, trx);
    });
    await this.deps.pools.releaseAllocations(iface, allocations);
    // The node may have half-applied before failing; asking it to forget the key is harmless. Not
    // awaited: the answer need not wait for a node that just failed (the node's queue keeps the order,
    // and the health poller pushes the full state if this does not get through).
    this.forgetOnNode(transport, iface, row.public_key, revision);
  }

  /** Asks the node to drop a key, in the background; a failure is only logged. */
  private forgetOnNode(
    transport: NodeTransport,
    iface: StableInterfaceRow,
    publicKey: string,
    revision?: number,
  ) {
    const send = async () =>
      transport.removePeers(iface.name, [publicKey], revision ?? (await this.deps.revisions.next(iface.id)));
    send().catch((error: Error) =>
      this.deps.logger?.debug(
        { node: iface.node_id, interface: iface.name, err: { message: error.message } },
        "removing a rolled-back peer from its node failed (the health poller repairs it)",
      ),
    );
  }
}
