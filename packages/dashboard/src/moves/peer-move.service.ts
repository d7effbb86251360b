// Moving a peer to another node of its configuration without cutting its client off: a new address
// from the target's pool and the peer put on the target first (`pending`), then, in one transaction,
// the peer switched to the target while the source keeps the old copy for the grace period (`grace`,
// part of the source interface's desired state, so restarts and drift repair keep it); the grace loop
// (expireDue) takes it off the source and only then frees the old address. A failure before the switch
// undoes the target side and leaves the peer where it was. Moves of one peer, and its edits and
// deletion, run one at a time (the shared per-peer lock); never returns a key except in the config.
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  formatCidr,
  hostRoute,
  MOVE_GRACE_DEFAULT_HOURS,
  type MovedPeerDto,
  ValidationError,
} from "@wgfleet/core";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { Db } from "../db/index.js";
import {
  type AddressLease,
  type AddressPools,
  type Allocation,
  type AllocationRepository,
  type EnsureTransports,
  type InterfaceRepository,
  type InterfaceRevisions,
  type InterfaceRow,
  type NodeTransportSource,
  peerSpecOf,
  poolsOf,
} from "../interfaces/index.js";
import type { Logger } from "../logging/logger.js";
import type { KeyedMutex } from "../peers/keyed-mutex.js";
import type { PeerRepository, PeerRow } from "../peers/peer.repository.js";
import type { PeerContext, PeerService } from "../peers/peer.service.js";
import { allocationRows, asNodeError, leaseInTransaction } from "../peers/peer-allocation.js";
import type { PeerConfigService } from "../peers/peer-config.js";
import type { PeerAudit, PeerPlacement } from "../peers/ports.js";
import type { OwnerState, PendingOwners } from "../replicas/replica-presence.js";
import type { SecretBox } from "../secrets/index.js";
import { allocationsIn } from "./move-addresses.js";
import { type GroupMoveResult, PeerGroupMove } from "./peer-group-move.js";
import type { PeerMoveRepository, PeerMoveRow } from "./peer-move.repository.js";
import { announceReleased, finishSwitch, type ReleasedAllocations, switchPeerRow } from "./switch-over.js";

/** Lost address races a move retries (another process took the address first) before its 409. */
const MAX_ALLOCATION_ATTEMPTS = 3;
/** Grace copies ended per tick of the expiry loop. */
const EXPIRY_BATCH = 100;
const HOUR_MS = 3_600_000;

export interface PeerMoveDeps {
  db: Db;
  moves: PeerMoveRepository;
  peers: Pick<PeerRepository, "findById" | "publicKeyTaken">;
  peerService: Pick<PeerService, "context" | "get">;
  interfaces: Pick<InterfaceRepository, "listByConfiguration" | "findById" | "bumpRevision">;
  allocations: AllocationRepository;
  pools: AddressPools;
  revisions: InterfaceRevisions;
  transports: NodeTransportSource;
  secrets: SecretBox;
  placement: PeerPlacement;
  configs: Pick<PeerConfigService, "clientConfig">;
  audit: PeerAudit;
  /** Shared with PeerService: one change of a peer at a time. */
  peerLocks: KeyedMutex;
  /** Shared with PeerCreation: `auto` choices of one configuration one at a time. */
  placementLocks: KeyedMutex;
  /** Brings a node's interface to the database's desired state (after a rolled-back move). */
  pushFullState: (iface: InterfaceRow) => Promise<void>;
  ensureTransports?: EnsureTransports;
  clock?: Clock;
  logger?: Pick<Logger, "warn" | "info">;
  /** Whose `pending` moves recovery may undo (none of a live replica's); every one when absent. */
  owners?: PendingOwners;
}

interface Pending {
  move: PeerMoveRow;
  target: InterfaceRow;
  revision: number;
  newAddresses: string[];
  newAllocations: Allocation[];
}

export class PeerMoveService {
  private readonly clock: Clock;

  constructor(private readonly deps: PeerMoveDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /**
   * `POST /api/v1/peers/:id/move`; also what a bulk `move` calls. `node`: a node id or "auto" (the
   * normal selection among the configuration's other nodes). `graceHours` (default 24, 0: at once):
   * how long the source keeps the old copy.
   */
  /**
   * A bulk `move`: to a named node, the peers of each source interface as one group (one transaction
   * and one node call each way, see peer-group-move.ts); `auto` one peer after another through movePeer.
   */
  async movePeers(
    peerIds: readonly string[],
    node: string,
    graceHours: number = MOVE_GRACE_DEFAULT_HOURS,
    actor = "system",
  ): Promise<GroupMoveResult[]> {
    checkGrace(graceHours);
    if (node === "auto") return this.moveOneByOne(peerIds, node, graceHours, actor);
    const bySource = new Map<string, string[]>();
    const results: GroupMoveResult[] = [];
    for (const id of peerIds) {
      const peer = await this.deps.peers.findById(id);
      if (!peer) results.push({ id, ok: false, node: null, error: `peer ${id} not found` });
      else bySource.set(peer.interface_id, [...(bySource.get(peer.interface_id) ?? []), id]);
    }
    for (const [sourceId, ids] of bySource)
      results.push(
        ...(await this.deps.peerLocks.runAll(ids, () =>
          this.moveGroupLocked(sourceId, ids, node, graceHours, actor),
        )),
      );
    return results;
  }

  private async moveOneByOne(peerIds: readonly string[], node: string, graceHours: number, actor: string) {
    const results: GroupMoveResult[] = [];
    for (const id of peerIds) {
      try {
        const moved = await this.movePeer(id, node, graceHours, actor);
        results.push({ id, ok: true, node: moved.peer.node });
      } catch (error) {
        results.push({
          id,
          ok: false,
          node: null,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return results;
  }

  /** One source interface's peers, their locks held: read again, checked, moved as one group. */
  private async moveGroupLocked(
    sourceId: string,
    ids: string[],
    node: string,
    graceHours: number,
    actor: string,
  ): Promise<GroupMoveResult[]> {
    const results: GroupMoveResult[] = [];
    const contexts: PeerContext[] = [];
    for (const id of ids) {
      const fail = (error: string) => results.push({ id, ok: false, node: null, error });
      try {
        const context = await this.deps.peerService.context(id);
        const { peer, iface } = context;
        if (iface.id !== sourceId) fail(`peer ${peer.name} changed while it was being moved; try again`);
        else if (peer.state === "pending") fail(`peer ${peer.name} is still being created; try again`);
        else if (node === iface.node_id) fail(`peer ${peer.name} is already on node ${node}`);
        else contexts.push(context);
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    }
    const first = contexts[0];
    if (!first) return results;
    const target = (await this.deps.interfaces.listByConfiguration(first.configuration.id)).find(
      (i) => i.node_id === node && i.id !== sourceId,
    );
    if (!target) {
      const error = `configuration ${first.configuration.name} is not on node ${node}`;
      return [...results, ...contexts.map(({ peer }) => ({ id: peer.id, ok: false, node: null, error }))];
    }
    await this.deps.ensureTransports?.([target.node_id, first.iface.node_id]);
    const group = new PeerGroupMove(this.deps, () => this.clock.now());
    return [...results, ...(await group.move(contexts, target, graceHours, actor))];
  }

  async movePeer(
    peerId: string,
    node: string,
    graceHours: number = MOVE_GRACE_DEFAULT_HOURS,
    actor = "system",
  ): Promise<MovedPeerDto> {
    checkGrace(graceHours);
    return this.deps.peerLocks.run(peerId, () => this.moveLocked(peerId, node, graceHours, actor));
  }

  private async moveLocked(
    peerId: string,
    node: string,
    graceHours: number,
    actor: string,
  ): Promise<MovedPeerDto> {
    const context = await this.deps.peerService.context(peerId);
    const { peer, iface: source, configuration } = context;
    if (peer.state === "pending")
      throw new ConflictError(`peer ${peer.name} is still being created; try again`, "id");
    if (node === source.node_id)
      throw new ConflictError(`peer ${peer.name} is already on node ${node}`, "node");
    const others = (await this.deps.interfaces.listByConfiguration(configuration.id)).filter(
      (i) => i.id !== source.id,
    );
    if (node !== "auto" && !others.some((i) => i.node_id === node))
      throw new ConflictError(`configuration ${configuration.name} is not on node ${node}`, "node");
    if (others.length === 0)
      throw new ConflictError(`configuration ${configuration.name} is on no other node`, "node");
    await this.deps.ensureTransports?.(others.map((i) => i.node_id));
    // Choice and the pending row together, under the configuration's lock: the next `auto` choice
    // (a creation's or a move's) counts this peer on its target.
    const pending = await this.deps.placementLocks.run(configuration.id, async () => {
      const target = await this.deps.placement.choose(others, node);
      if (await this.deps.peers.publicKeyTaken(target.id, peer.public_key))
        throw new ConflictError(
          `another peer with this public key is already on node ${target.node_id}`,
          "node",
        );
      return this.insertPending(peer, source, target);
    });
    const onNode = Number(peer.enabled) === 1 && peer.state !== "failed";
    if (onNode) {
      try {
        const transport = this.deps.transports.get(pending.target.node_id, "node");
        const spec = peerSpecOf(
          {
            ...peer,
            addresses: JSON.stringify(pending.newAddresses),
            default_schedule: configuration.default_schedule,
          },
          this.deps.secrets,
        );
        await transport.upsertPeers(pending.target.name, [spec], pending.revision);
      } catch (error) {
        await this.rollback(pending, peer);
        throw asNodeError(error);
      }
    }
    // Without a copy on the source (disabled peer, or no grace) nothing is kept.
    const keep = onNode && graceHours > 0;
    const graceUntil = keep ? nowIso(this.clock.now() + graceHours * HOUR_MS) : null;
    let sourceRevision: number;
    try {
      sourceRevision = await this.switchOver(context, pending, graceUntil, actor);
    } catch (error) {
      await this.rollback(pending, peer);
      throw error;
    }
    if (!keep) await this.dropFromSource(source, peer, pending.move, sourceRevision, onNode);
    const dto = await this.deps.peerService.get(peerId);
    const config = peer.private_key_enc ? (await this.deps.configs.clientConfig(peerId)).text : null;
    return {
      peer: dto,
      config,
      move: {
        fromNode: source.node_id,
        fromInterface: source.name,
        oldAddresses: JSON.parse(peer.addresses) as string[],
        graceUntil,
      },
    };
  }

  /**
   * One transaction on the target: its next revision (its row lock orders address allocation across
   * processes), the new addresses leased and recorded for the peer, and the `pending` move, which puts
   * the peer into the target's desired state with them.
   */
  private async insertPending(peer: PeerRow, source: InterfaceRow, target: InterfaceRow): Promise<Pending> {
    const { allocations, pools: addressPools } = this.deps;
    const pools = poolsOf(target);
    await addressPools.prepare(target.id, pools);
    let lease: AddressLease | undefined;
    try {
      const { revision, result } = await this.deps.revisions.change(target.id, async (trx) => {
        for (let attempt = 1; ; attempt++) {
          lease = await leaseInTransaction(addressPools, target, pools, new Map(), trx);
          const rows = allocationRows(target.id, peer.id, lease, nowIso());
          const inserted = await allocations.insertIfFree(rows, trx);
          if (inserted.size === rows.length) {
            await addressPools.announce(trx, target.id, { taken: rows });
            const newAddresses = lease.addresses.map(({ address }) => formatCidr(hostRoute(address)));
            const move: PeerMoveRow = {
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
            await this.deps.moves.insert(move, trx);
            return {
              move,
              newAddresses,
              newAllocations: rows.map(({ pool, address }) => ({ pool, address })),
            };
          }
          // Lost a race to another process: undo this try and read the pool again (we hold the lock).
          const taken = rows.filter((r) => inserted.has(`${r.pool}|${r.address}`));
          await allocations.deleteOfPeer(peer.id, taken, trx);
          lease.abort();
          lease = undefined;
          if (attempt >= MAX_ALLOCATION_ATTEMPTS)
            throw new ConflictError(
              `no address could be allocated on node ${target.node_id}; try again`,
              "node",
            );
          for (const pool of pools) await addressPools.reload(target.id, pool, trx);
        }
      });
      lease?.commit();
      return { ...result, target, revision };
    } catch (error) {
      lease?.abort();
      throw error;
    }
  }

  /**
   * One transaction over both interfaces (revisions bumped in id order): the peer row switched to the
   * target with its new addresses — only if it is still the peer this move read — and the move turned
   * into the source's grace copy, or ended. A grace copy the target kept of this peer (a move back)
   * ends too: the peer itself is there now. Returns the source's new revision.
   */
  private async switchOver(
    { peer, iface: source, configuration }: PeerContext,
    pending: Pending,
    graceUntil: string | null,
    actor: string,
  ): Promise<number> {
    const { target, move } = pending;
    const graceOnTarget = (await this.deps.moves.gracesOfPeer(peer.id)).filter(
      (g) => g.from_interface_id === target.id,
    );
    const released: ReleasedAllocations = [];
    const revision = await this.deps.db.transaction().execute(async (trx) => {
      const revisions = new Map<string, number>();
      for (const id of [source.id, target.id].sort())
        revisions.set(id, await this.deps.interfaces.bumpRevision(id, trx));
      if (!(await switchPeerRow(trx, peer, move, source, target)))
        throw new ConflictError(`peer ${peer.name} changed while it was being moved; try again`, "id");
      const switched = {
        actor,
        configuration: configuration.name,
        peer,
        move,
        newAddresses: pending.newAddresses,
        source,
        target,
        gracesOnTarget: graceOnTarget,
        graceUntil,
      };
      await finishSwitch(this.deps, trx, switched, released);
      await announceReleased(this.deps.pools, trx, released);
      return revisions.get(source.id) ?? 0;
    });
    for (const { iface, rows } of released) await this.deps.pools.releaseAllocations(iface, rows);
    return revision;
  }

  /**
   * Undoes a move before its switch: the pending row and the new addresses go (one transaction on the
   * target), and the target node is brought back to its desired state in the background (it may be the
   * node that just failed; the health poller repairs it otherwise).
   */
  private async rollback(pending: Pending, peer: PeerRow): Promise<void> {
    const { target, move, newAllocations } = pending;
    await this.deps.revisions.change(target.id, async (trx) => {
      await this.deps.moves.delete(move.id, trx);
      await this.deps.allocations.deleteOfPeer(peer.id, newAllocations, trx);
      await this.deps.pools.announce(trx, target.id, { released: newAllocations });
    });
    await this.deps.pools.releaseAllocations(target, newAllocations);
    this.deps
      .pushFullState(target)
      .catch((error: Error) =>
        this.deps.logger?.warn(
          { node: target.node_id, interface: target.name, err: { message: error.message } },
          "putting a node back after a failed move failed (the health poller repairs it)",
        ),
      );
  }

  /** No grace: the source drops the peer now; a failure is left to drift repair (the row is gone). */
  private async dropFromSource(
    source: InterfaceRow,
    peer: PeerRow,
    move: PeerMoveRow,
    revision: number,
    onNode: boolean,
  ): Promise<void> {
    if (!onNode) return;
    try {
      await this.deps.transports.get(source.node_id).removePeers(source.name, [peer.public_key], revision);
    } catch (error) {
      this.deps.logger?.warn(
        { node: source.node_id, move: move.id, err: { message: (error as Error).message } },
        "the source node did not drop the moved peer (drift repair removes it)",
      );
    }
  }

  /** The expiry loop's tick: every grace copy whose time has come is taken off its source. */
  async expireDue(): Promise<number> {
    let ended = 0;
    for (const move of await this.deps.moves.gracesDue(nowIso(this.clock.now()), EXPIRY_BATCH)) {
      try {
        if (await this.endGrace(move)) ended++;
      } catch (error) {
        this.deps.logger?.warn(
          { move: move.id, err: { message: (error as Error).message } },
          "ending a moved peer's grace copy failed; the next tick tries again",
        );
      }
    }
    return ended;
  }

  /**
   * The peer's grace copies end now (it is deleted or disabled: no copy may outlive it). Failures are
   * logged: a disabled peer's copy is out of the desired state anyway, so drift repair finishes it.
   */
  async endGracesOf(peerId: string): Promise<void> {
    for (const move of await this.deps.moves.gracesOfPeer(peerId)) {
      await this.endGrace(move).catch(async (error: Error) => {
        this.deps.logger?.warn(
          { move: move.id, err: { message: error.message } },
          "ending a moved peer's grace copy failed",
        );
        // The source's desired state no longer carries the copy: a new revision makes the health
        // poller see the node differ and repair it.
        await this.deps.revisions.next(move.from_interface_id).catch(() => 0);
      });
    }
  }

  /**
   * Off the source node first (at a revision of its own), then, in one transaction, the grace row and
   * the old addresses: an address is never handed out while a node may still route it to the old copy.
   * False when another process ended it first.
   */
  private async endGrace(move: PeerMoveRow): Promise<boolean> {
    const source = await this.deps.interfaces.findById(move.from_interface_id);
    const peer = await this.deps.peers.findById(move.peer_id);
    if (!source || !peer) return false;
    await this.deps.ensureTransports?.([source.node_id]);
    const transport = this.deps.transports.get(source.node_id);
    // The peer moved back onto the source meanwhile: its own row is there, nothing to remove.
    if (peer.interface_id !== source.id) {
      const revision = await this.deps.revisions.next(source.id);
      await transport.removePeers(source.name, [peer.public_key], revision);
    }
    const old = allocationsIn(move.old_addresses, source);
    const { result: ended } = await this.deps.revisions.change(source.id, async (trx) => {
      if (!(await this.deps.moves.delete(move.id, trx))) return false;
      if (peer.interface_id !== source.id) {
        await this.deps.allocations.deleteOfPeer(peer.id, old, trx);
        await this.deps.pools.announce(trx, source.id, { released: old });
      }
      return true;
    });
    if (ended && peer.interface_id !== source.id) await this.deps.pools.releaseAllocations(source, old);
    return ended;
  }

  /**
   * At start, before any node is brought in line: moves a crash left before their switch are undone
   * (their new addresses freed); the full pushes that follow take the peer off the target again. Only
   * moves of replicas that stopped (or of unknown owners) are crash leftovers: a live replica's move
   * in flight is left to it.
   */
  async recoverPending(): Promise<number> {
    let undone = 0;
    const ownerOf = this.deps.owners ? await this.deps.owners.classifier() : () => "unknown" as OwnerState;
    for (const move of await this.deps.moves.listPending()) {
      // Another replica's move in flight is its own business; a stopped one's is undone here.
      if (ownerOf(move.owner_replica) === "live") continue;
      const target = await this.deps.interfaces.findById(move.to_interface_id);
      if (!target) continue;
      const rows = allocationsIn(move.new_addresses, target);
      await this.deps.revisions.change(target.id, async (trx) => {
        await this.deps.moves.delete(move.id, trx);
        await this.deps.allocations.deleteOfPeer(move.peer_id, rows, trx);
        await this.deps.pools.announce(trx, target.id, { released: rows });
      });
      await this.deps.pools.releaseAllocations(target, rows);
      undone++;
    }
    if (undone > 0) this.deps.logger?.info({ undone }, "moves a crash interrupted were undone");
    return undone;
  }
}

function checkGrace(graceHours: number): void {
  if (!Number.isFinite(graceHours) || graceHours < 0)
    throw new ValidationError("graceHours", "must be a number of hours, 0 or more");
}
