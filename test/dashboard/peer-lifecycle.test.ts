// The whole life of a peer against a real wireguard-go interface in a namespace, on both engines:
// create → live with a /32; disable → gone, address kept; enable → back; delete → gone, address free
// for the next peer. A client namespace brings up the downloaded config and pings the gateway.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import { eventually } from "../fleet/wait.js";
import { forEachEngine } from "../support/databases.js";
import { bringUpClient, createNamespace, ping, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("peer lifecycle on the local node", () => {
  forEachEngine("peer lifecycle", (open) => {
    let f: LocalNodeFixture;
    let client: TestNamespace | undefined;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
    });

    afterAll(async () => {
      await client?.destroy();
      await f?.close();
    });

    const allocations = async (peerId: string) =>
      f.t.context.db
        .selectFrom("ip_allocations")
        .select(["address", "pool"])
        .where("peer_id", "=", peerId)
        .execute();

    it("puts the configuration on the local node: the interface is up with the gateway address", async () => {
      const got = await f.api("GET", `/api/v1/configurations/${f.name}`);
      expect(got.status).toBe(200);
      const [iface] = got.json().interfaces;
      expect(iface).toMatchObject({
        nodeId: "local",
        name: f.name,
        addresses: ["198.51.100.1/24"],
        peerCount: 0,
      });
      const addr = await f.server.exec("ip", ["-o", "address", "show", "dev", f.name]);
      expect(addr.stdout).toContain("198.51.100.1/24");
      const dump = await f.wg();
      expect(dump.raw.split("\n")[0]?.split("\t")[1]).toBe(iface.publicKey);
    });

    let peerId = "";
    let publicKey = "";

    it("creates a peer: in wg show with a /32 of the pool, active, first address after the gateway", async () => {
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "alice phone" });
      expect(created.status).toBe(201);
      const peer = created.json();
      expect(peer).toMatchObject({
        name: "alice phone",
        node: "local",
        interface: f.name,
        addresses: ["198.51.100.2/32"],
        enabled: true,
        state: "active",
        hasPresharedKey: true,
      });
      peerId = peer.id;
      publicKey = peer.publicKey;
      expect((await f.wg()).peers.get(publicKey)).toEqual(["198.51.100.2/32"]);
    });

    it("hands out the client config and a client namespace pings the gateway through the tunnel", async () => {
      const config = await f.api("GET", `/api/v1/peers/${peerId}/config`);
      expect(config.status).toBe(200);
      expect(config.headers["content-type"]).toMatch(/^text\/plain/);
      expect(config.headers["content-disposition"]).toBe('attachment; filename="alice_phone.conf"');
      expect(config.body).toContain("Address = 198.51.100.2/32");
      expect(config.body).toContain(`Endpoint = ${f.server.nsAddress}:${f.listenPort}`);
      const qr = await f.api("GET", `/api/v1/peers/${peerId}/qr.svg`);
      expect(qr.status).toBe(200);
      expect(qr.headers["content-type"]).toMatch(/^image\/svg\+xml/);
      expect(qr.body).toContain("<svg");

      client = await createNamespace("dbc");
      await bringUpClient(client, config.body, uniqueName("dbc", 15));
      expect(await ping(client, "198.51.100.1", { count: 2, timeoutSec: 5 })).toBe(true);
    });

    it("polls live stats into the peer: traffic, handshake, endpoint, online", async () => {
      await f.t.context.services.stats.pollOnce();
      const peer = (await f.api("GET", `/api/v1/peers/${peerId}`)).json();
      expect(peer.rx).toBeGreaterThan(0);
      expect(peer.tx).toBeGreaterThan(0);
      expect(peer.latestHandshake).not.toBeNull();
      expect(peer.endpoint).toMatch(new RegExp(`^${client?.nsAddress.replace(/\./g, "\\.")}:\\d+$`));
      expect(peer.online).toBe(true);
      const online = await f.api("GET", `/api/v1/configurations/${f.name}/peers?status=online`);
      expect(online.json().items.map((p: { id: string }) => p.id)).toEqual([peerId]);
      expect((await f.api("GET", `/api/v1/configurations/${f.name}/peers?status=offline`)).json().total).toBe(
        0,
      );
    });

    it("repairs a deleted interface at start-up, and the traffic totals survive the counter reset", async () => {
      const before = (await f.api("GET", `/api/v1/peers/${peerId}`)).json();
      await f.server.exec("ip", ["link", "delete", "dev", f.name]);
      // wireguard-go answers `wg show` until it notices its TUN device is gone, a few ms later.
      await eventually(async () => (await f.wg()).raw === "", "wireguard-go gone with its link", {
        timeoutMs: 10_000,
        intervalMs: 20,
      });
      const report = await startDomainServices(f.t.context.services);
      expect(report).toMatchObject({ interfaces: 1, failures: 0 });
      expect((await f.wg()).peers.get(publicKey)).toEqual(["198.51.100.2/32"]);
      // The recreated interface counts from zero; the stored totals keep growing. The client notices the
      // lost session only after WireGuard's keepalive + rekey timeouts (15 s), then handshakes again.
      expect(await ping(client as TestNamespace, "198.51.100.1", { count: 1, timeoutSec: 40 })).toBe(true);
      await f.t.context.services.stats.pollOnce();
      const after = (await f.api("GET", `/api/v1/peers/${peerId}`)).json();
      expect(after.rx).toBeGreaterThan(before.rx);
      expect(after.tx).toBeGreaterThan(before.tx);
      const raw = await f.t.context.db
        .selectFrom("peer_stats")
        .selectAll()
        .where("peer_id", "=", peerId)
        .executeTakeFirstOrThrow();
      expect(Number(raw.raw_rx)).toBeLessThan(after.rx);
    });

    it("disables: gone from wg show, address kept", async () => {
      const disabled = await f.api("POST", `/api/v1/peers/${peerId}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.json()).toMatchObject({ enabled: false, addresses: ["198.51.100.2/32"] });
      expect((await f.wg()).peers.has(publicKey)).toBe(false);
      expect(await allocations(peerId)).toEqual([{ address: "198.51.100.2", pool: "198.51.100.0/24" }]);
      // The kept address is not handed to anyone else meanwhile.
      const other = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "bob" });
      expect(other.json().addresses).toEqual(["198.51.100.3/32"]);
      expect((await f.api("DELETE", `/api/v1/peers/${other.json().id}`)).status).toBe(204);
    });

    it("enables: back in wg show with the same /32", async () => {
      const enabled = await f.api("POST", `/api/v1/peers/${peerId}/enable`);
      expect(enabled.status).toBe(200);
      expect(enabled.json()).toMatchObject({ enabled: true, addresses: ["198.51.100.2/32"] });
      expect((await f.wg()).peers.get(publicKey)).toEqual(["198.51.100.2/32"]);
    });

    it("edits client-side fields without touching the node", async () => {
      const before = await f.wg();
      const edited = await f.api("PATCH", `/api/v1/peers/${peerId}`, {
        name: "alice laptop",
        mtu: 1380,
        keepalive: 25,
      });
      expect(edited.status).toBe(200);
      expect(edited.json()).toMatchObject({ name: "alice laptop", mtu: 1380, keepalive: 25 });
      expect((await f.wg()).peers).toEqual(before.peers);
      const config = await f.api("GET", `/api/v1/peers/${peerId}/config`);
      expect(config.body).toContain("MTU = 1380");
      expect(config.body).toContain("PersistentKeepalive = 25");
    });

    it("moves a peer to another address: the node follows, the old address is free", async () => {
      const moved = await f.api("PATCH", `/api/v1/peers/${peerId}`, { addresses: ["198.51.100.50"] });
      expect(moved.status).toBe(200);
      expect(moved.json().addresses).toEqual(["198.51.100.50/32"]);
      expect((await f.wg()).peers.get(publicKey)).toEqual(["198.51.100.50/32"]);
      expect(await allocations(peerId)).toEqual([{ address: "198.51.100.50", pool: "198.51.100.0/24" }]);
      const back = await f.api("PATCH", `/api/v1/peers/${peerId}`, { addresses: ["198.51.100.2/32"] });
      expect(back.json().addresses).toEqual(["198.51.100.2/32"]);
      expect((await f.wg()).peers.get(publicKey)).toEqual(["198.51.100.2/32"]);
    });

    it("deletes: gone from wg show, address free for the next peer", async () => {
      expect((await f.api("DELETE", `/api/v1/peers/${peerId}`)).status).toBe(204);
      expect((await f.wg()).peers.has(publicKey)).toBe(false);
      expect(await allocations(peerId)).toEqual([]);
      expect((await f.api("GET", `/api/v1/peers/${peerId}`)).status).toBe(404);
      const next = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "carol",
        node: "local",
      });
      expect(next.status).toBe(201);
      expect(next.json().addresses).toEqual(["198.51.100.2/32"]);
      expect((await f.wg()).peers.get(next.json().publicKey)).toEqual(["198.51.100.2/32"]);
    });

    it("lists the local node with its status, peer count and pool usage", async () => {
      const nodes = await f.api("GET", "/api/v1/nodes");
      expect(nodes.status).toBe(200);
      const [local] = nodes.json().items;
      expect(local).toMatchObject({ id: "local", status: "online", peerCount: 1 });
      expect(local.pools).toEqual([
        expect.objectContaining({ cidr: "198.51.100.0/24", total: 253, allocated: 1, available: 252 }),
      ]);
      const enabled = await f.api("GET", "/api/nodes/enabled");
      expect(enabled.json()).toEqual([
        {
          id: "local",
          name: expect.any(String),
          status: "online",
          activePeers: 1,
          maxPeers: expect.any(Number),
          weight: 100,
        },
      ]);
      const pools = await f.api("GET", "/api/v1/nodes/local/pools");
      expect(pools.json().items[0]).toMatchObject({ cidr: "198.51.100.0/24", allocated: 1 });
    });

    it("deletes the configuration: refused while it has peers, forced takes the interface off the node", async () => {
      const refused = await f.api("DELETE", `/api/v1/configurations/${f.name}`);
      expect(refused.status).toBe(409);
      expect(refused.json().error.field).toBe("force");
      expect((await f.api("DELETE", `/api/v1/configurations/${f.name}?force=true`)).status).toBe(204);
      expect((await f.wg()).raw).toBe("");
      const db = f.t.context.db;
      expect(await db.selectFrom("interfaces").select("id").execute()).toEqual([]);
      expect(await db.selectFrom("peers").select("id").execute()).toEqual([]);
      expect(await db.selectFrom("ip_allocations").select("address").execute()).toEqual([]);
      expect((await f.api("GET", `/api/v1/configurations/${f.name}`)).status).toBe(404);
    });
  });
});
