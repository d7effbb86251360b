// usePeerList against an in-memory stand-in for the API's cursor pages (fetch is replaced; the list
// logic is real): loads every page, then each refresh is exactly one request, and a change in the set
// of peers reloads the list.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { computed, reactive, ref } from "vue";
import type { Peer, PeerPage } from "../api/types.js";
import { FIRST_PAGE_SIZE, PAGE_SIZE, usePeerList } from "./peer-list.js";
import { usePeerTableRows } from "./peer-table-rows.js";
import type { PeerFilters, PeerSort, PeerSortKey } from "./peer-view.js";

function peer(i: number): Peer {
  const name = `peer-${String(i).padStart(5, "0")}`;
  return {
    id: `id-${name}`,
    name,
    description: null,
    contactEmail: null,
    configuration: "corp",
    node: "local",
    interface: "wg0",
    publicKey: `key${i}`,
    addresses: [],
    enabled: true,
    state: "active",
    dns: null,
    clientAllowedIps: [],
    mtu: null,
    keepalive: null,
    expiresAt: null,
    quota: null,
    quotaUsage: null,
    schedule: null,
    suspension: null,
    hasPresharedKey: false,
    configAvailable: true,
    online: false,
    rx: 0,
    tx: 0,
    latestHandshake: null,
    endpoint: null,
    statsUpdatedAt: null,
    createdAt: "",
    updatedAt: "",
  };
}

/** The API's listing: sorted by name, `cursor` = the last name of the previous page. */
class FakePeerApi {
  peers: Peer[];
  requests: URL[] = [];
  constructor(count: number) {
    this.peers = Array.from({ length: count }, (_, i) => peer(i));
  }
  handle(url: URL): PeerPage {
    this.requests.push(url);
    const limit = Number(url.searchParams.get("limit") ?? "100");
    const after = url.searchParams.get("cursor");
    const sorted = [...this.peers].sort((a, b) => (a.name < b.name ? -1 : 1));
    const start = after ? sorted.findIndex((p) => p.name > after) : 0;
    const items = start < 0 ? [] : sorted.slice(start, start + limit);
    const last = items.at(-1);
    const more = start >= 0 && start + limit < sorted.length;
    return {
      items: items.map((p) => ({ ...p })),
      nextCursor: more && last ? last.name : null,
      total: sorted.length,
    };
  }
}

describe("usePeerList", () => {
  let server: FakePeerApi;
  beforeEach(() => {
    server = new FakePeerApi(1234);
    vi.stubGlobal("fetch", async (input: string) => {
      const body = JSON.stringify(server.handle(new URL(input, "http://dashboard")));
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("loads a small first page, then the rest in the API's largest pages", async () => {
    const list = usePeerList(() => "corp");
    await list.load(true);
    expect(list.rows.value.map((p) => p.name)).toEqual(server.peers.map((p) => p.name));
    expect(list.complete.value).toBe(true);
    expect(list.total.value).toBe(1234);
    const limits = server.requests.map((url) => Number(url.searchParams.get("limit")));
    expect(limits).toEqual([FIRST_PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, PAGE_SIZE]);
    expect(server.requests.every((url) => url.pathname === "/api/v1/configurations/corp/peers")).toBe(true);
  });

  it("refreshes with one request per poll, the page of the visible rows first", async () => {
    const list = usePeerList(() => "corp");
    await list.load(true);
    server.requests = [];
    for (const p of server.peers) p.rx = 42;
    const visible = list.rows.value.slice(700, 720).map((p) => p.id);
    await list.refresh(visible);
    expect(server.requests).toHaveLength(1);
    const updated = list.rows.value.filter((p) => p.rx === 42).map((p) => p.name);
    expect(updated).toContain("peer-00700");
    expect(updated).toHaveLength(PAGE_SIZE);
    for (let poll = 0; poll < 8; poll++) await list.refresh(visible);
    expect(server.requests).toHaveLength(9);
    expect(list.rows.value.every((p) => p.rx === 42)).toBe(true); // every page had its turn
  });

  it("reloads when a peer was added or removed elsewhere", async () => {
    const list = usePeerList(() => "corp");
    await list.load(true);
    server.peers.push(peer(99_999));
    server.peers.splice(3, 1);
    await list.refresh([]);
    await vi.waitFor(() =>
      expect(list.rows.value.map((p) => p.name)).toEqual([...server.peers.map((p) => p.name)].sort()),
    );
    expect(list.total.value).toBe(1234);
  });

  it("shows a peer this page created or deleted at once", async () => {
    const list = usePeerList(() => "corp");
    await list.load(true);
    const created = peer(5000);
    list.add(created);
    expect(list.rows.value.at(-1)?.id).toBe(created.id);
    expect(list.total.value).toBe(1235);
    list.remove(created.id);
    list.remove("id-peer-00000");
    expect(list.rows.value).toHaveLength(1233);
    expect(list.rows.value[0]?.name).toBe("peer-00001");
  });

  it("assigns a new rows array on every change, never changes the shown one in place", async () => {
    const list = usePeerList(() => "corp");
    await list.load(true);
    const before = list.rows.value;
    const first = before[0] as Peer;
    for (const p of server.peers) p.rx = 7;
    await list.refresh([first.id]);
    expect(list.rows.value).not.toBe(before);
    expect(before[0]).toBe(first); // the old array still holds what it held
    const afterRefresh = list.rows.value;
    list.replace({ ...first, enabled: false });
    expect(list.rows.value).not.toBe(afterRefresh);
    expect(list.rows.value[0]?.enabled).toBe(false);
  });

  // The table's own pipeline: rows → sort (or none) → filter → the visible slice, as computed values.
  const sorts: Array<PeerSort | null> = [null];
  const keys: PeerSortKey[] = [
    "name",
    "node",
    "addresses",
    "status",
    "latestHandshake",
    "rx",
    "tx",
    "enabled",
  ];
  for (const key of keys) for (const direction of ["asc", "desc"] as const) sorts.push({ key, direction });

  it.each(sorts.map((sort) => [sort ? `${sort.key} ${sort.direction}` : "no sort", sort] as const))(
    "the visible rows follow a refresh and a toggle (%s)",
    async (_label, sortState) => {
      const list = usePeerList(() => "corp");
      await list.load(true);
      const sort = ref<PeerSort | null>(sortState);
      const filters = reactive<PeerFilters>({ search: "", node: "", status: "" });
      const view = usePeerTableRows(list.rows, sort, filters, ref(Date.now()));
      const visible = computed(() => view.value.slice(0, 20));
      /** Whether every visible row is the list's current object for that peer (none left behind). */
      const upToDate = () => {
        const current = new Map(list.rows.value.map((p) => [p.id, p]));
        return visible.value.every((p) => current.get(p.id) === p);
      };
      const shown = visible.value.map((p) => p.id);
      const target = shown[0] as string;
      for (const p of server.peers) {
        p.rx += 1000;
        p.tx += 2000;
        p.latestHandshake = "2026-01-01T00:00:00.000Z";
      }
      await list.refresh(shown);
      expect(upToDate()).toBe(true);
      const peer = view.value.find((p) => p.id === target) as Peer;
      expect(peer.rx).toBe(1000);
      expect(peer.tx).toBe(2000);
      list.replace({ ...peer, enabled: false });
      expect(view.value.find((p) => p.id === target)?.enabled).toBe(false);
      expect(upToDate()).toBe(true);
    },
  );
});
