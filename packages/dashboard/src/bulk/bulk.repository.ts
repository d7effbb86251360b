// SQL for many peers at once: names already taken, and state changes of a list of peers in one statement
// per chunk of ids (a bulk action over 1,000 peers is a handful of queries, not thousands).
import { sql } from "kysely";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import type { PeerRow } from "../peers/peer.repository.js";

/** Ids (or names) per `IN (…)`: far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

export class BulkPeerRepository {
  constructor(private readonly db: Db) {}

  /** Which of these names (lower case) peers of the configuration already have, ignoring case. */
  async namesTaken(
    configurationId: string,
    names: readonly string[],
    db: Db = this.db,
  ): Promise<Set<string>> {
    const taken = new Set<string>();
    for (const part of chunks(names.map((n) => n.toLowerCase()))) {
      const rows = await db
        .selectFrom("peers as p")
        .innerJoin("interfaces as i", "i.id", "p.interface_id")
        .select(sql<string>`lower(p.name)`.as("name"))
        .where("i.configuration_id", "=", configurationId)
        .where(sql<string>`lower(p.name)`, "in", part)
        .execute();
      for (const row of rows) taken.add(row.name);
    }
    return taken;
  }

  /** Public keys (of these) peers of the interface already have. */
  async publicKeysTaken(
    interfaceId: string,
    keys: readonly string[],
    db: Db = this.db,
  ): Promise<Set<string>> {
    const taken = new Set<string>();
    for (const part of chunks(keys)) {
      const rows = await db
        .selectFrom("peers")
        .select("public_key")
        .where("interface_id", "=", interfaceId)
        .where("public_key", "in", part)
        .execute();
      for (const row of rows) taken.add(row.public_key);
    }
    return taken;
  }

  async findByIds(ids: readonly string[]): Promise<PeerRow[]> {
    const rows: PeerRow[] = [];
    for (const part of chunks(ids))
      rows.push(...(await this.db.selectFrom("peers").selectAll().where("id", "in", part).execute()));
    return rows;
  }

  /** Created peers are live on their node; only rows still `pending` change. */
  async activate(ids: readonly string[], at: string = nowIso()): Promise<void> {
    for (const part of chunks(ids))
      await this.db
        .updateTable("peers")
        .set({ state: "active", updated_at: at })
        .where("id", "in", part)
        .where("state", "=", "pending")
        .execute();
  }

  async setEnabled(ids: readonly string[], enabled: 0 | 1, db: Db = this.db): Promise<void> {
    for (const part of chunks(ids))
      await db.updateTable("peers").set({ enabled, updated_at: nowIso() }).where("id", "in", part).execute();
  }

  /** Deletes the peers; their addresses, stats, quotas and share links go by the foreign keys' cascades. */
  async delete(ids: readonly string[], db: Db = this.db): Promise<void> {
    for (const part of chunks(ids)) await db.deleteFrom("peers").where("id", "in", part).execute();
  }
}
