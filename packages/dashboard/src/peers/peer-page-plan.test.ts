// A list page must walk the (name, id) index whatever the engine's statistics say. After a bulk load,
// PostgreSQL plans with statistics taken while the table was small (autovacuum analyzes again only
// about a minute later): a page query that depended on them would sort every peer of the
// configuration for each page until then.
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { ownQueryPlan } from "../db/test-support/query-plan.js";
import { insertConfigurationOnNodes, insertPeerSeries } from "../db/test-support/rows.js";
import { InterfaceRepository, type ListedInterface } from "../interfaces/interface.repository.js";
import { type PeerListQuery, PeerRepository, peerPageQuery } from "./peer.repository.js";

const INTERFACES = 20;
const ANALYZED_AT = 300;
const PEERS = 40_000;

forEachEngine("peer list page with statistics from before a bulk load", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("pages within and beyond the analyzed names walk the name index, sorting nothing", async () => {
    opened = await open();
    const { db } = opened;
    const { interfaces: ids } = await insertConfigurationOnNodes(db, INTERFACES);
    // Named n100000…: fixed width, so name order is n's order.
    const series = { interfaces: INTERFACES, namePrefix: "n", nameOffset: 100_000 };
    await insertPeerSeries(db, { ...series, to: ANALYZED_AT });
    await sql`analyze`.execute(db);
    await insertPeerSeries(db, { ...series, from: ANALYZED_AT, to: PEERS });
    await sql`insert into peer_stats (peer_id, rx_bytes, tx_bytes, raw_rx, raw_tx, updated_at)
      select id, 1, 2, 1, 2, 'x' from peers`.execute(db);
    const repository = new InterfaceRepository(db);
    const interfaces = await Promise.all(ids.map((id) => repository.findById(id)));
    const query = (after: number): PeerListQuery => ({
      interfaces: interfaces as ListedInterface[],
      onlineSince: "2000-01-01T00:00:00.000Z",
      now: "2000-01-01T00:00:00.000Z",
      limit: 100,
      after: { name: `n${100000 + after}`, id: `peer-${after}` },
    });
    // One cursor inside the names the statistics know, one far beyond them.
    for (const after of [99, 30_000]) {
      const plan = await ownQueryPlan(db, engine, peerPageQuery(db, query(after)).compile());
      expect(plan, `after ${after}`).not.toMatch(/\bSort\b|Hash Join|Seq Scan on peers|TEMP B-TREE/);
      const { items, total } = await new PeerRepository(db).list(query(after));
      expect(total).toBe(PEERS);
      expect(items.map((item) => item.name)).toEqual(
        Array.from({ length: 100 }, (_, i) => `n${100000 + after + 1 + i}`),
      );
    }
  });
});
