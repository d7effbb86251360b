import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertInterface, insertPeer } from "../db/test-support/rows.js";
import { LifecycleEventsRepository, type NewLifecycleEvent } from "./lifecycle-events.repository.js";

const event = (over: Partial<NewLifecycleEvent>): NewLifecycleEvent => ({
  peerId: "p1",
  peerName: "laptop",
  configurationName: "office",
  at: "2026-01-01T00:00:00.000Z",
  kind: "suspended",
  rule: "expiry",
  detail: "expired",
  ...over,
});

forEachEngine("lifecycle events repository", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("lists one peer's events newest first (ties: the later recorded first), bounded", async () => {
    opened = await open();
    const events = new LifecycleEventsRepository(opened.db);
    await events.record([
      event({ at: "2026-01-01T00:00:00.000Z", kind: "suspended" }),
      event({ at: "2026-01-03T00:00:00.000Z", kind: "restored" }),
      event({ at: "2026-01-03T00:00:00.000Z", kind: "suspended", rule: "schedule" }),
      event({ peerId: "p2", at: "2026-01-05T00:00:00.000Z" }),
    ]);

    const listed = await events.listByPeer("p1", 10);
    expect(listed.map((e) => [e.at.slice(0, 10), e.kind, e.rule])).toEqual([
      ["2026-01-03", "suspended", "schedule"],
      ["2026-01-03", "restored", "expiry"],
      ["2026-01-01", "suspended", "expiry"],
    ]);
    expect(listed[0]).toMatchObject({ peerName: "laptop", configurationName: "office", detail: "expired" });
    expect(typeof listed[0]?.id).toBe("string");
    expect(await events.listByPeer("p1", 2)).toHaveLength(2);
  });

  it("keeps a peer's events after the peer is deleted, and prunes by time", async () => {
    opened = await open();
    const { db } = opened;
    const peerId = await insertPeer(db, { interface_id: await insertInterface(db) });
    const events = new LifecycleEventsRepository(db);
    await events.record([
      event({ peerId, at: "2026-01-01T00:00:00.000Z" }),
      event({ peerId, at: "2026-02-01T00:00:00.000Z", kind: "deleted", rule: "quota" }),
    ]);
    await db.deleteFrom("peers").where("id", "=", peerId).execute();
    expect((await events.listByPeer(peerId, 10)).map((e) => e.kind)).toEqual(["deleted", "suspended"]);

    expect(await events.pruneBefore("2026-01-15T00:00:00.000Z")).toBe(1);
    expect((await events.listByPeer(peerId, 10)).map((e) => e.kind)).toEqual(["deleted"]);
  });

  it("records inside the caller's transaction: a rollback leaves no event", async () => {
    opened = await open();
    const { db } = opened;
    const events = new LifecycleEventsRepository(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await events.record([event({})], trx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await events.listByPeer("p1", 10)).toEqual([]);
  });
});
