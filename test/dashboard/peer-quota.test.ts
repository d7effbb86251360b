// Traffic quotas on the dashboard's side, against a real wireguard-go local node on both engines: the
// quota checked (a 400 naming the field, nothing created), stored with its defaults, sent to the node
// as a budget, counted from real tunnel traffic by the stats round, and acted on by the quota job that
// runs after each round — the warning once per period, `suspend` (the node takes the peer off and
// reports it), a new period on a moved clock (the peer comes back), `disable`, `delete` — and the
// fleet-wide attention list. Usage beyond what a ping moves is written into the counters directly, as
// the stats round would: the real counting is asserted separately, and end to end in
// test/e2e/peer-quota.test.ts.
import type { InterfaceState, PeerQuota } from "@wgfleet/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../packages/dashboard/src/clock.js";
import { forEachEngine } from "../support/databases.js";
import { bringUpClient, createNamespace, ping, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const DAY_MS = 86_400_000;

/** Whether the gateway answers a ping within `ms` (the client re-handshakes after the peer's return). */
async function pingsWithin(client: TestNamespace, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) if (await ping(client, "198.51.100.1", { count: 1, timeoutSec: 2 })) return true;
  return false;
}

describe.skipIf(skip)("traffic quotas on the local node", () => {
  forEachEngine("peer quotas", (open) => {
    let f: LocalNodeFixture;
    let client: TestNamespace | undefined;
    let offset = 0;
    const clock: Clock = { now: () => Date.now() + offset };
    /** The domain events the dashboard published (what webhooks would be sent). */
    const published: Array<{ type: string; data: object }> = [];
    const publishedFor = (peerId: string, type: string) =>
      published.filter((e) => e.type === type && "peerId" in e.data && e.data.peerId === peerId);

    beforeAll(async () => {
      f = await openLocalNode(await open(), { clock });
      f.t.context.services.events.subscribe("test", (event) => {
        published.push(event);
      });
      await setUpConfiguration(f, { timeZone: "Europe/Berlin" });
    });

    afterAll(async () => {
      await client?.destroy();
      await f?.close();
    });

    const db = () => f.t.context.db;
    const desired = async (): Promise<InterfaceState> => {
      const row = await db()
        .selectFrom("interfaces")
        .selectAll()
        .where("name", "=", f.name)
        .executeTakeFirstOrThrow();
      return f.t.context.services.interfaces.desiredState(row);
    };
    const budgetOf = async (publicKey: string) =>
      (await desired()).peers.find((p) => p.publicKey === publicKey)?.access?.budget;
    const peer = async (id: string) => (await f.api("GET", `/api/v1/peers/${id}`)).json();
    const events = async (id: string) =>
      (await f.api("GET", `/api/v1/peers/${id}/lifecycle`)).json().events as Array<{
        kind: string;
        rule: string;
      }>;
    /** Makes the period have used this much: its count starts that far below the peer's stored totals. */
    const setUsed = (id: string, usedRx: number, usedTx = 0) => {
      const total = (column: "rx_bytes" | "tx_bytes") =>
        sql<number>`coalesce((select ${sql.ref(column)} from peer_stats where peer_id = ${id}), 0)`;
      return db()
        .updateTable("peer_quotas")
        .set({
          start_rx: sql`${total("rx_bytes")} - ${usedRx}`,
          start_tx: sql`${total("tx_bytes")} - ${usedTx}`,
        })
        .where("peer_id", "=", id)
        .execute();
    };
    const create = async (name: string, quota: PeerQuota | null, extra: Record<string, unknown> = {}) => {
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name,
        quota,
        ...extra,
      });
      expect(created.status, created.body).toBe(201);
      return created.json() as { id: string; publicKey: string; quota: unknown; quotaUsage: any };
    };

    it("refuses a quota that makes no sense with a 400 naming the field, and creates nothing", async () => {
      const before = await db().selectFrom("peers").select("id").execute();
      const zero = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "zero",
        quota: { bytes: 0, period: "daily" },
      });
      expect(zero.status).toBe(400);
      expect(zero.json().error.field).toBe("quota.bytes");
      const day = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "day 30",
        quota: { bytes: 1000, period: "monthly", resetDay: 30 },
      });
      expect(day.status).toBe(400);
      expect(day.json().error.field).toBe("quota.resetDay");
      expect(await db().selectFrom("peers").select("id").execute()).toEqual(before);
      expect(await db().selectFrom("peer_quotas").select("peer_id").execute()).toEqual([]);
    });

    let id = "";
    let publicKey = "";

    it("stores the quota with its defaults, starts the period at local midnight, and sends the node the budget", async () => {
      const created = await create("metered", { bytes: 1_000_000, period: "daily", warnAtPercent: 50 });
      id = created.id;
      publicKey = created.publicKey;
      expect(created.quota).toEqual({
        bytes: 1_000_000,
        period: "daily",
        resetDay: 0,
        counting: "total",
        action: "suspend",
        warnAtPercent: 50,
      });
      expect(created.quotaUsage).toMatchObject({ usedBytes: 0, percent: 0 });
      // A day in Berlin: 22:00 or 23:00 UTC, 23 to 25 hours long.
      const start = Date.parse(created.quotaUsage.periodStart);
      const end = Date.parse(created.quotaUsage.periodEnd);
      expect(start).toBeLessThanOrEqual(Date.now());
      expect(end).toBeGreaterThan(Date.now());
      expect([22, 23]).toContain(new Date(start).getUTCHours());
      expect(end - start).toBeGreaterThanOrEqual(23 * 3_600_000);
      expect(end - start).toBeLessThanOrEqual(25 * 3_600_000);
      expect(await peer(id)).toMatchObject({ quota: created.quota, quotaUsage: created.quotaUsage });
      expect(await budgetOf(publicKey)).toMatchObject({ bytesLeft: 1_000_000, counting: "total" });
    });

    it("counts the tunnel's real traffic into the period", async () => {
      const config = await f.api("GET", `/api/v1/peers/${id}/config`);
      client = await createNamespace("dbq");
      await bringUpClient(client, config.body, uniqueName("dbq", 15));
      expect(await ping(client, "198.51.100.1", { count: 3, timeoutSec: 5 })).toBe(true);
      await f.t.context.services.stats.pollOnce();
      const after = await peer(id);
      expect(after.rx + after.tx).toBeGreaterThan(0);
      // The quota began with the peer, so it counted everything the peer moved.
      expect(after.quotaUsage.usedBytes).toBe(after.rx + after.tx);
    });

    it("keeps what the period used when the budget changes, and gives the node a fresh budget for the rest", async () => {
      const used = (await peer(id)).quotaUsage.usedBytes;
      const old = await budgetOf(publicKey);
      const changed = await f.api("PATCH", `/api/v1/peers/${id}`, {
        quota: { bytes: 2_000_000, period: "daily", warnAtPercent: 50 },
      });
      expect(changed.status, changed.body).toBe(200);
      expect(changed.json().quotaUsage.usedBytes).toBe(used);
      const budget = await budgetOf(publicKey);
      expect(budget?.id).not.toBe(old?.id);
      expect(budget?.bytesLeft).toBe(2_000_000 - used);
    });

    it("records the warning once per period", async () => {
      await setUsed(id, 1_100_000);
      await f.t.context.services.stats.pollOnce();
      await f.t.context.services.stats.pollOnce();
      const warnings = (await events(id)).filter((e) => e.kind === "quota_warning");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ rule: "quota" });
      expect(publishedFor(id, "peer.quota_warning")).toHaveLength(1);
    });

    it("suspends a peer whose budget is used up: a spent budget on the node, off the interface, reported", async () => {
      await setUsed(id, 1_500_000, 600_000);
      await f.t.context.services.stats.pollOnce();
      expect((await budgetOf(publicKey))?.bytesLeft).toBe(0);
      expect((await f.wg()).peers.has(publicKey)).toBe(false);
      // The next round reads the node's report of what it keeps off the kernel.
      await f.t.context.services.stats.pollOnce();
      expect((await peer(id)).suspension).toMatchObject({ reason: "quota" });
      expect(await events(id)).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: "suspended", rule: "quota" })]),
      );
      expect(publishedFor(id, "peer.suspended")).toHaveLength(1);
      expect(await ping(client as TestNamespace, "198.51.100.1", { count: 1, timeoutSec: 2 })).toBe(false);
    });

    it("starts a new period when the clock passes its end: nothing used, a fresh budget, the peer back", async () => {
      offset = DAY_MS + 60_000;
      await f.t.context.services.stats.pollOnce();
      const renewed = await peer(id);
      expect(renewed.quotaUsage.usedBytes).toBeLessThan(10_000);
      expect(Date.parse(renewed.quotaUsage.periodStart)).toBeGreaterThan(Date.now());
      expect((await budgetOf(publicKey))?.bytesLeft).toBe(2_000_000);
      expect((await f.wg()).peers.has(publicKey)).toBe(true);
      await f.t.context.services.stats.pollOnce();
      expect((await peer(id)).suspension).toBeNull();
      const kinds = (await events(id)).map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(["period_reset", "restored"]));
      expect(await pingsWithin(client as TestNamespace, 30_000)).toBe(true);
      // Back to the real time: the peers below start their periods by it.
      offset = 0;
    });

    it("disables a peer whose quota says disable, once", async () => {
      const disabled = await create("disable me", { bytes: 1000, period: "weekly", action: "disable" });
      await setUsed(disabled.id, 1000);
      await f.t.context.services.stats.pollOnce();
      const after = await peer(disabled.id);
      expect(after.enabled).toBe(false);
      expect((await f.wg()).peers.has(disabled.publicKey)).toBe(false);
      expect((await events(disabled.id)).filter((e) => e.kind === "disabled")).toHaveLength(1);
      await f.t.context.services.stats.pollOnce();
      expect((await events(disabled.id)).filter((e) => e.kind === "disabled")).toHaveLength(1);
    });

    it("deletes a peer whose quota says delete; the history keeps the event", async () => {
      const doomed = await create("delete me", { bytes: 1000, period: "none", action: "delete" });
      await setUsed(doomed.id, 0, 5000);
      await f.t.context.services.stats.pollOnce();
      expect((await f.api("GET", `/api/v1/peers/${doomed.id}`)).status).toBe(404);
      expect((await f.wg()).peers.has(doomed.publicKey)).toBe(false);
      const kept = await db()
        .selectFrom("peer_lifecycle_events")
        .select(["kind", "rule"])
        .where("peer_id", "=", doomed.id)
        .execute();
      expect(kept).toEqual([{ kind: "deleted", rule: "quota" }]);
    });

    it("lists peers expiring within 7 days and peers over 80 % of their quota", async () => {
      const soon = await create("expires soon", null, {
        expiresAt: new Date(clock.now() + 3 * DAY_MS).toISOString(),
      });
      await create("expires later", null, { expiresAt: new Date(clock.now() + 30 * DAY_MS).toISOString() });
      const full = await create("nearly full", { bytes: 1000, period: "monthly", counting: "rx" });
      await setUsed(full.id, 900, 5000);
      const light = await create("light", { bytes: 1000, period: "monthly", counting: "rx" });
      await setUsed(light.id, 100, 5000);
      const attention = (await f.api("GET", "/api/v1/lifecycle/attention")).json();
      expect(attention.expiringSoon.map((p: { id: string }) => p.id)).toEqual([soon.id]);
      const over = attention.overQuota.map((p: { id: string }) => p.id);
      expect(over).toContain(full.id);
      expect(over).not.toContain(light.id);
      const row = attention.overQuota.find((p: { id: string }) => p.id === full.id);
      expect(row).toMatchObject({ name: "nearly full", configuration: f.name, node: "local" });
      expect(row.quotaUsage).toMatchObject({ usedBytes: 900, percent: 90 });
      const bad = await f.api("GET", "/api/v1/lifecycle/attention?days=0");
      expect(bad.status).toBe(400);
      expect(bad.json().error.field).toBe("days");
    });

    it("removes a quota with null: no row, no budget on the node", async () => {
      const removed = await f.api("PATCH", `/api/v1/peers/${id}`, { quota: null });
      expect(removed.status, removed.body).toBe(200);
      expect(removed.json()).toMatchObject({ quota: null, quotaUsage: null });
      expect(await budgetOf(publicKey)).toBeUndefined();
      expect(
        await db().selectFrom("peer_quotas").select("peer_id").where("peer_id", "=", id).execute(),
      ).toEqual([]);
    });
  });
});
