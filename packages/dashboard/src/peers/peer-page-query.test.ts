// The list's keyset page: every peer once, in (name, id) order, also where names repeat, and the
// cursor served by the (interface_id, name, id) index as a range start — the OR form of the cursor made
// SQLite read the interface's peers from the first on every page (a full read grew with its square).
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import type { Db } from "../db/index.js";
import { queryPlan } from "../db/test-support/query-plan.js";
import { insertInterface, insertPeer } from "../db/test-support/rows.js";
import { InterfaceRepository, type ListedInterface } from "../interfaces/interface.repository.js";
import { type PeerListQuery, PeerRepository, type PeerView, peerPageQuery } from "./peer.repository.js";

async function interfaceRow(db: Db, id: string): Promise<ListedInterface> {
  const row = await new InterfaceRepository(db).findById(id);
  if (!row) throw new Error(`interface ${id} not found`);
  return row;
}

forEachEngine("peer list page", (open, engine) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  const query = (iface: ListedInterface, limit: number, after?: PeerListQuery["after"]): PeerListQuery => ({
    interfaces: [iface],
    onlineSince: "2000-01-01T00:00:00.000Z",
    now: "2000-01-01T00:00:00.000Z",
    limit,
    ...(after ? { after } : {}),
  });

  it("pages through every peer once in (name, id) order, names repeating across a page edge", async () => {
    opened = await open();
    const { db } = opened;
    const iface = await interfaceRow(db, await insertInterface(db));
    const other = await insertInterface(db, { name: "wg9" });
    await insertPeer(db, { interface_id: other, name: "b" });
    for (const name of ["c", "a", "b", "b", "b", "d", "a"])
      await insertPeer(db, { interface_id: iface.id, name });
    const peers = new PeerRepository(db);
    const read: Array<{ name: string; id: string }> = [];
    let after: PeerListQuery["after"];
    for (let pages = 0; pages < 10; pages++) {
      const { items, total } = await peers.list(query(iface, 3, after));
      expect(total).toBe(7);
      read.push(...items.map(({ name, id }) => ({ name, id })));
      for (const item of items) {
        expect(item.interfaceId).toBe(iface.id);
        expect(item.interfaceName).toBe(iface.name);
        expect(item.nodeId).toBe(iface.node_id);
        expect(item.configurationId).toBe(iface.configuration_id);
      }
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
    const iface = await interfaceRow(db, await insertInterface(db));
    for (let i = 0; i < 50; i++) await insertPeer(db, { interface_id: iface.id, name: `peer-${i}` });
    const plan = await queryPlan(
      db,
      engine,
      peerPageQuery(db, query(iface, 10, { name: "peer-3", id: "x" })).compile(),
    );
    if (engine === "sqlite")
      expect(plan).toMatch(/peers_interface_name_idx \(interface_id=\? AND \(name,id\)>\(\?,\?\)\)/);
    else expect(plan).toMatch(/Index Cond: .*ROW\(name, id\) > ROW\(/);
    // The caller has the page's interfaces: the page reads no interface row.
    expect(plan).not.toMatch(/interfaces/);
  });

  it("totals every peer of the listed interfaces without a filter, and the matching ones with one", async () => {
    opened = await open();
    const { db } = opened;
    const first = await interfaceRow(db, await insertInterface(db));
    const second = await interfaceRow(db, await insertInterface(db, { name: "wg8" }));
    const unlisted = await insertInterface(db, { name: "wg9" });
    for (const name of ["a", "b", "c"]) await insertPeer(db, { interface_id: first.id, name });
    const gone = await insertPeer(db, { interface_id: first.id, name: "gone" });
    const moved = await insertPeer(db, { interface_id: unlisted, name: "moved" });
    await insertPeer(db, { interface_id: second.id, name: "off", enabled: 0 });
    await insertPeer(db, { interface_id: unlisted, name: "elsewhere" });
    await db.deleteFrom("peers").where("id", "=", gone).execute();
    await db.updateTable("peers").set({ interface_id: second.id }).where("id", "=", moved).execute();
    const peers = new PeerRepository(db);
    const both = { ...query(first, 2), interfaces: [first, second] };
    expect((await peers.list(both)).total).toBe(5);
    expect((await peers.list(query(second, 2))).total).toBe(2);
    expect((await peers.list({ ...both, status: "disabled" })).total).toBe(1);
    expect((await peers.list({ ...both, search: "moved" })).total).toBe(1);
  });

  it("gives the same view as a single peer's read, field for field", async () => {
    opened = await open();
    const { db } = opened;
    const iface = await interfaceRow(db, await insertInterface(db));
    const id = await insertPeer(db, {
      interface_id: iface.id,
      name: "full",
      private_key_enc: "v1:x",
      dns: '["9.9.9.9"]',
      mtu: 1380,
      keepalive: 25,
      expires_at: "2030-01-01T00:00:00.000Z",
    });
    await db
      .insertInto("peer_stats")
      .values({
        peer_id: id,
        rx_bytes: 5_000_000_000,
        tx_bytes: 7,
        raw_rx: 5_000_000_000,
        raw_tx: 7,
        latest_handshake_at: "2026-01-01T00:00:00.000Z",
        endpoint: "198.51.100.7:51820",
        updated_at: "2026-01-01T00:00:01.000Z",
      })
      .execute();
    const peers = new PeerRepository(db);
    const { items } = await peers.list(query(iface, 10));
    expect(items).toHaveLength(1);
    // The single read's view also carries the driver's 0/1 flag columns; the page's has only the view.
    const { privateKeyFlag, presharedKeyFlag, ...single } = (await peers.findView(id)) as PeerView & {
      privateKeyFlag: unknown;
      presharedKeyFlag: unknown;
    };
    expect(items[0]).toEqual(single);
    expect(items[0]?.hasPrivateKey).toBe(true);
    expect(items[0]?.rxBytes).toBe(5_000_000_000);
  });
});
