// The stats poller reads one interface's stored counters per node and tick. In a fleet of 100 nodes,
// PostgreSQL answered that join by hashing all of `peer_stats` (every peer of the fleet) for each
// interface's poll; it must reach an interface's rows through the indexes instead.
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { ownQueryPlan } from "../db/test-support/query-plan.js";
import { insertConfigurationOnNodes, insertPeerSeries } from "../db/test-support/rows.js";
import { countersOfInterfaceQuery, StatsRepository } from "./stats.repository.js";

forEachEngine("stats counters of an interface", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("100 interfaces of 200 peers with counters: one interface's are read without scanning all peer_stats", async () => {
    opened = await open();
    const { db } = opened;
    const { interfaces } = await insertConfigurationOnNodes(db, 100);
    // 20,000 peers spread over the interfaces, every one with stored counters.
    await insertPeerSeries(db, { to: 20_000, interfaces: 100 });
    await sql`insert into peer_stats (peer_id, rx_bytes, tx_bytes, raw_rx, raw_tx, updated_at)
      select id, 1, 2, 1, 2, 'x' from peers`.execute(db);
    await sql`analyze`.execute(db);
    const iface = interfaces[7] as string;
    const plan = await ownQueryPlan(db, engine, countersOfInterfaceQuery(db, iface).compile());
    expect(plan).not.toMatch(/Seq Scan on peer_stats|SCAN s\b/);
    const rows = await new StatsRepository(db).countersOfInterface(iface);
    expect(rows).toHaveLength(200);
    expect(rows.every((row) => row.previous?.rxBytes === 1)).toBe(true);
  });
});
