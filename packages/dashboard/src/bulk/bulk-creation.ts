// Many new peers of one configuration at once. Per interface (so per node): ONE transaction (revision,
// the peers `pending`, their addresses, their quotas) and ONE node call with all of them. A node that
// fails loses only its part: its peers deleted in one transaction and their addresses given back, the
// node asked to forget them; the other nodes' peers stay. A crash in between is settled like a single
// creation's (`pending` peers, nodes/node-sync.ts).
import {
  type BulkNodeFailure,
  type CheckedCreatePeer,
  ConflictError,
  formatCidr,
  generateKeyPairs,
  generatePresharedKeys,
  hostRoute,
  type IpAddress,
  type PeerSpec,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import type { DomainEventPublisher } from "../events/index.js";
import {
  type AddressLease,
  type AddressPools,
  type AllocationRepository,
  type InterfaceRevisions,
  type InterfaceRow,
  type NewAllocationRow,
  type NodeTransportSource,
  poolsOf,
} from "../interfaces/index.js";
import { peerAccessOf } from "../lifecycle/peer-access.js";
import { newQuotaColumns, type QuotaSetting, quotaPeriodOf } from "../lifecycle/quota.js";
import type { QuotaRepository } from "../lifecycle/quota.repository.js";
import type { Logger } from "../logging/logger.js";
import type { KeyedMutex } from "../peers/keyed-mutex.js";
import { type PeerDto, toPeerDto } from "../peers/peer.mapper.js";
import type { PeerRepository, PeerRow } from "../peers/peer.repository.js";
import {
  allocationRows,
  asNodeError,
  leaseInTransaction,
  requestedAddresses,
} from "../peers/peer-allocation.js";
import { peerEventData, publishPoolUsage } from "../peers/peer-events.js";
import { newPeerRow, newPeerView } from "../peers/peer-rows.js";
import type { SecretBox } from "../secrets/index.js";
import type { BulkPeerRepository } from "./bulk.repository.js";
import type { BulkGroup, BulkPlacement } from "./bulk-placement.js";

export interface BulkCreationDeps {
  peers: PeerRepository;
  bulk: BulkPeerRepository;
  allocations: AllocationRepository;
  revisions: InterfaceRevisions;
  pools: AddressPools;
  transports: NodeTransportSource;
  secrets: SecretBox;
  quotas: Pick<QuotaRepository, "save">;
  placement: BulkPlacement;
  /** `auto` choices per configuration, shared with single creations and moves. */
  placementLocks: KeyedMutex;
  events?: DomainEventPublisher;
  logger?: Logger;
}

export interface BulkItem {
  input: CheckedCreatePeer;
}

export interface BulkCreationResult {
  created: PeerDto[];
  failures: BulkNodeFailure[];
}

/** A peer inserted `pending`: its row, its preshared key in clear for the node call, its quota. */
interface Prepared {
  row: PeerRow;
  presharedKey: string | null;
  quota: QuotaSetting | null;
  allocations: NewAllocationRow[];
}

interface Inserted {
  iface: InterfaceRow;
  revision: number;
  peers: Prepared[];
}

export class BulkPeerCreation {
  constructor(private readonly deps: BulkCreationDeps) {}

  /** `candidates`: the configuration's interfaces (not empty), their transports registered. */
  async create(
    configuration: ConfigurationRow,
    candidates: InterfaceRow[],
    items: BulkItem[],
  ): Promise<BulkCreationResult> {
    const failures: BulkNodeFailure[] = [];
    const fail = (node: string, peers: number, error: unknown) =>
      failures.push({ node, peers, message: error instanceof Error ? error.message : String(error) });
    const created: PeerDto[] = [];
    const apply = async (group: Inserted) => {
      try {
        created.push(...(await this.applyGroup(configuration, group)));
      } catch (error) {
        fail(group.iface.node_id, group.peers.length, error);
      }
    };
    // Placement and the `pending` inserts under the configuration's lock (each group one transaction).
    // Each group's node call starts as soon as its transaction committed, not awaited under the lock:
    // the node applies its peers while the dashboard prepares the next group.
    const applying = await this.deps.placementLocks.run(configuration.id, async () => {
      const plan = await this.deps.placement.plan(candidates, items);
      for (const { node, items: left, message } of plan.unplaced) fail(node, left.length, message);
      const started: Array<Promise<void>> = [];
      for (const group of plan.groups) {
        try {
          started.push(apply(await this.insertGroup(configuration, group)));
        } catch (error) {
          fail(group.iface.node_id, group.items.length, error);
        }
      }
      return started;
    });
    await Promise.all(applying);
    created.sort((a, b) => a.name.localeCompare(b.name));
    return { created, failures };
  }

  /** One transaction: revision, every peer `pending` with its addresses and quota. */
  private async insertGroup(configuration: ConfigurationRow, group: BulkGroup<BulkItem>): Promise<Inserted> {
    const { iface } = group;
    const pools = poolsOf(iface);
    const prepared = this.prepareAll(
      group.items.map(({ input }) => input),
      iface,
      configuration,
    );
    const requested = group.items.map(({ input }) => requestedAddresses(input.addresses ?? [], pools));
    await this.refuseTakenKeys(iface, prepared);
    await this.deps.pools.prepare(iface.id, pools);
    const leases: AddressLease[] = [];
    try {
      const { revision } = await this.deps.revisions.change(iface.id, async (trx) => {
        const names = prepared.map((p) => p.row.name);
        const taken = await this.deps.bulk.namesTaken(configuration.id, names, trx);
        if (taken.size > 0)
          throw new ConflictError(`peer names already taken: ${[...taken].slice(0, 5).join(", ")}`, "name");
        for (const [index, peer] of prepared.entries()) {
          const lease = await leaseInTransaction(
            this.deps.pools,
            iface,
            pools,
            requested[index] ?? new Map(),
            trx,
          );
          leases.push(lease);
          peer.row.addresses = JSON.stringify(addressesOf(lease));
          peer.allocations = allocationRows(iface.id, peer.row.id, lease, peer.row.created_at);
        }
        await this.deps.peers.insertMany(
          prepared.map((p) => p.row),
          trx,
        );
        for (const { row, quota } of prepared)
          if (quota) await this.deps.quotas.save(row.id, quota.quota, quota.period, "totals-now", trx);
        const rows = prepared.flatMap((p) => p.allocations);
        const inserted = await this.insertAllocations(rows, trx);
        if (inserted !== rows.length) {
          for (const pool of pools) this.deps.pools.markStale(iface.id, pool);
          throw new ConflictError(
            "addresses were taken meanwhile by another process; try again",
            "addresses",
          );
        }
        await this.deps.pools.announce(trx, iface.id, { taken: rows });
      });
      for (const lease of leases) lease.commit();
      return { iface, revision, peers: prepared };
    } catch (error) {
      for (const lease of leases) lease.abort();
      throw error;
    }
  }

  private async insertAllocations(
    rows: NewAllocationRow[],
    trx: Parameters<AllocationRepository["insertIfFree"]>[1],
  ) {
    let count = 0;
    for (let start = 0; start < rows.length; start += 500)
      count += (await this.deps.allocations.insertIfFree(rows.slice(start, start + 500), trx)).size;
    return count;
  }

  private async refuseTakenKeys(iface: InterfaceRow, prepared: Prepared[]): Promise<void> {
    const own = prepared.filter((p) => p.row.private_key_enc === null).map((p) => p.row.public_key);
    if (own.length === 0) return;
    const taken = await this.deps.bulk.publicKeysTaken(iface.id, own);
    if (taken.size > 0)
      throw new ConflictError("a peer with this public key already exists on the interface", "publicKey");
  }

  /** ONE node call with every peer of the group; a failure rolls the whole group back. */
  private async applyGroup(configuration: ConfigurationRow, group: Inserted): Promise<PeerDto[]> {
    const { iface, revision, peers } = group;
    const transport = this.deps.transports.get(iface.node_id, "node");
    const specs = peers.map((peer) => specOf(peer, configuration));
    try {
      await transport.upsertPeers(iface.name, specs, revision);
    } catch (error) {
      await this.rollback(group);
      throw asNodeError(error);
    }
    const activatedAt = nowIso();
    await this.deps.bulk.activate(
      peers.map((p) => p.row.id),
      activatedAt,
    );
    await this.publish(configuration, iface, peers);
    return peers.map(({ row, quota }) =>
      toPeerDto(
        newPeerView({ ...row, state: "active", updated_at: activatedAt }, iface, newQuotaColumns(quota)),
        configuration.name,
      ),
    );
  }

  /** The group's peers deleted (addresses by cascade) in one transaction, given back, forgotten by the node. */
  private async rollback({ iface, peers }: Inserted): Promise<void> {
    const allocations = peers.flatMap((p) => p.allocations.map(({ pool, address }) => ({ pool, address })));
    const { revision } = await this.deps.revisions.change(iface.id, async (trx) => {
      await this.deps.bulk.delete(
        peers.map((p) => p.row.id),
        trx,
      );
      await this.deps.pools.announce(trx, iface.id, { released: allocations });
    });
    await this.deps.pools.releaseAllocations(iface, allocations);
    // The node may have applied part before failing; asking it to forget is harmless. In the
    // background: the node just failed (its queue keeps the order; the health poller repairs).
    const transport = this.deps.transports.get(iface.node_id, "node");
    transport
      .removePeers(
        iface.name,
        peers.map((p) => p.row.public_key),
        revision,
      )
      .catch((error: Error) =>
        this.deps.logger?.debug(
          { node: iface.node_id, interface: iface.name, err: { message: error.message } },
          "removing rolled-back bulk peers from their node failed (the health poller repairs it)",
        ),
      );
  }

  private async publish(
    configuration: ConfigurationRow,
    iface: InterfaceRow,
    peers: Prepared[],
  ): Promise<void> {
    const events = this.deps.events;
    if (!events) return;
    await events.publishAll(
      peers.map(({ row }) => ({
        type: "peer.created" as const,
        data: peerEventData(row, iface, configuration.name),
      })),
    );
    await publishPoolUsage(events, this.deps.pools, iface, configuration.name);
  }

  /**
   * The peers' rows and keys (generated unless a peer brought its own public key). Keys, preshared
   * keys and the encryptions' IVs come from one draw of random bytes each for the whole group.
   */
  private prepareAll(
    inputs: CheckedCreatePeer[],
    iface: InterfaceRow,
    configuration: ConfigurationRow,
  ): Prepared[] {
    const now = Date.now();
    const pairs = generateKeyPairs(inputs.filter((input) => !input.publicKey).length).values();
    const psks = generatePresharedKeys(inputs.filter((input) => input.presharedKey === true).length).values();
    const keys = inputs.map((input) => {
      const pair = input.publicKey
        ? { publicKey: input.publicKey, privateKey: null }
        : (pairs.next().value as { publicKey: string; privateKey: string });
      const presharedKey =
        input.presharedKey === true
          ? (psks.next().value as string)
          : input.presharedKey === false
            ? null
            : input.presharedKey;
      return { ...pair, presharedKey: presharedKey ?? null };
    });
    const encrypted = this.deps.secrets.encryptMany(
      keys.flatMap(({ privateKey, presharedKey }) => [privateKey, presharedKey]),
    );
    return inputs.map((input, i) => {
      const { publicKey, presharedKey } = keys[i] as (typeof keys)[number];
      const row = newPeerRow(
        input,
        {
          publicKey,
          privateKeyEnc: encrypted[2 * i] ?? null,
          presharedKey,
          presharedKeyEnc: encrypted[2 * i + 1] ?? null,
        },
        iface,
        configuration,
      );
      const quota = input.quota
        ? { quota: input.quota, period: quotaPeriodOf(input.quota, now, configuration.time_zone) }
        : null;
      return { row, presharedKey, quota, allocations: [] };
    });
  }
}

function addressesOf(lease: AddressLease): string[] {
  return lease.addresses.map(({ address }: { address: IpAddress }) => formatCidr(hostRoute(address)));
}

/** The node's spec of a new peer, with its access so the node enforces an expiry from the start. */
function specOf({ row, presharedKey }: Prepared, configuration: ConfigurationRow): PeerSpec {
  const access = peerAccessOf({ ...row, default_schedule: configuration.default_schedule });
  return {
    publicKey: row.public_key,
    allowedIps: JSON.parse(row.addresses) as string[],
    ...(presharedKey ? { presharedKey } : {}),
    ...(access ? { access } : {}),
  };
}
