// Which of a configuration's interfaces (hence which node) gets a new peer: the database's view of
// each node (enabled, status, peers assigned — pending included — and pool room) handed to core's
// selectNode. The local node is the fallback core's rules allow; an explicit choice never falls back.
import {
  explainAutoSelection,
  LOCAL_NODE_ID,
  type NodeCandidate,
  type SelectionExplanation,
  selectNode,
} from "@wgfleet/core";
import type { AddressPools } from "../interfaces/address-pools.js";
import type { StableInterfaceRow } from "../interfaces/cached-interfaces.js";
import { poolsOf } from "../interfaces/interface-pools.js";
import { LOCAL_NODE_MAX_PEERS, type NodeRepository, type NodeRow } from "./node.repository.js";
import type { NodeTransports } from "./node-transports.js";

export class InterfaceSelector {
  constructor(
    private readonly deps: { nodes: NodeRepository; transports: NodeTransports; pools: AddressPools },
  ) {}

  /** NotFoundError for an unknown explicit node; NodeUnavailableError (field "node") when none fits. */
  async choose<T extends StableInterfaceRow>(interfaces: T[], strategy: string): Promise<T> {
    const candidates = await this.candidates(interfaces);
    const local = candidates.find((c) => c.id === LOCAL_NODE_ID) ?? null;
    const remote = candidates.filter((c) => c.id !== LOCAL_NODE_ID);
    const chosen = selectNode(remote, strategy, local);
    const iface = interfaces.find((i) => i.node_id === chosen.id);
    if (!iface)
      throw new Error(`selectNode returned node ${chosen.id}, which does not host the configuration`);
    return iface;
  }

  /**
   * What `auto` picks among these interfaces' nodes now and why not the others: the same candidates
   * and the same core rule as choose(interfaces, "auto"), so the answer is the choice it would make.
   */
  async explain(interfaces: StableInterfaceRow[]): Promise<SelectionExplanation> {
    const candidates = await this.candidates(interfaces);
    const local = candidates.find((c) => c.id === LOCAL_NODE_ID) ?? null;
    const remote = candidates.filter((c) => c.id !== LOCAL_NODE_ID);
    return explainAutoSelection(remote, local);
  }

  /**
   * These interfaces' nodes as `auto` sees them now, remote and local apart: what a drain's plan
   * (drain/) plays the selection forward with, peer by peer, without writing anything.
   */
  async selectionInput(
    interfaces: StableInterfaceRow[],
  ): Promise<{ remote: NodeCandidate[]; local: NodeCandidate | null }> {
    const candidates = await this.candidates(interfaces);
    return {
      remote: candidates.filter((c) => c.id !== LOCAL_NODE_ID),
      local: candidates.find((c) => c.id === LOCAL_NODE_ID) ?? null,
    };
  }

  /**
   * Every interface's node as core's selector sees it, from at most three queries whatever the number
   * of candidates: the node rows, their peer counts (grouped) and the pools' allocation counts (grouped).
   */
  private async candidates(interfaces: StableInterfaceRow[]): Promise<NodeCandidate[]> {
    const nodeIds = [...new Set(interfaces.map((iface) => iface.node_id))];
    const nodes = await this.deps.nodes.findByIds(nodeIds);
    // The local node is the last resort: a full pool there is the allocation's clear 409
    // POOL_EXHAUSTED, not a "no node available" 503.
    const remote = interfaces.filter((iface) => iface.node_id !== LOCAL_NODE_ID);
    const counted = nodeIds.filter((id) => {
      const node = nodes.get(id);
      return node !== undefined && !hasNoCap(node);
    });
    const [peerCounts, exhausted] = await Promise.all([
      this.deps.nodes.countPeersOfNodes(counted),
      this.deps.pools.exhaustedInterfaces(remote.map((iface) => ({ id: iface.id, pools: poolsOf(iface) }))),
    ]);
    return interfaces.map((iface) =>
      this.candidate(iface, nodes.get(iface.node_id), peerCounts, exhausted.has(iface.id)),
    );
  }

  private candidate(
    iface: StableInterfaceRow,
    node: NodeRow | undefined,
    peerCounts: Map<string, number>,
    poolExhausted: boolean,
  ): NodeCandidate {
    const activePeers = node && !hasNoCap(node) ? (peerCounts.get(iface.node_id) ?? 0) : 0;
    const reachable = this.deps.transports.tryGet(iface.node_id) !== null;
    // The local node is in-process: it is online exactly when its transport exists.
    const status = !reachable
      ? "unavailable"
      : iface.node_id === LOCAL_NODE_ID
        ? "online"
        : (node?.status ?? "unknown");
    return {
      id: iface.node_id,
      name: node?.name ?? iface.node_id,
      enabled: node ? Number(node.enabled) === 1 : false,
      draining: node ? Number(node.draining) === 1 : false,
      status,
      activePeers,
      maxPeers: node?.max_peers ?? 0,
      weight: node?.weight ?? 0,
      poolExhausted,
    };
  }
}

/**
 * The local node without a cap set by an admin: only its pools limit it, and core's rules use its
 * peer count for nothing but the cap, so the count (a scan of the node's peers) is skipped.
 */
function hasNoCap(node: NodeRow): boolean {
  return node.id === LOCAL_NODE_ID && node.max_peers >= LOCAL_NODE_MAX_PEERS;
}
