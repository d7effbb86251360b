// SQL for the nodes table and the per-node peer counts selection needs (a node's interfaces, peers and
// addresses go with its row by foreign-key cascades). No rules here: the services decide what a status
// means; this file only runs queries.
import { cleanAgentText, LOCAL_NODE_ID } from "@wgfleet/core";
import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import { nowIso } from "../clock.js";
import { type Db, PreparedQuery } from "../db/index.js";
import type { NodeTable } from "../db/schema.js";

export type NodeRow = Selectable<NodeTable>;
export type NodeStatus = NodeRow["status"];
export type NewNodeRow = Insertable<NodeTable>;
export type NodeUpdate = Updateable<NodeTable>;

/** What one successful health call found. */
export interface HealthRecord {
  status: NodeStatus;
  reason: string | null;
  /** The agent's answer as JSON text. */
  health: string;
  seenAt: string;
}

/** Soft cap of a remote node whose admin gave none. */
export const DEFAULT_MAX_PEERS = 1000;

/** The local node has no soft cap of its own: its pools are its limit. */
export const LOCAL_NODE_MAX_PEERS = 1_000_000;

export class NodeRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<NodeRow | undefined> {
    return this.db.selectFrom("nodes").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** The rows of these nodes (unknown ids are simply absent), by id. */
  async findByIds(ids: readonly string[]): Promise<Map<string, NodeRow>> {
    if (ids.length === 0) return new Map();
    const rows = await nodesByIds.rows(this.db, ids);
    return new Map(rows.map((row) => [row.id, row]));
  }

  async list(): Promise<NodeRow[]> {
    // The local node first, then the others by name.
    const rows = await this.db.selectFrom("nodes").selectAll().orderBy("name").orderBy("id").execute();
    return [...rows.filter((r) => r.id === LOCAL_NODE_ID), ...rows.filter((r) => r.id !== LOCAL_NODE_ID)];
  }

  /** Every node with an agent (all but the local node), by name. */
  async listRemote(): Promise<NodeRow[]> {
    return this.db
      .selectFrom("nodes")
      .selectAll()
      .where("agent_url", "is not", null)
      .orderBy("name")
      .orderBy("id")
      .execute();
  }

  /** With `alongside`: run in one transaction with the insert (a join token marked used); a throw undoes both. */
  async insert(row: NewNodeRow, alongside?: (trx: Db) => Promise<void>): Promise<void> {
    if (!alongside) {
      await this.db.insertInto("nodes").values(row).execute();
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto("nodes").values(row).execute();
      await alongside(trx);
    });
  }

  /** The node and, by the foreign keys' cascades (migration 003), its interfaces and their peers. */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("nodes").where("id", "=", id).execute();
  }

  async update(id: string, changes: NodeUpdate): Promise<void> {
    await this.db
      .updateTable("nodes")
      .set({ ...changes, updated_at: nowIso() })
      .where("id", "=", id)
      .execute();
  }

  /** A health call answered: status from what it said, failures reset, last health and last seen stored. */
  async recordHealth(id: string, record: HealthRecord): Promise<void> {
    await this.db
      .updateTable("nodes")
      .set({
        status: record.status,
        status_reason: storedReason(record.reason),
        consecutive_failures: 0,
        last_health: record.health,
        last_seen_at: record.seenAt,
      })
      .where("id", "=", id)
      .execute();
  }

  /**
   * A health call failed: one more consecutive failure; `offline` once there are `offlineAfter` of
   * them (the status is kept until then). Returns the failures counted now.
   */
  async recordFailure(
    id: string,
    offlineAfter: number,
    reason: (failures: number) => string,
  ): Promise<number> {
    const row = await this.db
      .updateTable("nodes")
      .set((eb) => ({ consecutive_failures: eb("consecutive_failures", "+", 1) }))
      .where("id", "=", id)
      .returning("consecutive_failures")
      .executeTakeFirst();
    const failures = Number(row?.consecutive_failures ?? 0);
    if (!row) return 0;
    await this.db
      .updateTable("nodes")
      .set({
        status_reason: storedReason(reason(failures)),
        ...(failures >= offlineAfter ? { status: "offline" as const } : {}),
      })
      .where("id", "=", id)
      .execute();
    return failures;
  }

  /** Creates the row for node `local` when it is missing; keeps an existing row's settings. */
  async ensureLocal(name: string): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto("nodes")
      .values({
        id: LOCAL_NODE_ID,
        name,
        agent_url: null,
        secret_enc: null,
        secret_key_id: null,
        enabled: 1,
        weight: 100,
        max_peers: LOCAL_NODE_MAX_PEERS,
        endpoint_host: null,
        status: "unknown",
        status_reason: null,
        consecutive_failures: 0,
        last_health: null,
        last_seen_at: null,
        agent_instance_id: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }

  /** The node that dials out whose current secret has this key id (a shared key id finds none). */
  async findDialOutByKeyId(keyId: string): Promise<NodeRow | undefined> {
    const rows = await this.db
      .selectFrom("nodes")
      .selectAll()
      .where("connection", "=", "dial-out")
      .where("secret_key_id", "=", keyId)
      .limit(2)
      .execute();
    return rows.length === 1 ? rows[0] : undefined;
  }

  /** A dial-out node's socket is now held by this replica, since then. */
  async recordDialOutConnected(id: string, replica: string, since: string): Promise<void> {
    await this.db
      .updateTable("nodes")
      .set({ dial_out_replica: replica, dial_out_connected_at: since })
      .where("id", "=", id)
      .execute();
  }

  /** The socket this replica held is gone (unless another replica holds a newer one by now). */
  async recordDialOutDisconnected(id: string, replica: string): Promise<void> {
    await this.db
      .updateTable("nodes")
      .set({ dial_out_replica: null, dial_out_connected_at: null })
      .where("id", "=", id)
      .where("dial_out_replica", "=", replica)
      .execute();
  }

  /** Sockets recorded for replicas that are no longer registered are gone (their agents dial again). */
  async clearDialOutOfGoneReplicas(): Promise<void> {
    await this.db
      .updateTable("nodes")
      .set({ dial_out_replica: null, dial_out_connected_at: null })
      .where("dial_out_replica", "is not", null)
      .where("dial_out_replica", "not in", (eb) => eb.selectFrom("replicas").select("id"))
      .execute();
  }

  /** Binds the node to the agent instance that answers at its URL (null unbinds). */
  async bindAgentInstance(id: string, instanceId: string | null): Promise<void> {
    await this.db.updateTable("nodes").set({ agent_instance_id: instanceId }).where("id", "=", id).execute();
  }

  /** The node bound to this agent instance, if any. */
  async findByAgentInstance(instanceId: string): Promise<NodeRow | undefined> {
    return this.db
      .selectFrom("nodes")
      .selectAll()
      .where("agent_instance_id", "=", instanceId)
      .executeTakeFirst();
  }

  async setStatus(id: string, status: NodeStatus, reason: string | null): Promise<void> {
    const now = nowIso();
    await this.db
      .updateTable("nodes")
      .set({
        status,
        status_reason: storedReason(reason),
        updated_at: now,
        ...(status === "online" ? { last_seen_at: now, consecutive_failures: 0 } : {}),
      })
      .where("id", "=", id)
      .execute();
  }

  /**
   * Peers the database assigns to the node, pending included (so a burst spreads at once): the sum of
   * its interfaces' kept counts (migration 030), not a count of its peers.
   */
  async countPeers(nodeId: string): Promise<number> {
    const [row] = await peerCountsOfNodes.rows(this.db, [nodeId]);
    return row ? Number(row.count) : 0;
  }

  /**
   * countPeers for several nodes, each with the peers being moved to it (what selection asks on every
   * creation), in one statement: O(interfaces of these nodes + pending moves), whatever their peers. A
   * node without peers is absent from the map.
   */
  async countPeersOfNodes(nodeIds: readonly string[]): Promise<Map<string, number>> {
    if (nodeIds.length === 0) return new Map();
    const rows = await assignedPeersOfNodes.rows(this.db, nodeIds);
    return new Map(rows.map((r) => [r.nodeId, Number(r.count)]));
  }

  /** Every node's peers, from the kept counts; a node without peers is absent. */
  async countPeersByNode(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom("interface_peer_counts as c")
      .innerJoin("interfaces as i", "i.id", "c.interface_id")
      .select(["i.node_id as nodeId", (eb) => eb.fn.sum<string | number>("c.peers").as("count")])
      .groupBy("i.node_id")
      .having((eb) => eb.fn.sum("c.peers"), ">", 0)
      .execute();
    return new Map(rows.map((r) => [r.nodeId, Number(r.count)]));
  }
}

// Run by every `auto` peer creation (see db/prepared-query.ts).
const nodesByIds = new PreparedQuery((db: Db, ids: readonly string[]) =>
  db.selectFrom("nodes").selectAll().where("id", "in", ids),
);

/** The nodes' peers summed over their interfaces' kept counts; nodes without peers are left out. */
const peerCountsOfNodes = new PreparedQuery((db: Db, nodeIds: readonly string[]) =>
  db
    .selectFrom("interface_peer_counts as c")
    .innerJoin("interfaces as i", "i.id", "c.interface_id")
    .select(["i.node_id as nodeId", (eb) => eb.fn.sum<string | number>("c.peers").as("count")])
    .where("i.node_id", "in", nodeIds)
    .groupBy("i.node_id")
    .having((eb) => eb.fn.sum("c.peers"), ">", 0),
);

/**
 * The kept counts plus one per pending move to the node: a peer being moved counts on its target
 * already (as a pending creation does), so a burst of moves and creations spreads instead of piling
 * onto the node that looked emptiest.
 */
const assignedPeersOfNodes = new PreparedQuery((db: Db, nodeIds: readonly string[]) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom("interface_peer_counts as c")
        .innerJoin("interfaces as i", "i.id", "c.interface_id")
        .select(["i.node_id as nodeId", "c.peers as peers"])
        .where("i.node_id", "in", nodeIds)
        .unionAll(
          eb
            .selectFrom("peer_moves as m")
            .innerJoin("interfaces as i", "i.id", "m.to_interface_id")
            .select(["i.node_id as nodeId", sql<number>`1`.as("peers")])
            .where("m.state", "=", "pending")
            .where("i.node_id", "in", nodeIds),
        )
        .as("assigned"),
    )
    .select(["assigned.nodeId", (eb) => eb.fn.sum<string | number>("assigned.peers").as("count")])
    .groupBy("assigned.nodeId")
    .having((eb) => eb.fn.sum("assigned.peers"), ">", 0),
);

/** A status reason may quote what an agent said: kept short and free of control characters. */
function storedReason(reason: string | null): string | null {
  return reason === null ? null : cleanAgentText(reason);
}
