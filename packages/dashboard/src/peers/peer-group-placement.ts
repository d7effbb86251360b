// Several `auto` creations of one configuration placed together: the requests that queued up while the
// configuration's placement lock was held (peers/lock-batches.ts). One read of the nodes' counts, the
// selection played forward peer by peer (each placed peer counts on its node), then ONE transaction for
// all of them: every chosen interface's revision bumped (in id order), one name check, the peers
// inserted `pending` in one statement, their addresses in one, one pool notice per interface, each
// request's audit event in that request's own scope. What this saves is round trips to the database:
// a burst of creations spends its time on them, not on SQL work.
//
// All or nothing: any error (a name taken, a full pool, a lost address race, no node fits) rolls the
// whole group back and the caller places each request alone, which gives each its own answer. Peers of
// one group on one interface share the revision of that interface's one bump: the node keeps the
// highest revision it was sent, so the order in which their calls arrive does not matter.
import {
  type CheckedCreatePeer,
  ConflictError,
  formatCidr,
  hostRoute,
  type NodeCandidate,
  selectNode,
} from "@wgfleet/core";
import { fieldChanges } from "../audit/audit-changes.js";
import type { AuditEvent } from "../audit/audit-scope.js";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import type { Db } from "../db/index.js";
import {
  type AddressLease,
  type AddressPools,
  type AllocationRepository,
  type InterfaceRevisions,
  type NewAllocationRow,
  type NodeTransportSource,
  poolsOf,
  type StableInterfaceRow,
} from "../interfaces/index.js";
import { type QuotaSetting, quotaPeriodOf } from "../lifecycle/quota.js";
import type { QuotaRepository } from "../lifecycle/quota.repository.js";
import type { NodeTransport } from "../transport/node-transport.js";
import type { PeerRepository, PeerRow } from "./peer.repository.js";
import { allocationRows, leaseInTransaction } from "./peer-allocation.js";
import { type NewPeerKeys, newPeerRow } from "./peer-rows.js";
import type { PeerNames, PeerPlacement } from "./ports.js";

/** One creation waiting for placement: everything known before a node is chosen. */
export interface PendingCreation {
  configuration: ConfigurationRow;
  /** The configuration's interfaces (not empty), their transports registered. */
  candidates: StableInterfaceRow[];
  input: CheckedCreatePeer;
  keys: NewPeerKeys;
  /**
   * Records the creation's audit event inside `trx`, in the creating request's own context (its audit
   * scope): placement may run in another request's context when creations are grouped.
   */
  recordAudit: (event: AuditEvent, trx: Db) => Promise<void>;
}

/** A creation placed: its `pending` row committed with its addresses, ready for the node call. */
export interface Placed {
  row: PeerRow;
  iface: StableInterfaceRow;
  transport: NodeTransport;
  presharedKey: string | null;
  revision: number;
  addresses: string[];
  quota: QuotaSetting | null;
}

export interface PeerGroupPlacementDeps {
  peers: Pick<PeerRepository, "insertMany">;
  names: PeerNames;
  allocations: Pick<AllocationRepository, "insertIfFree">;
  revisions: Pick<InterfaceRevisions, "changeMany">;
  pools: AddressPools;
  placement: Pick<PeerPlacement, "selectionInput">;
  transports: NodeTransportSource;
  quotas: Pick<QuotaRepository, "save">;
}

/** The audit event of a creation: the peer's id, where it went and its addresses. */
export function creationAuditEvent(row: PeerRow, iface: StableInterfaceRow, addresses: string[]): AuditEvent {
  const details = { name: row.name, node: iface.node_id, interface: iface.name, addresses };
  return { action: "peer.create", target: row.id, changes: fieldChanges(null, details) };
}

/** The creation's quota with its first period, or null. */
export function quotaOfCreation({ input, configuration }: PendingCreation): QuotaSetting | null {
  return input.quota
    ? { quota: input.quota, period: quotaPeriodOf(input.quota, Date.now(), configuration.time_zone) }
    : null;
}

/** Whether a creation can be placed in a group: `auto`, no address or public key of its own. */
export function groupable({ input }: PendingCreation): boolean {
  return input.node === "auto" && !input.publicKey && (input.addresses ?? []).length === 0;
}

export class PeerGroupPlacement {
  constructor(private readonly deps: PeerGroupPlacementDeps) {}

  /** Every creation placed, in order, or an error for the whole group (nothing written). */
  async place(group: PendingCreation[]): Promise<Placed[]> {
    const [first] = group;
    if (!first) return [];
    const chosen = await this.chooseInterfaces(first.candidates, group.length);
    const transports = new Map<string, NodeTransport>();
    for (const iface of chosen) {
      if (transports.has(iface.id)) continue;
      transports.set(iface.id, this.deps.transports.get(iface.node_id, "node"));
      await this.deps.pools.prepare(iface.id, poolsOf(iface));
    }
    const rows = group.map((creation, i) =>
      newPeerRow(creation.input, creation.keys, chosen[i] as StableInterfaceRow, creation.configuration),
    );
    refuseRepeatedNames(rows);
    const quotas = group.map(quotaOfCreation);
    const { revisions, result: addresses } = await this.insertPending(group, chosen, rows, quotas);
    return group.map((creation, i) => {
      const iface = chosen[i] as StableInterfaceRow;
      return {
        row: rows[i] as PeerRow,
        iface,
        transport: transports.get(iface.id) as NodeTransport,
        presharedKey: creation.keys.presharedKey,
        revision: revisions.get(iface.id) as number,
        addresses: addresses[i] as string[],
        quota: quotas[i] ?? null,
      };
    });
  }

  /** `auto` played forward: one read of the nodes, each choice counted before the next. */
  private async chooseInterfaces(candidates: StableInterfaceRow[], count: number) {
    const { remote, local } = await this.deps.placement.selectionInput(candidates);
    const chosen: StableInterfaceRow[] = [];
    for (let i = 0; i < count; i++) {
      const node: NodeCandidate = selectNode(remote, "auto", local);
      const iface = candidates.find((c) => c.node_id === node.id);
      if (!iface)
        throw new Error(`selectNode returned node ${node.id}, which does not host the configuration`);
      node.activePeers += 1;
      chosen.push(iface);
    }
    return chosen;
  }

  /** The one transaction; returns each peer's addresses. Leases are kept only if it commits. */
  private async insertPending(
    group: PendingCreation[],
    chosen: StableInterfaceRow[],
    rows: PeerRow[],
    quotas: Array<QuotaSetting | null>,
  ) {
    const leases: AddressLease[] = [];
    try {
      const changed = await this.deps.revisions.changeMany(
        chosen.map((iface) => iface.id),
        async (trx) => {
          await this.refuseTakenNames(chosen, rows, trx);
          const { addresses, taken } = await this.leaseAddresses(chosen, rows, leases, trx);
          await this.deps.peers.insertMany(rows, trx);
          for (const [i, quota] of quotas.entries()) {
            const id = (rows[i] as PeerRow).id;
            if (quota) await this.deps.quotas.save(id, quota.quota, quota.period, "totals-now", trx);
          }
          await this.insertAllocations(chosen, taken, trx);
          for (const [i, creation] of group.entries()) {
            const event = creationAuditEvent(
              rows[i] as PeerRow,
              chosen[i] as StableInterfaceRow,
              addresses[i] as string[],
            );
            await creation.recordAudit(event, trx);
          }
          return addresses;
        },
      );
      for (const lease of leases) lease.commit();
      return changed;
    } catch (error) {
      for (const lease of leases) lease.abort();
      throw error;
    }
  }

  private async refuseTakenNames(chosen: StableInterfaceRow[], rows: PeerRow[], trx: Db): Promise<void> {
    const configurationId = (chosen[0] as StableInterfaceRow).configuration_id;
    const names = rows.map((row) => row.name);
    const taken = await this.deps.names.namesTaken(configurationId, names, trx);
    if (taken.size > 0) throw new ConflictError("a peer name of the group is taken", "name");
  }

  /** Each peer's addresses from its interface's allocator (written into its row); `leases` collects. */
  private async leaseAddresses(
    chosen: StableInterfaceRow[],
    rows: PeerRow[],
    leases: AddressLease[],
    trx: Db,
  ): Promise<{ addresses: string[][]; taken: Map<string, NewAllocationRow[]> }> {
    const addresses: string[][] = [];
    const taken = new Map<string, NewAllocationRow[]>();
    for (const [i, row] of rows.entries()) {
      const iface = chosen[i] as StableInterfaceRow;
      const lease = await leaseInTransaction(this.deps.pools, iface, poolsOf(iface), new Map(), trx);
      leases.push(lease);
      const texts = lease.addresses.map(({ address }) => formatCidr(hostRoute(address)));
      row.addresses = JSON.stringify(texts);
      addresses.push(texts);
      const ofInterface = taken.get(iface.id) ?? [];
      ofInterface.push(...allocationRows(iface.id, row.id, lease, row.created_at));
      taken.set(iface.id, ofInterface);
    }
    return { addresses, taken };
  }

  /** Every allocation row in one statement, announced in one; a lost race fails the group. */
  private async insertAllocations(
    chosen: StableInterfaceRow[],
    taken: Map<string, NewAllocationRow[]>,
    trx: Db,
  ): Promise<void> {
    const { pools } = this.deps;
    const rows = [...taken.values()].flat();
    if ((await this.deps.allocations.insertIfFree(rows, trx)).size !== rows.length) {
      // Another process took some meanwhile: the single placements that follow read the pools again.
      for (const iface of chosen) for (const pool of poolsOf(iface)) pools.markStale(iface.id, pool);
      throw new ConflictError("addresses were taken meanwhile by another process", "addresses");
    }
    await pools.announceAll(trx, new Map([...taken].map(([id, rows]) => [id, { taken: rows }])));
  }
}

/** Two creations of one group with the same name (ignoring case): the group is not placed together. */
function refuseRepeatedNames(rows: PeerRow[]): void {
  const names = new Set(rows.map((row) => row.name.toLowerCase()));
  if (names.size !== rows.length) throw new ConflictError("two peers of the group share a name", "name");
}
