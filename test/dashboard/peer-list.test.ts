// The peer list on both engines with 1,200 peers: keyset pages of (name, id) that cover every peer
// exactly once in order (duplicate names included), search by name (any case), address and public-key
// prefix with LIKE wildcards taken literally, node and status filters, totals, and bad queries → 400.
// Read-only: rows are written straight into the tables, no node is involved.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../packages/dashboard/src/http/test-support/test-app.js";
import { forEachEngine } from "../support/databases.js";
import { CONFIGURATION, type SeededPeer, seedPeers } from "./seed-peers.js";

const PEERS = 1_200;

const byNameThenId = (a: SeededPeer, b: SeededPeer) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

forEachEngine("peer list", (open) => {
  let t: TestApp;
  let peers: SeededPeer[];

  beforeAll(async () => {
    t = await createTestApp(await open());
    peers = await seedPeers(t.context.db, PEERS);
  });

  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: string) => {
    const answer = await t.app.inject({
      method: "GET",
      url: `/api/v1/configurations/${CONFIGURATION}/peers?${query}`,
      headers: t.bearer(t.adminKey),
    });
    return { status: answer.statusCode, body: answer.json() };
  };

  it("pages through every peer exactly once, in (name, id) order, with the total on each page", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(PEERS);
      seen.push(...page.body.items.map((p: { id: string }) => p.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(12);
    expect(seen).toEqual([...peers].sort(byNameThenId).map((p) => p.id));
  });

  it("searches names in any case, with % and _ taken literally", async () => {
    const alice = await list("search=alice-LAPTOP");
    expect(alice.body.items.map((p: { name: string }) => p.name)).toEqual(["Alice-Laptop"]);
    const percent = await list(`search=${encodeURIComponent("0%_")}`);
    expect(percent.body.total).toBe(1);
    expect(percent.body.items[0].name).toBe("100%_sure");
    const dup = await list("search=dup&limit=500");
    // "dup" is also a public-key prefix search: a random key starting with "dup" matches too.
    const dups = peers.filter((p) => p.name.toLowerCase().includes("dup") || p.publicKey.startsWith("dup"));
    expect(dup.body.total).toBe(dups.length);
  });

  it("searches by address and by public-key prefix", async () => {
    const target = peers[321] as SeededPeer;
    const byAddress = await list(`search=${encodeURIComponent(target.address.replace("/128", ""))}`);
    expect(byAddress.body.items.map((p: { id: string }) => p.id)).toContain(target.id);
    const byKey = await list(`search=${encodeURIComponent(target.publicKey.slice(0, 12))}`);
    expect(byKey.body.items.map((p: { id: string }) => p.id)).toEqual([target.id]);
  });

  it("filters by status and node, and pages within a filter", async () => {
    const expectTotal = async (status: string, predicate: (p: SeededPeer) => boolean) => {
      expect((await list(`status=${status}&limit=1`)).body.total, status).toBe(
        peers.filter(predicate).length,
      );
    };
    await expectTotal("enabled", (p) => p.enabled);
    await expectTotal("disabled", (p) => !p.enabled);
    await expectTotal("online", (p) => p.online);
    await expectTotal("offline", (p) => !p.online);
    expect((await list("node=local&limit=1")).body.total).toBe(PEERS);
    expect((await list("node=elsewhere")).body).toEqual({ items: [], nextCursor: null, total: 0 });
    const first = await list("status=disabled&limit=100");
    const second = await list(
      `status=disabled&limit=100&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    const ids = [...first.body.items, ...second.body.items].map((p: { id: string }) => p.id);
    expect(ids).toEqual(
      peers
        .filter((p) => !p.enabled)
        .sort(byNameThenId)
        .slice(0, 200)
        .map((p) => p.id),
    );
  });

  it("answers 400 naming the parameter for a bad limit, status or cursor; 404 for an unknown configuration", async () => {
    expect((await list("limit=501")).body.error.field).toBe("limit");
    expect((await list("limit=0")).body.error.field).toBe("limit");
    expect((await list("status=sleeping")).body.error.field).toBe("status");
    expect((await list("cursor=not-a-cursor")).body.error.field).toBe("cursor");
    expect((await list("sort=name")).status).toBe(400);
    const missing = await t.app.inject({
      method: "GET",
      url: "/api/v1/configurations/nope/peers",
      headers: t.bearer(t.adminKey),
    });
    expect(missing.statusCode).toBe(404);
  });
});
