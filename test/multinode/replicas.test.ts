// Issue 5 acceptance, two dashboards: two `wgfleet serve` processes on one PostgreSQL database (the
// same at-rest key), 100 concurrent creations split between them onto one real agent. Only the
// database's unique (pool, address) key and its row locks keep the two processes apart, so this is
// the test that in-process locking is not all there is: 100 distinct addresses, every peer live on
// the node with exactly its /32, and both dashboards agree.
import { beforeAll, describe, expect, it } from "vitest";
import type { FleetApi } from "../fleet/harness.js";
import { replicaFleetSkipReason, useReplicaFleet } from "./replica-fleet.js";
import {
  type ApiPeer,
  apiError,
  countBy,
  createConfiguration,
  fastHealthEnv,
  ipv4ToNumber,
  listPeers,
  liveAllowedIps,
  placeConfiguration,
  poolOf,
  postPeer,
  requireId,
  waitNodesOnline,
} from "./support.js";

const skip = replicaFleetSkipReason();
const NAME = "mpboth";
const PORT = 51840;
/** 126 usable addresses: room for 100 peers. Gateway .1, broadcast .127. */
const POOL = "198.51.100.0/25";
const CREATIONS = 100;

describe.skipIf(skip)("two dashboards on one PostgreSQL database, one real agent (issue 5)", () => {
  const started = useReplicaFleet({ nodes: 1, prefix: "mp", dashboard: { env: fastHealthEnv() } });
  const current = () => started().fleet;

  beforeAll(async () => {
    const fleet = current();
    await fleet.registerNodes({ maxPeers: 1_000 });
    await createConfiguration(fleet.api, NAME, ["198.51.100.0/24"]);
    await placeConfiguration(fleet, NAME, [{ node: fleet.node(0), pool: POOL, listenPort: PORT }]);
    // The second replica: same database, same at-rest key (the harness shares WGFLEET_SECRET_KEY).
    await fleet.addDashboard();
    for (const api of apis()) await waitNodesOnline(api, [fleet.node(0)]);
  }, 300_000);

  /** The API of each dashboard, as its own admin API key (both keys live in the shared database). */
  function apis(): [FleetApi, FleetApi] {
    const [first, second] = current().dashboards;
    if (!first || !second) throw new Error("the fleet has fewer than two dashboards");
    return [first.api(), second.api()];
  }

  it("runs two processes on one database with the same secret key", () => {
    const [first, second] = current().dashboards;
    expect(first?.running && second?.running).toBe(true);
    expect(first?.pid).not.toBe(second?.pid);
    expect(first?.url).not.toBe(second?.url);
    expect(first?.options.env?.WGFLEET_SECRET_KEY).toBeTruthy();
    expect(second?.options.env?.WGFLEET_SECRET_KEY).toBe(first?.options.env?.WGFLEET_SECRET_KEY);
  });

  it("100 concurrent creations split between the two land on the node with 100 distinct addresses", async () => {
    const fleet = current();
    const node = fleet.node(0);
    const [a, b] = apis();
    const answers = await Promise.all(
      Array.from({ length: CREATIONS }, (_, i) =>
        postPeer(i % 2 === 0 ? a : b, NAME, {
          name: `replica-${i}`,
          node: i % 4 < 2 ? requireId(node) : "auto",
        }),
      ),
    );
    const failed = answers.filter((answer) => answer.status !== 201);
    expect(
      failed.map((answer) => `${answer.status} ${apiError(answer)?.code}: ${apiError(answer)?.message}`),
    ).toEqual([]);
    const peers = answers.map((answer) => answer.json as ApiPeer);
    expect(Object.fromEntries(countBy(peers, (peer) => peer.node))).toEqual({ [requireId(node)]: CREATIONS });

    const addresses = peers.flatMap((peer) => peer.addresses);
    expect(addresses).toHaveLength(CREATIONS);
    expect(new Set(addresses).size).toBe(CREATIONS);
    const base = ipv4ToNumber(POOL);
    for (const address of addresses) {
      expect(address).toMatch(/\/32$/);
      const offset = ipv4ToNumber(address) - base;
      expect(offset, address).toBeGreaterThanOrEqual(2);
      expect(offset, address).toBeLessThanOrEqual(126);
    }

    // Every peer live on the node with exactly its address, and nothing else there.
    const live = await liveAllowedIps(node.ns, node.interfaceName(0));
    expect(live.size).toBe(CREATIONS);
    for (const peer of peers) expect(live.get(peer.publicKey), peer.name).toEqual(peer.addresses);

    // Both dashboards list the same 100 active peers.
    for (const api of [a, b]) {
      const listed = await listPeers(api, NAME);
      expect(listed).toHaveLength(CREATIONS);
      expect(listed.every((peer) => peer.state === "active")).toBe(true);
      expect(new Set(listed.map((peer) => peer.id))).toEqual(new Set(peers.map((peer) => peer.id)));
    }
  });

  it("both dashboards report the node's pool usage as the database has it (100 allocated)", async () => {
    const node = current().node(0);
    for (const [which, api] of apis().entries()) {
      const pool = await poolOf(api, requireId(node), node.interfaceName(0));
      expect(pool.total, `dashboard ${which + 1}`).toBe(125);
      expect(pool.allocated, `dashboard ${which + 1}`).toBe(CREATIONS);
      expect(pool.available, `dashboard ${which + 1}`).toBe(125 - CREATIONS);
    }
  });

  it("a peer created through one dashboard is deleted through the other, and its address is free for both", async () => {
    const fleet = current();
    const node = fleet.node(0);
    const [a, b] = apis();
    const created = (await postPeer(a, NAME, { name: "cross", node: requireId(node) })).json as ApiPeer;
    expect(created.addresses).toHaveLength(1);
    await b.expect("DELETE", `/api/v1/peers/${created.id}`, undefined, [200, 204]);
    expect((await liveAllowedIps(node.ns, node.interfaceName(0))).has(created.publicKey)).toBe(false);
    // The first dashboard must not hand out a stale in-memory view of the pool: the address is free.
    const again = await postPeer(a, NAME, {
      name: "cross-again",
      node: requireId(node),
      addresses: created.addresses,
    });
    expect(again.status, again.text).toBe(201);
    expect((again.json as ApiPeer).addresses).toEqual(created.addresses);
  });
});
