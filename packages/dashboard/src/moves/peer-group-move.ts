// Many peers of one source interface moved to one named target node as ONE unit of work: one
// transaction on the target (addresses and `pending` moves), ONE node call putting them all on the
// target, one transaction switching them over, and ONE node call dropping them from the source (when
// nothing is kept for a grace period). The single move's saga (peer-move.service.ts), batched: a target
// that fails leaves every peer of the group where it was and gives its new addresses back; a peer that
// changed meanwhile fails alone and is undone alone. `auto` stays peer by peer (each choice must count
// the peers placed before it), so this runs only for a named node.
import { randomUUID } from "node:crypto";
import { ConflictError, formatCidr, hostRoute } from "@wgfleet/core";
import { nowIso } from "../clock.js";
import {
  type AddressLease,
  type Allocation,
  type InterfaceRow,
  type NewAllocationRow,
  peerSpecOf,
  poolsOf,
} from "../interfaces/index.js";
import type { PeerRow } from "../peers/peer.repository.js";
import type { PeerContext } from "../peers/peer.service.js";
import { allocationRows, asNodeError, leaseInTransaction } from "../peers/peer-allocation.js";
import type { PeerMoveRow } from "./peer-move.repository.js";
import type { PeerMoveDeps } from "./peer-move.service.js";
import { announceReleased, finishSwitch, type ReleasedAllocations, switchPeerRow } from "./switch-over.js";

const HOUR_MS = 3_600_000;

/** One peer's outcome: the node it is on now, or why it stayed. */
export interface GroupMoveResult {
  id: string;
  ok: boolean;
  node: string | null;
  error?: string;
}

/** A peer of the group with its move row and new addresses, once the target's transaction committed. */
interface Leg {
  peer: PeerRow;
  move: PeerMoveRow;
  newAddresses: string[];
  newAllocations: Allocation[];
  onNode: boolean;
}

export class PeerGroupMove {
  constructor(
    private readonly deps: PeerMoveDeps,
    private readonly now: () => number,
  ) {}

  /**
   * `contexts`: peers of ONE source interface, read under their locks (the caller holds them), none
   * pending, the target a node of their configuration other than the source's.
   */
  async move(
    contexts: PeerContext[],
    target: InterfaceRow,
    graceHours: number,
    actor: string,
  ): Promise<GroupMoveResult[]> {
    const first = contexts[0];
    if (!first) return [];
    const { iface: source, configuration } = first;
    const results: GroupMoveResult[] = [];
    const refuse = (peer: PeerRow, error: string) =>
      results.push({ id: peer.id, ok: false, node: source.node_id, error });
    const { legs, revision } = await this.deps.placementLocks.run(configuration.id, async () => {
      const movable: PeerRow[] = [];
      for (const { peer } of contexts)
        if (await this.deps.peers.publicKeyTaken(target.id, peer.public_key))
          refuse(peer, `another peer with this public key is already on node ${target.node_id}`);
        else movable.push(peer);
      return movable.length > 0 ? this.insertPending(movable, source, target) : { legs: [], revision: 0 };
    });
    if (legs.length === 0) return results;
    const onTarget = legs.filter((leg) => leg.onNode);
    try {
      if (onTarget.length > 0) {
        const specs = onTarget.map(({ peer, newAddresses }) =>
          peerSpecOf(
            {
              ...peer,
              addresses: JSON.stringify(newAddresses),
              default_schedule: configuration.default_schedule,
            },
            this.deps.secrets,
          ),
        );
        await this.deps.transports.get(target.node_id, "node").upsertPeers(target.name, specs, revision);
      }
    } catch (error) {
      await this.rollback(target, legs);
      const message = asNodeError(error).message;
      for (const { peer } of legs) refuse(peer, message);
      return results;
    }
    const graceUntil = graceHours > 0 ? nowIso(this.now() + graceHours * HOUR_MS) : null;
    let switched: { done: Leg[]; changed: Leg[]; sourceRevision: number };
    try {
      switched = await this.switchOver(first, target, legs, graceUntil, actor);
    } catch (error) {
      await this.rollback(target, legs);
      const message = error instanceof Error ? error.message : String(error);
      for (const { peer } of legs) refuse(peer, message);
      return results;
    }
    if (switched.changed.length > 0) {
      await this.rollback(target, switched.changed);
      for (const { peer } of switched.changed)
        refuse(peer, `peer ${peer.name} changed while it was being moved; try again`);
    }
    // Nothing kept on the source (no grace, or the peer was not on it): the source drops them now.
    const drop = switched.done.filter((leg) => leg.onNode && graceUntil === null);
    if (drop.length > 0) await this.dropFromSource(source, drop, switched.sourceRevision);
    for (const { peer } of switched.done) results.push({ id: peer.id, ok: true, node: target.node_id });
    return results;
  }

  /**
   * One transaction on the target: its next revision, every peer's new addresses leased and recorded,
   * and every `pending` move. An address another process took meanwhile refuses the whole group (try
   * again): the pools are marked to be read again.
   */
  private async insertPending(
    peers: PeerRow[],
    source: InterfaceRow,
    target: InterfaceRow,
  ): Promise<{ legs: Leg[]; revision: number }> {
    const { allocations, pools: addressPools } = this.deps;
    const pools = poolsOf(target);
    await addressPools.prepare(target.id, pools);
    const leases: AddressLease[] = [];
    try {
      const { result, revision } = await this.deps.revisions.change(target.id, async (trx) => {
        const legs: Leg[] = [];
        const rows: NewAllocationRow[] = [];
        for (const peer of peers) {
          const lease = await leaseInTransaction(addressPools, target, pools, new Map(), trx);
          leases.push(lease);
          const own = allocationRows(target.id, peer.id, lease, nowIso());
          rows.push(...own);
          const newAddresses = lease.addresses.map(({ address }) => formatCidr(hostRoute(address)));
          legs.push({
            peer,
            move: newMoveRow(peer, source, target, newAddresses),
            newAddresses,
            newAllocations: own.map(({ pool, address }) => ({ pool, address })),
            onNode: Number(peer.enabled) === 1 && peer.state !== "failed",
          });
        }
        const inserted = await allocations.insertIfFree(rows, trx);
        if (inserted.size !== rows.length) {
          for (const pool of pools) addressPools.markStale(target.id, pool);
          throw new ConflictError(
            `addresses on node ${target.node_id} were taken meanwhile by another process; try again`,
            "node",
          );
        }
        for (const leg of legs) await this.deps.moves.insert(leg.move, trx);
        await addressPools.announce(trx, target.id, { taken: rows });
        return legs;
      });
      for (const lease of leases) lease.commit();
      return { legs: result, revision };
    } catch (error) {
      for (const lease of leases) lease.abort();
      throw error;
    }
  }

  /**
   * One transaction over both interfaces: each peer switched to the target (only if it is still the
   * peer this move read; one that changed is left out and undone by the caller), its move turned into
   * the source's grace copy or ended, a grace copy the target kept of it ended, one audit entry each.
   */
  private async switchOver(
    { iface: source, configuration }: PeerContext,
    target: InterfaceRow,
    legs: Leg[],
    graceUntil: string | null,
    actor: string,
  ): Promise<{ done: Leg[]; changed: Leg[]; sourceRevision: number }> {
    const gracesOnTarget = new Map<string, PeerMoveRow[]>();
    for (const { peer } of legs)
      gracesOnTarget.set(
        peer.id,
        (await this.deps.moves.gracesOfPeer(peer.id)).filter((g) => g.from_interface_id === target.id),
      );
    const released: ReleasedAllocations = [];
    const done: Leg[] = [];
    const changed: Leg[] = [];
    const sourceRevision = await this.deps.db.transaction().execute(async (trx) => {
      const revisions = new Map<string, number>();
      for (const id of [source.id, target.id].sort())
        revisions.set(id, await this.deps.interfaces.bumpRevision(id, trx));
      for (const leg of legs) {
        const { peer, move } = leg;
        if (!(await switchPeerRow(trx, peer, move, source, target))) {
          changed.push(leg);
          continue;
        }
        done.push(leg);
        const switched = {
          actor,
          configuration: configuration.name,
          peer,
          move,
          newAddresses: leg.newAddresses,
          source,
          target,
          gracesOnTarget: gracesOnTarget.get(peer.id) ?? [],
          // A peer that was not on the source node leaves no copy there.
          graceUntil: leg.onNode ? graceUntil : null,
        };
        await finishSwitch(this.deps, trx, switched, released);
      }
      await announceReleased(this.deps.pools, trx, released);
      return revisions.get(source.id) ?? 0;
    });
    for (const { iface, rows } of released) await this.deps.pools.releaseAllocations(iface, rows);
    return { done, changed, sourceRevision };
  }

  /**
   * Undoes moves before their switch: their pending rows and new addresses go (one transaction on the
   * target), and the target node is brought back to its desired state in the background.
   */
  private async rollback(target: InterfaceRow, legs: Leg[]): Promise<void> {
    const released = legs.flatMap((leg) => leg.newAllocations);
    await this.deps.revisions.change(target.id, async (trx) => {
      for (const { peer, move, newAllocations } of legs) {
        await this.deps.moves.delete(move.id, trx);
        await this.deps.allocations.deleteOfPeer(peer.id, newAllocations, trx);
      }
      await this.deps.pools.announce(trx, target.id, { released });
    });
    await this.deps.pools.releaseAllocations(target, released);
    this.deps
      .pushFullState(target)
      .catch((error: Error) =>
        this.deps.logger?.warn(
          { node: target.node_id, interface: target.name, err: { message: error.message } },
          "putting a node back after a failed move failed (the health poller repairs it)",
        ),
      );
  }

  /** One node call; a failure is left to drift repair (the rows are gone from the source). */
  private async dropFromSource(source: InterfaceRow, legs: Leg[], revision: number): Promise<void> {
    try {
      await this.deps.transports.get(source.node_id).removePeers(
        source.name,
        legs.map((leg) => leg.peer.public_key),
        revision,
      );
    } catch (error) {
      this.deps.logger?.warn(
        { node: source.node_id, peers: legs.length, err: { message: (error as Error).message } },
        "the source node did not drop the moved peers (drift repair removes them)",
      );
    }
  }
}

function newMoveRow(
  peer: PeerRow,
  source: InterfaceRow,
  target: InterfaceRow,
  newAddresses: string[],
): PeerMoveRow {
  return {
    id: randomUUID(),
    peer_id: peer.id,
    from_interface_id: source.id,
    to_interface_id: target.id,
    old_addresses: peer.addresses,
    new_addresses: JSON.stringify(newAddresses),
    state: "pending",
    grace_until: null,
    created_at: nowIso(),
    // the repository writes this replica's id
    owner_replica: null,
  };
}
