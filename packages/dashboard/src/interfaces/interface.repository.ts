// SQL for interfaces (a configuration on a node), and the reads of its peers that its desired state
// needs. Writes that belong to a larger unit of work take the caller's transaction as `db`.
import type { Insertable, Selectable } from "kysely";
import { nowIso } from "../clock.js";
import { type Db, dialectOf, PreparedQuery } from "../db/index.js";
import type { InterfaceTable, PeerTable } from "../db/schema.js";
import type { PeerAccessColumns } from "../lifecycle/peer-access.js";

export type InterfaceRow = Selectable<InterfaceTable>;
export type NewInterfaceRow = Insertable<InterfaceTable>;

/** A peer as its interface's desired state needs it (its configuration's default schedule joined in). */
export interface PeerSpecRow extends PeerAccessColumns {
  id: string;
  public_key: string;
  preshared_key_enc: string | null;
  addresses: string;
  enabled: number;
  state: PeerTable["state"];
}

/** An interface as a configuration's peer list needs it (the page query joins none: PeerRepository.list). */
export type ListedInterface = Pick<InterfaceRow, "id" | "name" | "node_id" | "configuration_id">;

/** A configuration found by its name, with its interfaces (none yet: an empty list). */
export interface NamedConfigurationInterfaces {
  configurationName: string;
  interfaces: ListedInterface[];
}

export interface InterfacePeerCounts {
  total: number;
  enabled: number;
}

export class InterfaceRepository {
  constructor(private readonly db: Db) {}

  async insert(row: NewInterfaceRow): Promise<void> {
    await this.db.insertInto("interfaces").values(row).execute();
  }

  async findById(id: string): Promise<InterfaceRow | undefined> {
    return this.db.selectFrom("interfaces").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async listByConfiguration(configurationId: string): Promise<InterfaceRow[]> {
    return byConfiguration.rows(this.db, configurationId);
  }

  /**
   * The configuration of this name and its interfaces in one query (undefined: no such configuration):
   * every page of a peer list asks, and on PostgreSQL the two reads it replaces were two round trips
   * one after the other before the page's own.
   */
  async findByConfigurationName(name: string): Promise<NamedConfigurationInterfaces | undefined> {
    const rows = await byConfigurationName.rows(this.db, name);
    const [first] = rows;
    if (!first) return undefined;
    const interfaces: ListedInterface[] = [];
    for (const row of rows) {
      if (row.id === null || row.name === null || row.node_id === null) continue; // none: left join
      interfaces.push({
        id: row.id,
        name: row.name,
        node_id: row.node_id,
        configuration_id: row.configuration_id,
      });
    }
    return { configurationName: first.configuration_name, interfaces };
  }

  async listByNode(nodeId: string): Promise<InterfaceRow[]> {
    return this.db
      .selectFrom("interfaces")
      .selectAll()
      .where("node_id", "=", nodeId)
      .orderBy("name")
      .execute();
  }

  async publicKeyInUse(publicKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("interfaces")
      .select("id")
      .where("public_key", "=", publicKey)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async listAll(): Promise<InterfaceRow[]> {
    return this.db.selectFrom("interfaces").selectAll().orderBy("node_id").orderBy("name").execute();
  }

  /** The interface and, by the foreign keys' cascades (migration 003), its peers and their rows. */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("interfaces").where("id", "=", id).execute();
  }

  /** One more change of desired state; returns the new revision. */
  async bumpRevision(id: string, db: Db = this.db): Promise<number> {
    const row = await nextRevision.firstOrThrow(db, id, nowIso());
    return Number(row.revision);
  }

  /**
   * One more change of each of these interfaces' desired state, in one statement; returns the new
   * revisions by id. On PostgreSQL the rows are locked in id order first, as a loop of bumps in id
   * order would, so this never deadlocks with such a loop or with itself.
   */
  async bumpRevisions(ids: readonly string[], db: Db = this.db): Promise<Map<string, number>> {
    const sorted = [...new Set(ids)].sort();
    const locked =
      dialectOf(db) === "postgres"
        ? db.selectFrom("interfaces").select("id").where("id", "in", sorted).orderBy("id").forUpdate()
        : sorted;
    const rows = await db
      .updateTable("interfaces")
      .set((eb) => ({ revision: eb("revision", "+", 1), updated_at: nowIso() }))
      .where("id", "in", locked)
      .returning(["id", "revision"])
      .execute();
    return new Map(rows.map((row) => [row.id, Number(row.revision)]));
  }

  /** Peers of an interface that belong on the node: enabled, not failed (pending included). */
  async peerSpecRows(interfaceId: string): Promise<PeerSpecRow[]> {
    return this.db
      .selectFrom("peers as p")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .select([
        "p.id as id",
        "p.public_key as public_key",
        "p.preshared_key_enc as preshared_key_enc",
        "p.addresses as addresses",
        "p.enabled as enabled",
        "p.state as state",
        "p.expires_at as expires_at",
        "p.schedule as schedule",
        "c.default_schedule as default_schedule",
        "p.quota_budget as quota_budget",
      ])
      .where("p.interface_id", "=", interfaceId)
      .where("p.enabled", "=", 1)
      .where("p.state", "!=", "failed")
      .execute();
  }

  /**
   * Peers a move puts on this interface besides its own (migration 019): a peer being moved here
   * (`pending`, with its new addresses) and the old copy of a peer moved away that the interface keeps
   * through the grace period (`grace`, with its old addresses). Only while the peer itself belongs on a
   * node (enabled, not failed).
   */
  async movedPeerSpecRows(interfaceId: string): Promise<PeerSpecRow[]> {
    const base = this.db
      .selectFrom("peer_moves as m")
      .innerJoin("peers as p", "p.id", "m.peer_id")
      .innerJoin("interfaces as i", "i.id", "p.interface_id")
      .innerJoin("configurations as c", "c.id", "i.configuration_id")
      .where("p.enabled", "=", 1)
      .where("p.state", "!=", "failed");
    const columns = [
      "p.id as id",
      "p.public_key as public_key",
      "p.preshared_key_enc as preshared_key_enc",
      "p.enabled as enabled",
      "p.state as state",
      "p.expires_at as expires_at",
      "p.schedule as schedule",
      "c.default_schedule as default_schedule",
      "p.quota_budget as quota_budget",
    ] as const;
    const [incoming, kept] = await Promise.all([
      base
        .select([...columns, "m.new_addresses as addresses"])
        .where("m.to_interface_id", "=", interfaceId)
        .where("m.state", "=", "pending")
        .execute(),
      base
        .select([...columns, "m.old_addresses as addresses"])
        .where("m.from_interface_id", "=", interfaceId)
        .where("m.state", "=", "grace")
        .execute(),
    ]);
    return [...incoming, ...kept];
  }

  /** An interface's changeable settings (port, endpoint, DNS, MTU), inside the caller's transaction. */
  async updateSettings(
    id: string,
    changes: Partial<Pick<InterfaceRow, "listen_port" | "endpoint" | "dns" | "mtu">>,
    db: Db = this.db,
  ): Promise<void> {
    await db
      .updateTable("interfaces")
      .set({ ...changes, updated_at: nowIso() })
      .where("id", "=", id)
      .execute();
  }

  /** At least `revision` (never lowers it): when a node holds a newer revision than the database. */
  async raiseRevision(id: string, revision: number): Promise<void> {
    await this.db
      .updateTable("interfaces")
      .set({ revision, updated_at: nowIso() })
      .where("id", "=", id)
      .where("revision", "<", revision)
      .execute();
  }

  /** Sets the revision of a new interface whose name the node already knows at a higher revision. */
  async setRevision(id: string, revision: number): Promise<void> {
    await this.db.updateTable("interfaces").set({ revision }).where("id", "=", id).execute();
  }

  async peerCounts(): Promise<Map<string, InterfacePeerCounts>> {
    const rows = await this.db
      .selectFrom("peers")
      .select([
        "interface_id as interfaceId",
        (eb) => eb.fn.countAll<number | string>().as("total"),
        (eb) => eb.fn.sum<number | string | null>("enabled").as("enabled"),
      ])
      .groupBy("interface_id")
      .execute();
    return new Map(
      rows.map((r) => [r.interfaceId, { total: Number(r.total), enabled: Number(r.enabled ?? 0) }]),
    );
  }
}

// Run by every peer creation (see db/prepared-query.ts).
const byConfiguration = new PreparedQuery((db: Db, configurationId: string) =>
  db.selectFrom("interfaces").selectAll().where("configuration_id", "=", configurationId).orderBy("node_id"),
);

const byConfigurationName = new PreparedQuery((db: Db, name: string) =>
  db
    .selectFrom("configurations as c")
    .leftJoin("interfaces as i", "i.configuration_id", "c.id")
    .select([
      "c.id as configuration_id",
      "c.name as configuration_name",
      "i.id as id",
      "i.name as name",
      "i.node_id as node_id",
    ])
    .where("c.name", "=", name)
    .orderBy("i.node_id"),
);

const nextRevision = new PreparedQuery((db: Db, id: string, updatedAt: string) =>
  db
    .updateTable("interfaces")
    .set((eb) => ({ revision: eb("revision", "+", 1), updated_at: updatedAt }))
    .where("id", "=", id)
    .returning("revision"),
);
