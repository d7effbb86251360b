// The first schema: every table of schema.ts, on SQLite and PostgreSQL alike. Never edit a migration
// that has shipped; add the next one. Column types are the common ground of both engines (see
// schema.ts); text on PostgreSQL uses the "C" collation so that ordering and LIKE behave as SQLite's
// binary text does, and SQLite tables are STRICT so that a wrong type fails on both engines.
import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  sql,
} from "kysely";
import { dialectOf } from "../connection.js";

type Column = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
type Table = CreateTableBuilder<any, any>;

/** The column types and table options of one engine. */
function typesFor(db: Kysely<any>) {
  const postgres = dialectOf(db) === "postgres";
  return {
    text: postgres ? sql`text collate "C"` : sql`text`,
    integer: sql`integer`,
    /** Byte counters, revisions: 64-bit on PostgreSQL (SQLite's integer is always 64-bit). */
    bigint: postgres ? sql`bigint` : sql`integer`,
    /** `id: Generated<number>`: autoincrement on SQLite, an identity column on PostgreSQL. */
    autoId: (table: Table): Table =>
      postgres
        ? table.addColumn("id", "bigint", (col) => col.primaryKey().generatedByDefaultAsIdentity())
        : table.addColumn("id", "integer", (col) => col.primaryKey().autoIncrement()),
    finish: (table: Table): Table => (postgres ? table : table.modifyEnd(sql`strict`)),
  };
}

const notNull: Column = (col) => col.notNull();
const cascadeTo =
  (target: string): Column =>
  (col) =>
    col.notNull().references(target).onDelete("cascade");
const restrictTo =
  (target: string): Column =>
  (col) =>
    col.notNull().references(target).onDelete("restrict");

export const initialMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const t = typesFor(db);
    const timestamps = (table: Table): Table =>
      table.addColumn("created_at", t.text, notNull).addColumn("updated_at", t.text, notNull);

    await t
      .finish(
        timestamps(
          db.schema
            .createTable("nodes")
            .addColumn("id", t.text, (col) => col.primaryKey())
            .addColumn("name", t.text, notNull)
            .addColumn("agent_url", t.text)
            .addColumn("secret_enc", t.text)
            .addColumn("secret_key_id", t.text)
            .addColumn("enabled", t.integer, notNull)
            .addColumn("weight", t.integer, notNull)
            .addColumn("max_peers", t.integer, notNull)
            .addColumn("endpoint_host", t.text)
            .addColumn("status", t.text, notNull)
            .addColumn("status_reason", t.text)
            .addColumn("consecutive_failures", t.integer, notNull)
            .addColumn("last_health", t.text)
            .addColumn("last_seen_at", t.text),
        ).addUniqueConstraint("nodes_name_unique", ["name"]),
      )
      .execute();

    await t
      .finish(
        timestamps(
          db.schema
            .createTable("configurations")
            .addColumn("id", t.text, (col) => col.primaryKey())
            .addColumn("name", t.text, notNull)
            .addColumn("description", t.text, notNull)
            .addColumn("dns", t.text, notNull)
            .addColumn("client_allowed_ips", t.text, notNull)
            .addColumn("mtu", t.integer)
            .addColumn("keepalive", t.integer),
        ).addUniqueConstraint("configurations_name_unique", ["name"]),
      )
      .execute();

    await t
      .finish(
        timestamps(
          db.schema
            .createTable("interfaces")
            .addColumn("id", t.text, (col) => col.primaryKey())
            .addColumn("configuration_id", t.text, restrictTo("configurations.id"))
            .addColumn("node_id", t.text, restrictTo("nodes.id"))
            .addColumn("name", t.text, notNull)
            .addColumn("private_key_enc", t.text, notNull)
            .addColumn("public_key", t.text, notNull)
            .addColumn("listen_port", t.integer, notNull)
            .addColumn("endpoint", t.text)
            .addColumn("pool_v4", t.text, notNull)
            .addColumn("pool_v6", t.text)
            .addColumn("mtu", t.integer)
            .addColumn("revision", t.bigint, notNull),
        )
          .addUniqueConstraint("interfaces_node_name_unique", ["node_id", "name"])
          .addUniqueConstraint("interfaces_configuration_node_unique", ["configuration_id", "node_id"])
          .addUniqueConstraint("interfaces_node_listen_port_unique", ["node_id", "listen_port"]),
      )
      .execute();

    await t
      .finish(
        timestamps(
          db.schema
            .createTable("peers")
            .addColumn("id", t.text, (col) => col.primaryKey())
            .addColumn("interface_id", t.text, restrictTo("interfaces.id"))
            .addColumn("name", t.text, notNull)
            .addColumn("public_key", t.text, notNull)
            .addColumn("private_key_enc", t.text)
            .addColumn("preshared_key_enc", t.text)
            .addColumn("addresses", t.text, notNull)
            .addColumn("client_allowed_ips", t.text, notNull)
            .addColumn("dns", t.text)
            .addColumn("mtu", t.integer)
            .addColumn("keepalive", t.integer)
            .addColumn("enabled", t.integer, notNull)
            .addColumn("expires_at", t.text)
            .addColumn("quota_bytes", t.bigint)
            .addColumn("state", t.text, notNull),
        ).addUniqueConstraint("peers_interface_public_key_unique", ["interface_id", "public_key"]),
      )
      .execute();
    await db.schema
      .createIndex("peers_interface_name_idx")
      .on("peers")
      .columns(["interface_id", "name", "id"])
      .execute();
    await db.schema.createIndex("peers_name_idx").on("peers").columns(["name", "id"]).execute();

    await t
      .finish(
        db.schema
          .createTable("peer_stats")
          .addColumn("peer_id", t.text, (col) => col.primaryKey().references("peers.id").onDelete("cascade"))
          .addColumn("rx_bytes", t.bigint, notNull)
          .addColumn("tx_bytes", t.bigint, notNull)
          .addColumn("raw_rx", t.bigint, notNull)
          .addColumn("raw_tx", t.bigint, notNull)
          .addColumn("latest_handshake_at", t.text)
          .addColumn("endpoint", t.text)
          .addColumn("updated_at", t.text, notNull),
      )
      .execute();

    await t
      .finish(
        t
          .autoId(db.schema.createTable("peer_stats_history"))
          .addColumn("peer_id", t.text, cascadeTo("peers.id"))
          .addColumn("at", t.text, notNull)
          .addColumn("rx_bytes", t.bigint, notNull)
          .addColumn("tx_bytes", t.bigint, notNull),
      )
      .execute();
    await db.schema
      .createIndex("peer_stats_history_peer_at_idx")
      .on("peer_stats_history")
      .columns(["peer_id", "at"])
      .execute();
    await db.schema.createIndex("peer_stats_history_at_idx").on("peer_stats_history").column("at").execute();

    await t
      .finish(
        db.schema
          .createTable("ip_allocations")
          .addColumn("interface_id", t.text, cascadeTo("interfaces.id"))
          .addColumn("pool", t.text, notNull)
          .addColumn("address", t.text, notNull)
          .addColumn("peer_id", t.text, cascadeTo("peers.id"))
          .addColumn("created_at", t.text, notNull)
          .addPrimaryKeyConstraint("ip_allocations_pkey", ["interface_id", "pool", "address"]),
      )
      .execute();
    await db.schema.createIndex("ip_allocations_peer_idx").on("ip_allocations").column("peer_id").execute();

    await t
      .finish(
        timestamps(
          db.schema
            .createTable("users")
            .addColumn("id", t.text, (col) => col.primaryKey())
            .addColumn("username", t.text, notNull)
            .addColumn("password_hash", t.text, notNull)
            .addColumn("role", t.text, notNull)
            .addColumn("must_change_password", t.integer, notNull)
            .addColumn("totp_secret_enc", t.text),
        ).addUniqueConstraint("users_username_unique", ["username"]),
      )
      .execute();

    await t
      .finish(
        db.schema
          .createTable("sessions")
          .addColumn("id", t.text, (col) => col.primaryKey())
          .addColumn("user_id", t.text, cascadeTo("users.id"))
          .addColumn("csrf_token", t.text, notNull)
          .addColumn("ip", t.text)
          .addColumn("user_agent", t.text)
          .addColumn("created_at", t.text, notNull)
          .addColumn("expires_at", t.text, notNull)
          .addColumn("last_seen_at", t.text, notNull),
      )
      .execute();
    await db.schema.createIndex("sessions_expires_at_idx").on("sessions").column("expires_at").execute();
    await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

    await t
      .finish(
        db.schema
          .createTable("api_keys")
          .addColumn("id", t.text, (col) => col.primaryKey())
          .addColumn("user_id", t.text, cascadeTo("users.id"))
          .addColumn("name", t.text, notNull)
          .addColumn("key_hash", t.text, notNull)
          .addColumn("prefix", t.text, notNull)
          .addColumn("created_at", t.text, notNull)
          .addColumn("last_used_at", t.text)
          .addColumn("revoked_at", t.text)
          .addUniqueConstraint("api_keys_key_hash_unique", ["key_hash"]),
      )
      .execute();
    await db.schema.createIndex("api_keys_user_idx").on("api_keys").column("user_id").execute();

    await t
      .finish(
        t
          .autoId(db.schema.createTable("audit_log"))
          .addColumn("at", t.text, notNull)
          .addColumn("actor", t.text, notNull)
          .addColumn("action", t.text, notNull)
          .addColumn("target", t.text)
          .addColumn("details", t.text),
      )
      .execute();

    await t
      .finish(
        db.schema
          .createTable("share_links")
          .addColumn("id", t.text, (col) => col.primaryKey())
          .addColumn("peer_id", t.text, cascadeTo("peers.id"))
          .addColumn("token_hash", t.text, notNull)
          .addColumn("created_at", t.text, notNull)
          .addColumn("expires_at", t.text, notNull)
          .addUniqueConstraint("share_links_token_hash_unique", ["token_hash"]),
      )
      .execute();
    await db.schema.createIndex("share_links_peer_idx").on("share_links").column("peer_id").execute();

    await t
      .finish(
        db.schema
          .createTable("meta")
          .addColumn("key", t.text, (col) => col.primaryKey())
          .addColumn("value", t.text, notNull),
      )
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const table of [
      "meta",
      "share_links",
      "audit_log",
      "api_keys",
      "sessions",
      "users",
      "ip_allocations",
      "peer_stats_history",
      "peer_stats",
      "peers",
      "interfaces",
      "configurations",
      "nodes",
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
