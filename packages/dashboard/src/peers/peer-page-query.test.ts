// The list's keyset page: every peer once, in (name, id) order, also where names repeat, and the
// cursor served by the (interface_id, name, id) index as a range start — the OR form of the cursor made
// SQLite read the interface's peers from the first on every page (a full read grew with its square).
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { queryPlan } from "../db/test-support/query-plan.js";
import { insertInterface, insertPeer } from "../db/test-support/rows.js";
import { type PeerListQuery, PeerRepository, peerPageQuery } from "./peer.repository.js";

forEachEngine("peer list page", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  const query = (interfaceId: string, limit: number, after?: PeerListQuery["after"]): PeerListQuery => ({
    interfaceIds: [interfaceId],
    onlineSince: "2000-01-01T00:00:00.000Z",
    now: "2000-01-01T00:00:00.000Z",
    limit,
    ...(after ? { after } : {}),
  });

  it("pages through every peer once in (name, id) order, names repeating across a page edge", async () => {
    opened = await open();
    const { db } = opened;
    const iface = await insertInterface(db);
    const other = await insertInterface(db, { name: "wg9" });
    await insertPeer(db, { interface_id: other, name: "b" });
    for (const name of ["c", "a", "b", "b", "b", "d", "a"])
      await insertPeer(db, { interface_id: iface, name });
    const peers = new PeerRepository(db);
    const read: Array<{ name: string; id: string }> = [];
    let after: PeerListQuery["after"];
    for (let pages = 0; pages < 10; pages++) {
      const { items, total } = await peers.list(query(iface, 3, after));
      expect(total).toBe(7);
      read.push(...items.map(({ name, id }) => ({ name, id })));
      const last = items.at(-1);
      if (items.length < 3 || !last) break;
      after = { name: last.name, id: last.id };
    }
    const expected = [...read].sort((x, y) =>
      x.name === y.name ? (x.id < y.id ? -1 : 1) : x.name < y.name ? -1 : 1,
    );
    expect(read).toEqual(expected);
    expect(new Set(read.map((peer) => peer.id)).size).toBe(7);
    expect(read.map((peer) => peer.name)).toEqual(["a", "a", "b", "b", "b", "c", "d"]);
  });

  it("starts the index range at the cursor", async () => {
    opened = await open();
    const { db } = opened;
    const iface = await insertInterface(db);
    for (let i = 0; i < 50; i++) await insertPeer(db, { interface_id: iface, name: `peer-${i}` });
    const plan = await queryPlan(
      db,
      engine,
      peerPageQuery(db, query(iface, 10, { name: "peer-3", id: "x" })).compile(),
    );
    if (engine === "sqlite")
      expect(plan).toMatch(/peers_interface_name_idx \(interface_id=\? AND \(name,id\)>\(\?,\?\)\)/);
    else expect(plan).toMatch(/Index Cond: .*ROW\(name, id\) > ROW\(/);
  });
});
