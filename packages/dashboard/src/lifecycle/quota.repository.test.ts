// The quota job's work list on both engines: besides ended periods, used-up budgets and warnings, a
// quota whose peer the node reports cut off for its quota during this period is due even when the
// counted usage stayed under the budget (the bytes moved between the dashboard's last stats round and
// the node's cut-off leave the kernel's counters with the peer; test/e2e/peer-quota.test.ts saw 93 %).
import type { PeerQuotaDto } from "@wgfleet/core";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { QuotaRepository } from "./quota.repository.js";

const QUOTA: PeerQuotaDto = {
  bytes: 1_000_000,
  period: "daily",
  resetDay: 1,
  counting: "total",
  action: "disable",
  warnAtPercent: null,
};
const PERIOD = { start: "2026-03-01T23:00:00.000Z", end: "2026-03-02T23:00:00.000Z" };
const NOW = "2026-03-02T10:00:00.000Z";

forEachEngine("quota repository: due quotas", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("lists a quota under its budget whose peer the node cut off for its quota this period, and only that one", async () => {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db, { name: "office" });
    const iface = await insertInterface(db, {
      node_id: await insertNode(db),
      configuration_id: configuration,
    });
    const quotas = new QuotaRepository(db);
    const peer = async (name: string, suspension: { reason: "quota" | "schedule"; since: string } | null) => {
      const id = await insertPeer(db, {
        interface_id: iface,
        name,
        suspension_reason: suspension?.reason ?? null,
        suspended_since: suspension?.since ?? null,
      });
      // 93 % counted: under the budget by what the dashboard could not read.
      await quotas.save(id, QUOTA, PERIOD, { rx: 70_000, tx: 0 });
      await db
        .insertInto("peer_stats")
        .values({ peer_id: id, rx_bytes: 500_000, tx_bytes: 500_000, raw_rx: 0, raw_tx: 0, updated_at: NOW })
        .execute();
      return id;
    };
    const cutOff = await peer("cut-off", { reason: "quota", since: "2026-03-02T09:59:00.000Z" });
    await peer("cut-off-last-period", { reason: "quota", since: "2026-03-01T22:00:00.000Z" });
    await peer("off-by-schedule", { reason: "schedule", since: "2026-03-02T09:59:00.000Z" });
    await peer("still-on", null);

    expect((await quotas.due(NOW)).map((d) => d.peerName)).toEqual(["cut-off"]);
    const [due] = await quotas.due(NOW);
    expect(due).toMatchObject({ peerId: cutOff, suspensionReason: "quota", quotaExhausted: 0 });
    expect((await quotas.find(cutOff))?.usedRx).toBe(430_000);

    // Once the action ran, it is not due again in the period.
    await quotas.markExhausted(cutOff);
    expect(await quotas.due(NOW)).toEqual([]);
  });
});
