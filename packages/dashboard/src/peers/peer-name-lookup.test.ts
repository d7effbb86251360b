// The per-configuration name check: case-insensitive, across the configuration's interfaces only, and
// answered through its index (migration 025), not by reading every peer of the interface — a read of
// every peer per creation made 1,000 sequential creations quadratic.
import { CompiledQuery, sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import type { Db } from "../db/index.js";
import { insertConfiguration, insertInterface, insertPeer } from "../db/test-support/rows.js";
import { nameTakenQuery, PeerRepository } from "./peer.repository.js";

forEachEngine("peer name lookup", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("finds a name whatever its ASCII case, on any interface of the configuration only", async () => {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db);
    const first = await insertInterface(db, { configuration_id: configuration });
    const second = await insertInterface(db, { configuration_id: configuration, name: "wg1" });
    const other = await insertInterface(db);
    const ana = await insertPeer(db, { interface_id: first, name: "Ana" });
    await insertPeer(db, { interface_id: second, name: "bo" });
    await insertPeer(db, { interface_id: other, name: "Cy" });
    const peers = new PeerRepository(db);
    expect(await peers.nameTaken(configuration, "ANA")).toBe(true);
    expect(await peers.nameTaken(configuration, "Bo")).toBe(true);
    expect(await peers.nameTaken(configuration, "cy")).toBe(false);
    expect(await peers.nameTaken(configuration, "ana", ana)).toBe(false);
  });

  it("is answered through the (interface_id, lower(name)) index", async () => {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db);
    const iface = await insertInterface(db, { configuration_id: configuration });
    for (let i = 0; i < 50; i++) await insertPeer(db, { interface_id: iface, name: `peer-${i}` });
    expect(await queryPlan(db, engine, configuration)).toContain("peers_interface_lower_name_idx");
  });
});

/** The engine's plan for the name check, as text. */
async function queryPlan(db: Db, engine: string, configuration: string): Promise<string> {
  const compiled = nameTakenQuery(db, configuration, "Peer-7").compile();
  if (engine === "sqlite") {
    const plan = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    return plan.rows.map((row) => row.detail).join("\n");
  }
  // PostgreSQL reads a table this small whole; with sequential scans off it shows which index serves.
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const plan = await trx.executeQuery<{ "QUERY PLAN": string }>(
      CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
    );
    return plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}
