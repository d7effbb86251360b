import { Migrator, NO_MIGRATIONS, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { dialectOf } from "./connection.js";
import { appliedMigrations, migrateToLatest } from "./migrate.js";
import { migrationProvider, migrations } from "./migrations/index.js";
import type { Database } from "./schema.js";
import { insertInterface, insertNode, insertPeer } from "./test-support/rows.js";

const TABLES: ReadonlyArray<keyof Database> = [
  "nodes",
  "configurations",
  "interfaces",
  "peers",
  "peer_stats",
  "traffic_samples",
  "ip_allocations",
  "users",
  "sessions",
  "api_keys",
  "audit_log",
  "share_links",
  "peer_lifecycle_events",
  "meta",
];

forEachEngine("migrations", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("apply every migration to an empty database and create every table of schema.ts", async () => {
    opened = await open({ migrate: false });
    const { db } = opened;
    expect(await appliedMigrations(db)).toEqual([]);

    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));

    const tables = (await db.introspection.getTables()).map((table) => table.name);
    for (const table of TABLES) expect(tables).toContain(table);
    expect(dialectOf(db)).toBe(engine);
  });

  it("are idempotent: a second run applies nothing and changes nothing", async () => {
    opened = await open();
    const { db } = opened;
    const before = await db.introspection.getTables();

    expect(await migrateToLatest(db)).toEqual([]);
    expect(await appliedMigrations(db)).toEqual(Object.keys(migrations));
    expect(await db.introspection.getTables()).toEqual(before);
  });

  it("give every column of schema.ts a column in the database", async () => {
    opened = await open();
    const tables = await opened.db.introspection.getTables();
    const columns = (name: string) => tables.find((table) => table.name === name)?.columns.map((c) => c.name);
    expect(columns("peers")).toEqual(
      expect.arrayContaining([
        "id",
        "interface_id",
        "name",
        "public_key",
        "private_key_enc",
        "quota_budget",
        "state",
      ]),
    );
    expect(columns("peers")).not.toContain("quota_bytes");
    expect(columns("peer_quotas")).toEqual(
      expect.arrayContaining([
        "peer_id",
        "bytes",
        "period",
        "period_start",
        "start_rx",
        "start_tx",
        "warned",
      ]),
    );
    expect(columns("peer_stats")).toEqual(
      expect.arrayContaining(["peer_id", "rx_bytes", "tx_bytes", "raw_rx", "raw_tx", "latest_handshake_at"]),
    );
    expect(columns("peers")).toEqual(
      expect.arrayContaining(["schedule", "suspension_reason", "suspended_since"]),
    );
    expect(columns("configurations")).toEqual(expect.arrayContaining(["time_zone", "default_schedule"]));
    expect(columns("nodes")).toEqual(
      expect.arrayContaining(["secret_enc", "secret_key_id", "status_reason"]),
    );
  });

  it("can be undone completely (down), leaving only Kysely's bookkeeping", async () => {
    opened = await open();
    const { error } = await new Migrator({ db: opened.db, provider: migrationProvider }).migrateTo(
      NO_MIGRATIONS,
    );
    expect(error).toBeUndefined();
    const tables = (await opened.db.introspection.getTables()).map((table) => table.name);
    for (const table of TABLES) expect(tables).not.toContain(table);
    expect(await migrateToLatest(opened.db)).toEqual(Object.keys(migrations));
  });

  it("keep every row through 003's table rebuilds (foreign keys made cascading)", async () => {
    opened = await open({ migrate: false });
    const { db } = opened;
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo("002_traffic_samples")).error).toBeUndefined();
    const node = await insertNode(db);
    const interfaceId = await insertInterface(db, { node_id: node, listen_port: 51910 });
    const peerId = await insertPeer(db, { interface_id: interfaceId });
    await db
      .insertInto("ip_allocations")
      .values({
        interface_id: interfaceId,
        pool: "p",
        address: "198.51.100.9",
        peer_id: peerId,
        created_at: "t",
      })
      .execute();
    const count = async (table: "interfaces" | "peers" | "ip_allocations") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).slice(2));
    expect([await count("interfaces"), await count("peers"), await count("ip_allocations")]).toEqual([
      1, 1, 1,
    ]);
    // The rebuilt tables kept their constraints and indexes, and cascade now.
    await expect(insertPeer(db, { interface_id: "no-such-interface" })).rejects.toThrow();
    await db.deleteFrom("nodes").where("id", "=", node).execute();
    expect([await count("interfaces"), await count("peers"), await count("ip_allocations")]).toEqual([
      0, 0, 0,
    ]);
  });

  it("refuse a database that has a migration this code does not know", async () => {
    opened = await open();
    await sql`insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2099-01-01T00:00:00.000Z')`.execute(
      opened.db,
    );
    await expect(migrateToLatest(opened.db)).rejects.toThrow(/^database .*999_from_the_future/);
  });
});

describe("the migration list", () => {
  it("is numbered in order", () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{3}_[a-z0-9_]+$/);
  });
});
