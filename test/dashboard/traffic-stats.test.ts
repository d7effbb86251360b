// Traffic statistics against a real wireguard-go interface, on both engines: a client namespace pings
// through the local node; the stats poller stores the bytes as per-interface samples; the traffic
// route's "today" matches what the interface counted (within one poll), "now" shows a rate; the
// interface re-created (counters back to zero) adds only the new bytes; the local node's health is
// stored; a viewer may read the route and an anonymous caller may not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import { forEachEngine } from "../support/databases.js";
import { bringUpClient, createNamespace, ping, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

interface Bytes {
  rx: number;
  tx: number;
}

describe.skipIf(skip)("traffic statistics on the local node", () => {
  forEachEngine("traffic statistics", (open) => {
    let f: LocalNodeFixture;
    let client: TestNamespace | undefined;
    const todayStart = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    const route = `/api/v1/stats/traffic?todayStart=${encodeURIComponent(todayStart)}`;

    /** What the interface counted for all its peers (`wg show NAME transfer`). */
    async function interfaceCounters(): Promise<Bytes> {
      const { stdout } = await f.server.exec("wg", ["show", f.name, "transfer"]);
      return stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .reduce(
          (sum, line) => {
            const [, rx, tx] = line.split("\t");
            return { rx: sum.rx + Number(rx), tx: sum.tx + Number(tx) };
          },
          { rx: 0, tx: 0 },
        );
    }

    async function today(): Promise<Bytes> {
      const answer = await f.api("GET", route);
      expect(answer.status).toBe(200);
      const { rxBytes, txBytes } = answer.json().today;
      return { rx: rxBytes, tx: txBytes };
    }

    async function samples() {
      return f.t.context.db.selectFrom("traffic_samples").selectAll().execute();
    }

    /** The stored samples add up to exactly the peers' stored totals (the peers were made here). */
    async function expectSamplesMatchPeerTotals(): Promise<void> {
      const rows = await samples();
      for (const row of rows) {
        expect(Number(row.rx_bytes)).toBeGreaterThanOrEqual(0);
        expect(Number(row.tx_bytes)).toBeGreaterThanOrEqual(0);
      }
      const stats = await f.t.context.db.selectFrom("peer_stats").select(["rx_bytes", "tx_bytes"]).execute();
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      expect(sum(rows.map((r) => Number(r.rx_bytes)))).toBe(sum(stats.map((s) => Number(s.rx_bytes))));
      expect(sum(rows.map((r) => Number(r.tx_bytes)))).toBe(sum(stats.map((s) => Number(s.tx_bytes))));
    }

    /** Polls once; the counters read just before and just after bound what the poll saw. */
    async function pollBetween(): Promise<{ before: Bytes; after: Bytes }> {
      const before = await interfaceCounters();
      await f.t.context.services.stats.pollOnce();
      return { before, after: await interfaceCounters() };
    }

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const peer = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "traffic" });
      if (peer.status !== 201) throw new Error(`peer: ${peer.status} ${peer.body}`);
      const config = await f.api("GET", `/api/v1/peers/${peer.json().id}/config`);
      client = await createNamespace("dtc");
      await bringUpClient(client, config.body, uniqueName("dtc", 15));
    });

    afterAll(async () => {
      await client?.destroy();
      await f?.close();
    });

    it("stores the tunnel's bytes as one sample per interface and minute; today matches the interface's counters", async () => {
      expect(await ping(client as TestNamespace, "198.51.100.1", { count: 5, timeoutSec: 10 })).toBe(true);
      const { before, after } = await pollBetween();
      const counted = await today();
      expect(counted.rx).toBeGreaterThan(5 * 84); // five ICMP echo requests, at least
      expect(counted.rx).toBeGreaterThanOrEqual(before.rx);
      expect(counted.rx).toBeLessThanOrEqual(after.rx);
      expect(counted.tx).toBeGreaterThanOrEqual(before.tx);
      expect(counted.tx).toBeLessThanOrEqual(after.tx);
      const rows = await samples();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ node_id: "local" });
      await expectSamplesMatchPeerTotals();
    });

    it("shows traffic now as a rate between two polls, overall and for the node", async () => {
      expect(await ping(client as TestNamespace, "198.51.100.1", { count: 3, timeoutSec: 10 })).toBe(true);
      await f.t.context.services.stats.pollOnce();
      const answer = (await f.api("GET", `${route}&node=local&series=true`)).json();
      expect(answer.now.rxBytesPerSecond).toBeGreaterThan(0);
      expect(answer.now.txBytesPerSecond).toBeGreaterThan(0);
      expect(answer.nodes).toEqual([{ nodeId: "local", now: answer.now, today: answer.today }]);
      const seriesRx = answer.series.reduce((sum: number, p: { rxBytes: number }) => sum + p.rxBytes, 0);
      expect(seriesRx).toBe(answer.today.rxBytes);
      expect(answer.measuredAt).not.toBeNull();
    });

    it("adds only the new bytes after the interface is re-created (counters reset): never negative or twice", async () => {
      const earlier = await today();
      await f.server.exec("ip", ["link", "delete", "dev", f.name]);
      await startDomainServices(f.t.context.services);
      // The client notices the lost session after WireGuard's keepalive + rekey timeouts, then handshakes again.
      expect(await ping(client as TestNamespace, "198.51.100.1", { count: 1, timeoutSec: 40 })).toBe(true);
      expect(await ping(client as TestNamespace, "198.51.100.1", { count: 3, timeoutSec: 10 })).toBe(true);
      const { before, after } = await pollBetween();
      // The interface counts from zero again: its raw counters are below the stored totals.
      const raw = await f.t.context.db.selectFrom("peer_stats").select(["raw_rx", "rx_bytes"]).execute();
      expect(raw.every((r) => Number(r.raw_rx) < Number(r.rx_bytes))).toBe(true);
      const counted = await today();
      expect(counted.rx).toBeGreaterThanOrEqual(earlier.rx + before.rx);
      expect(counted.rx).toBeLessThanOrEqual(earlier.rx + after.rx);
      expect(counted.tx).toBeGreaterThanOrEqual(earlier.tx + before.tx);
      expect(counted.tx).toBeLessThanOrEqual(earlier.tx + after.tx);
      await expectSamplesMatchPeerTotals();
    });

    it("stores the local node's health report, so the node list shows it", async () => {
      await f.t.context.services.stats.pollOnce();
      const [local] = (await f.api("GET", "/api/v1/nodes")).json().items;
      expect(local.id).toBe("local");
      expect(local.lastSeenAt).not.toBeNull();
      expect(local.lastHealth).toMatchObject({ protocol: "v1", hostname: expect.any(String) });
      const iface = local.lastHealth.interfaces.find((i: { name: string }) => i.name === f.name);
      expect(iface).toMatchObject({ up: true, peerCount: 1 });
      expect(iface.rxBytes).toBeGreaterThan(0);
    });

    it("lets a viewer read it; no credentials is 401", async () => {
      const viewer = await f.t.createUser("viewer");
      const read = await f.t.app.inject({
        method: "GET",
        url: route,
        headers: f.t.bearer(await f.t.apiKeyFor(viewer)),
      });
      expect(read.statusCode).toBe(200);
      expect(read.json().today.rxBytes).toBeGreaterThan(0);
      expect((await f.t.app.inject({ method: "GET", url: route })).statusCode).toBe(401);
    });
  });
});
