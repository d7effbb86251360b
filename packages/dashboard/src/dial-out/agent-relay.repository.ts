// The `agent_relay_requests` table (PostgreSQL only): requests for a dial-out node written by one
// replica for the replica holding the node's socket, and their answers. Writing a request and writing
// an answer each notify the other side in the same statement (ids only in the payload; the frame and
// the answer stay in the row, as NOTIFY payloads are limited to 8000 bytes). SQL only; the rules live
// in agent-relay.ts.
import { sql } from "kysely";
import type { Db } from "../db/index.js";

/** The channel relay notices travel on (each replica's one listening connection hears it). */
export const RELAY_CHANNEL = "wgfleet_relay";

/** A relay notice's payload: a request waits for replica `to`, or its answer does. */
export interface RelayNotice {
  kind: "request" | "answer";
  id: string;
  to: string;
}

export interface RelayRequest {
  id: string;
  nodeId: string;
  requester: string;
  /** The signed request frame as JSON. */
  frame: string;
  at: string;
  /** Replicas whose heartbeat is older than this have stopped: none of them is a target. */
  liveSince: string;
}

export class AgentRelayRepository {
  constructor(private readonly db: Db) {}

  /**
   * Writes the request for the live replica (not the requester) that holds the node's socket and
   * notifies it, in one statement; answers that replica, or null when no other live replica holds it
   * (then nothing is written).
   */
  async ask(request: RelayRequest): Promise<string | null> {
    const { rows } = await sql<{ target: string }>`
      with target as (
        select n.dial_out_replica as replica
        from nodes n join replicas r on r.id = n.dial_out_replica
        where n.id = ${request.nodeId} and n.dial_out_replica <> ${request.requester}
          and r.heartbeat_at >= ${request.liveSince}
      ), written as (
        insert into agent_relay_requests (id, node_id, requester_replica, target_replica, frame, created_at)
        select ${request.id}::text, ${request.nodeId}::text, ${request.requester}::text, replica,
          ${request.frame}::text, ${request.at}::text
        from target
        returning id, target_replica
      )
      select target_replica as target,
        pg_notify(${RELAY_CHANNEL}, json_build_object('kind', 'request', 'id', id, 'to', target_replica)::text)
      from written`.execute(this.db);
    return rows[0]?.target ?? null;
  }

  /** The target takes a request not taken yet: its node and frame, or undefined (gone or taken). */
  async take(
    id: string,
    target: string,
    at: string,
  ): Promise<{ node_id: string; frame: string } | undefined> {
    return this.db
      .updateTable("agent_relay_requests")
      .set({ taken_at: at })
      .where("id", "=", id)
      .where("target_replica", "=", target)
      .where("taken_at", "is", null)
      .returning(["node_id", "frame"])
      .executeTakeFirst();
  }

  /** Writes the answer (once) and notifies the requester; false when the requester gave up already. */
  async answer(id: string, answer: string, at: string): Promise<boolean> {
    const { rows } = await sql<{ id: string }>`
      with answered as (
        update agent_relay_requests set answer = ${answer}, answered_at = ${at}
        where id = ${id} and answer is null
        returning id, requester_replica
      )
      select id,
        pg_notify(${RELAY_CHANNEL}, json_build_object('kind', 'answer', 'id', id, 'to', requester_replica)::text)
      from answered`.execute(this.db);
    return rows.length > 0;
  }

  /** Reads an answered request's answer and deletes its row; undefined while it is not answered. */
  async collect(id: string): Promise<string | undefined> {
    const row = await this.db
      .deleteFrom("agent_relay_requests")
      .where("id", "=", id)
      .where("answer", "is not", null)
      .returning("answer")
      .executeTakeFirst();
    return row?.answer ?? undefined;
  }

  /** The requester gives up: the row is deleted; whether the target had taken it (undefined: gone). */
  async abandon(id: string): Promise<{ taken: boolean } | undefined> {
    const row = await this.db
      .deleteFrom("agent_relay_requests")
      .where("id", "=", id)
      .returning("taken_at")
      .executeTakeFirst();
    return row ? { taken: row.taken_at !== null } : undefined;
  }

  /** Requests waiting for `target` that it has not taken (their notices may have been missed). */
  async untaken(target: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("agent_relay_requests")
      .select("id")
      .where("target_replica", "=", target)
      .where("taken_at", "is", null)
      .execute();
    return rows.map((row) => row.id);
  }

  /** Rows written before `before`: stragglers of replicas that stopped while a request was in flight. */
  async deleteCreatedBefore(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom("agent_relay_requests")
      .where("created_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
