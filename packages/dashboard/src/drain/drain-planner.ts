// A drain's plan: where the normal `auto` selection puts each peer of the node, played forward peer by
// peer (each placed peer counts on its target, and takes one address of its pool) without writing
// anything, and which peers fit nowhere and why. The dry run answers it; the job moves by it.
import { chooseAuto, type DrainPlanDto, type NodeCandidate } from "@wgfleet/core";
import type { ConfigurationRepository } from "../configurations/configuration.repository.js";
import type { AddressPools, InterfaceRepository, InterfaceRow } from "../interfaces/index.js";
import { poolsOf } from "../interfaces/index.js";
import type { InterfaceSelector } from "../nodes/node-selector.js";
import type { DrainPeer, DrainRepository } from "./drain.repository.js";

export interface DrainPlannerDeps {
  drains: Pick<DrainRepository, "peersOfNode">;
  interfaces: Pick<InterfaceRepository, "listByNode" | "listByConfiguration">;
  configurations: Pick<ConfigurationRepository, "findById">;
  selector: Pick<InterfaceSelector, "selectionInput">;
  pools: Pick<AddressPools, "stats">;
  ensureTransports?: (nodeIds: Iterable<string>) => Promise<void>;
}

export class DrainPlanner {
  constructor(private readonly deps: DrainPlannerDeps) {}

  async plan(nodeId: string): Promise<DrainPlanDto> {
    const plan: DrainPlanDto = { node: nodeId, moves: [], unplaced: [] };
    const peers = await this.deps.drains.peersOfNode(nodeId);
    // Peers each node takes in this plan: carried across configurations (a node's count is one).
    const placed = new Map<string, number>();
    for (const iface of await this.deps.interfaces.listByNode(nodeId)) {
      const mine = peers.filter((peer) => peer.interface_id === iface.id);
      if (mine.length > 0) await this.planInterface(iface, mine, placed, plan);
    }
    return plan;
  }

  private async planInterface(
    iface: InterfaceRow,
    peers: DrainPeer[],
    placed: Map<string, number>,
    plan: DrainPlanDto,
  ): Promise<void> {
    const configuration = (await this.deps.configurations.findById(iface.configuration_id))?.name ?? "";
    const others = (await this.deps.interfaces.listByConfiguration(iface.configuration_id)).filter(
      (other) => other.id !== iface.id,
    );
    const unplaced = (peer: DrainPeer, reason: string) =>
      plan.unplaced.push({ peerId: peer.id, peerName: peer.name, configuration, reason });
    if (others.length === 0) {
      for (const peer of peers) unplaced(peer, `configuration ${configuration} is on no other node`);
      return;
    }
    await this.deps.ensureTransports?.(others.map((other) => other.node_id));
    const { remote, local } = await this.deps.selector.selectionInput(others);
    const room = await this.roomOf(others);
    const all = local ? [...remote, local] : remote;
    for (const node of all) node.activePeers += placed.get(node.id) ?? 0;
    for (const peer of peers) {
      if (peer.state === "pending") {
        unplaced(peer, "still being created");
        continue;
      }
      const { chosen, refusal } = chooseAuto(remote, local);
      if (!chosen) {
        unplaced(peer, refusal ?? "no node available");
        continue;
      }
      plan.moves.push({ peerId: peer.id, peerName: peer.name, configuration, toNode: chosen.id });
      this.take(chosen, others, room, placed);
    }
  }

  /** One peer more on the node, one address less in its interface's pools. */
  private take(
    node: NodeCandidate,
    interfaces: InterfaceRow[],
    room: Map<string, bigint>,
    placed: Map<string, number>,
  ): void {
    node.activePeers += 1;
    placed.set(node.id, (placed.get(node.id) ?? 0) + 1);
    const iface = interfaces.find((i) => i.node_id === node.id);
    if (!iface) return;
    const left = (room.get(iface.id) ?? 0n) - 1n;
    room.set(iface.id, left);
    if (left <= 0n) node.poolExhausted = true;
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
