// The per-configuration name check: case-insensitive, across the configuration's interfaces only, and
// answered through an index on lower(name) (migrations 025, 032), not by reading every peer — a read of
// every peer per creation made 1,000 sequential creations quadratic. A configuration on 100 nodes too:
// there PostgreSQL read all of `peers` for every check before the lower(name) index (032).
import { type CompiledQuery, sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { BulkPeerRepository } from "../bulk/bulk.repository.js";
import { ownQueryPlan, queryPlan } from "../db/test-support/query-plan.js";
import {
  insertConfiguration,
  insertConfigurationOnNodes,
  insertInterface,
  insertPeer,
  insertPeerSeries,
} from "../db/test-support/rows.js";
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
    expect(await queryPlan(db, engine, nameTakenQuery(db, configuration, "Peer-7").compile())).toMatch(
      /peers_(interface_)?lower_name_idx/,
    );
  });

  it("a configuration on 100 nodes: one name and many are looked up through the index, not by reading every peer", async () => {
    opened = await open();
    const { db } = opened;
    const { configuration } = await insertConfigurationOnNodes(db, 100);
    // 5,000 peers, all on the first node's interface.
    await insertPeerSeries(db, { from: 1, to: 5_001, interfaces: 1 });
    await sql`analyze`.execute(db);
    const plan = (compiled: CompiledQuery) => ownQueryPlan(db, engine, compiled);
    const single = await plan(nameTakenQuery(db, configuration, "Name-4242").compile());
    expect(single).toMatch(/lower_name_idx/);
    expect(single).not.toMatch(/Seq Scan on peers|SCAN p\b/);
    const bulk = new BulkPeerRepository(db);
    expect(await bulk.namesTaken(configuration, ["Name-17", "nobody", "NAME-4999"])).toEqual(
      new Set(["name-17", "name-4999"]),
    );
    const many = await plan(
      db
        .selectFrom("peers as p")
        .innerJoin("interfaces as i", "i.id", "p.interface_id")
        .select(sql<string>`lower(p.name)`.as("name"))
        .where("i.configuration_id", "=", configuration)
        .where(sql<string>`lower(p.name)`, "in", ["name-17", "nobody", "name-4999"])
        .compile(),
    );
    expect(many).toMatch(/lower_name_idx/);
    expect(many).not.toMatch(/Seq Scan on peers|SCAN p\b/);
  });
});
