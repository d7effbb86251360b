// The "since when" of drift on both engines: a sighting keeps its first time while it lasts, goes when
// the drift does, and comes back with a new time; another node's sightings are untouched.
import { afterEach, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import type { Db } from "../db/index.js";
import { DriftSightingRepository, type DriftSubject, sightingKey } from "./drift-sighting.repository.js";

async function addNode(db: Db, id: string): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("nodes")
    .values({
      id,
      name: id,
      agent_url: `http://127.0.0.1:${7000 + id.length}`,
      secret_enc: null,
      secret_key_id: null,
      enabled: 1,
      weight: 100,
      max_peers: 1000,
      endpoint_host: null,
      status: "unknown",
      status_reason: null,
      consecutive_failures: 0,
      last_health: null,
      last_seen_at: null,
      agent_instance_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

forEachEngine("drift sightings", (open) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("keeps a first sighting while the drift lasts, drops it when gone, and leaves other nodes alone", async () => {
    const opened = await open();
    close = opened.close;
    await addNode(opened.db, "n1");
    await addNode(opened.db, "n22");
    const sightings = new DriftSightingRepository(opened.db);
    const stray: DriftSubject = { kind: "stray-peer", interfaceName: "wg0", subject: "K1" };
    const missing: DriftSubject = { kind: "missing-peer", interfaceName: "wg0", subject: "K2" };
    const iface: DriftSubject = { kind: "stray-interface", interfaceName: "wg9", subject: "" };

    const first = await sightings.observe("n1", [stray, iface], "2026-01-01T00:00:00.000Z");
    expect(first.get(sightingKey(stray))).toBe("2026-01-01T00:00:00.000Z");
    await sightings.observe("n22", [stray], "2026-01-01T00:00:05.000Z");

    const second = await sightings.observe("n1", [stray, missing], "2026-01-01T00:01:00.000Z");
    expect(second.get(sightingKey(stray))).toBe("2026-01-01T00:00:00.000Z");
    expect(second.get(sightingKey(missing))).toBe("2026-01-01T00:01:00.000Z");
    expect(second.has(sightingKey(iface))).toBe(false);

    await sightings.observe("n1", [], "2026-01-01T00:02:00.000Z");
    const back = await sightings.observe("n1", [stray], "2026-01-01T00:03:00.000Z");
    expect(back.get(sightingKey(stray))).toBe("2026-01-01T00:03:00.000Z");
    const other = await sightings.observe("n22", [stray], "2026-01-01T00:04:00.000Z");
    expect(other.get(sightingKey(stray))).toBe("2026-01-01T00:00:05.000Z");
  });
});
