// Where each peer of a bulk creation goes: explicit nodes as asked, `auto` by the normal selection
// played forward peer by peer (each placed peer counts on its node and takes one address of its pools),
// as a drain plans (drain/drain-planner.ts). Reads only: the caller holds the configuration's placement
// lock and inserts the peers before letting it go, so the next `auto` choice counts them.
import {
  type CheckedCreatePeer,
  chooseAuto,
  type NodeCandidate,
  selectNode,
  WgFleetError,
} from "@wgfleet/core";
import { type AddressPools, type InterfaceRow, poolsOf } from "../interfaces/index.js";
import type { InterfaceSelector } from "../nodes/node-selector.js";

/** The peers one interface takes: one transaction and one node call. */
export interface BulkGroup<T> {
  iface: InterfaceRow;
  items: T[];
}

export interface BulkPlan<T> {
  groups: BulkGroup<T>[];
  /** Peers no node could take, per requested node ("auto" for the selection), with the reason. */
  unplaced: Array<{ node: string; items: T[]; message: string }>;
}

export interface BulkPlacementDeps {
  selector: Pick<InterfaceSelector, "selectionInput">;
  pools: Pick<AddressPools, "stats">;
}

export class BulkPlacement {
  constructor(private readonly deps: BulkPlacementDeps) {}

  async plan<T extends { input: CheckedCreatePeer }>(
    candidates: InterfaceRow[],
    items: T[],
  ): Promise<BulkPlan<T>> {
    const { remote, local } = await this.deps.selector.selectionInput(candidates);
    const room = await this.roomOf(candidates);
    const groups = new Map<string, BulkGroup<T>>();
    const unplaced = new Map<string, { node: string; items: T[]; message: string }>();
    const refuse = (node: string, item: T, message: string) => {
      const entry = unplaced.get(node) ?? { node, items: [], message };
      entry.items.push(item);
      unplaced.set(node, entry);
    };
    for (const item of items) {
      const chosen = this.choose(item.input.node, remote, local);
      if ("message" in chosen) {
        refuse(item.input.node, item, chosen.message);
        continue;
      }
      const iface = candidates.find((c) => c.node_id === chosen.node.id);
      if (!iface) {
        refuse(item.input.node, item, `the configuration is not on node ${chosen.node.id}`);
        continue;
      }
      const group = groups.get(iface.id) ?? { iface, items: [] };
      group.items.push(item);
      groups.set(iface.id, group);
      take(chosen.node, iface, room);
    }
    return { groups: [...groups.values()], unplaced: [...unplaced.values()] };
  }

  private choose(
    node: string,
    remote: NodeCandidate[],
    local: NodeCandidate | null,
  ): { node: NodeCandidate } | { message: string } {
    if (node === "auto") {
      const { chosen, refusal } = chooseAuto(remote, local);
      return chosen ? { node: chosen } : { message: refusal ?? "no node available" };
    }
    try {
      return { node: selectNode(remote, node, local) };
    } catch (error) {
      if (error instanceof WgFleetError) return { message: error.message };
      throw error;
    }
  }

  /** Free addresses per interface: the fewest of its pools (a peer takes one of each). */
  private async roomOf(interfaces: InterfaceRow[]): Promise<Map<string, bigint>> {
    const room = new Map<string, bigint>();
    for (const iface of interfaces) {
      let least: bigint | null = null;
      for (const pool of poolsOf(iface)) {
        const { available } = await this.deps.pools.stats(iface.id, pool);
        if (least === null || available < least) least = available;
      }
      room.set(iface.id, least ?? 0n);
    }
    return room;
  }
}

/** One peer more on the node, one address less in its interface's pools. */
function take(node: NodeCandidate, iface: InterfaceRow, room: Map<string, bigint>): void {
  node.activePeers += 1;
  const left = (room.get(iface.id) ?? 0n) - 1n;
  room.set(iface.id, left);
  if (left <= 0n) node.poolExhausted = true;
}
