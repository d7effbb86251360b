// The switch-over of one moved peer, inside the move's transaction over both interfaces; the same for a
// single move (peer-move.service.ts) and a group move (peer-group-move.ts). The peer row goes to the
// target only if it is still the peer the move read; then the move becomes the source's grace copy or
// ends (its old addresses freed), a grace copy the target kept of this peer (a move back) ends too, and
// the audit trail gets the move.
import { fieldChanges } from "../audit/audit-changes.js";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import type { AddressPools, Allocation, InterfaceRow } from "../interfaces/index.js";
import type { PeerRow } from "../peers/peer.repository.js";
import { allocationsIn } from "./move-addresses.js";
import type { PeerMoveRow } from "./peer-move.repository.js";
import type { PeerMoveDeps } from "./peer-move.service.js";

export interface SwitchedPeer {
  actor: string;
  configuration: string;
  peer: PeerRow;
  move: PeerMoveRow;
  newAddresses: string[];
  source: InterfaceRow;
  target: InterfaceRow;
  /** Grace copies of this peer that the target still serves (from an earlier move away from it). */
  gracesOnTarget: PeerMoveRow[];
  /** Until when the source keeps its copy; null: it goes at once. */
  graceUntil: string | null;
}

/** Addresses freed in the transaction: released from the pools' memory once it has committed. */
export type ReleasedAllocations = Array<{ iface: InterfaceRow; rows: Allocation[] }>;

/** Tells the other replicas, inside the switch's transaction, what it freed: one notice per interface. */
export async function announceReleased(
  pools: Pick<AddressPools, "announce">,
  trx: Db,
  released: ReleasedAllocations,
): Promise<void> {
  const byInterface = new Map<string, Allocation[]>();
  for (const { iface, rows } of released)
    byInterface.set(iface.id, [...(byInterface.get(iface.id) ?? []), ...rows]);
  for (const [interfaceId, rows] of byInterface) await pools.announce(trx, interfaceId, { released: rows });
}

/** Moves the peer row to the target; false when the peer changed since the move read it. */
export async function switchPeerRow(
  trx: Db,
  peer: PeerRow,
  move: PeerMoveRow,
  source: InterfaceRow,
  target: InterfaceRow,
): Promise<boolean> {
  const result = await trx
    .updateTable("peers")
    .set({ interface_id: target.id, addresses: move.new_addresses, updated_at: nowIso() })
    .where("id", "=", peer.id)
    .where("interface_id", "=", source.id)
    .where("public_key", "=", peer.public_key)
    .where("addresses", "=", peer.addresses)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What follows a switched peer row: grace copy or release, the target's old grace copies, the audit. */
export async function finishSwitch(
  deps: Pick<PeerMoveDeps, "moves" | "allocations" | "audit">,
  trx: Db,
  switched: SwitchedPeer,
  released: ReleasedAllocations,
): Promise<void> {
  const { peer, move, source, target, graceUntil } = switched;
  if (graceUntil !== null) await deps.moves.startGrace(move.id, graceUntil, trx);
  else {
    await deps.moves.delete(move.id, trx);
    const old = allocationsIn(move.old_addresses, source);
    await deps.allocations.deleteOfPeer(peer.id, old, trx);
    released.push({ iface: source, rows: old });
  }
  for (const grace of switched.gracesOnTarget) {
    await deps.moves.delete(grace.id, trx);
    const old = allocationsIn(grace.old_addresses, target);
    await deps.allocations.deleteOfPeer(peer.id, old, trx);
    released.push({ iface: target, rows: old });
  }
  await deps.audit.recordEvent(
    switched.actor,
    {
      action: "peer.move",
      target: peer.id,
      changes: fieldChanges(
        { node: source.node_id, interface: source.name, addresses: JSON.parse(peer.addresses) },
        { node: target.node_id, interface: target.name, addresses: switched.newAddresses },
      ),
      details: { configuration: switched.configuration, graceUntil },
    },
    trx,
  );
}
