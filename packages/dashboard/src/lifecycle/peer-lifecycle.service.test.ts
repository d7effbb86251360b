import { DAY_MS } from "@wgfleet/core";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { LifecycleEventsRepository, type NewLifecycleEvent } from "./lifecycle-events.repository.js";
import { PeerLifecycleRepository } from "./peer-lifecycle.repository.js";
import { PeerLifecycleService } from "./peer-lifecycle.service.js";
import { QuotaRepository } from "./quota.repository.js";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");

const eventAt = (at: number): NewLifecycleEvent => ({
  peerId: "p1",
  peerName: "laptop",
  configurationName: "office",
  at: new Date(at).toISOString(),
  kind: "suspended",
  rule: "expiry",
  detail: "expired",
});

forEachEngine("peer lifecycle history retention", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("prunes the events older than the retention and keeps the rest", async () => {
    opened = await open();
    const events = new LifecycleEventsRepository(opened.db);
    const service = new PeerLifecycleService({
      peers: new PeerLifecycleRepository(opened.db),
      events,
      quotas: new QuotaRepository(opened.db),
      retentionDays: 30,
      now: () => NOW,
    });
    await events.record([
      eventAt(NOW - 31 * DAY_MS),
      eventAt(NOW - 30 * DAY_MS - 1),
      eventAt(NOW - 30 * DAY_MS),
      eventAt(NOW - DAY_MS),
    ]);

    expect(await service.pruneHistory()).toBe(2);
    const kept = await events.listByPeer("p1", 10);
    expect(kept.map((e) => e.at)).toEqual([
      new Date(NOW - DAY_MS).toISOString(),
      new Date(NOW - 30 * DAY_MS).toISOString(),
    ]);
    expect(await service.pruneHistory()).toBe(0);
  });
});
