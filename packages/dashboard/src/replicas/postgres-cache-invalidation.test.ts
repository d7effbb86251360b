// Two replicas' cache invalidations on one real PostgreSQL database: a notice reaches the other
// replica's cache of its kind (not the sender's own), and a listening connection the server cuts is
// opened again, after which every cache is dropped (notices sent meanwhile reached nobody).
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../../../../test/fleet/wait.js";
import {
  engineSkipReason,
  type OpenedDatabase,
  openTestDatabase,
} from "../../../../test/support/databases.js";
import { silentLogger } from "../logging/logger.js";
import type { CacheKind, InvalidatedCache } from "./cache-invalidation.js";
import { PostgresCacheInvalidation } from "./postgres-cache-invalidation.js";
import { terminateListener } from "./test-support/listener.js";

/** A cache that remembers what it was told. */
class RecordingCache implements InvalidatedCache {
  readonly ids: string[] = [];
  readonly changes: unknown[] = [];
  dropped = 0;
  invalidate(id: string, change?: unknown): void {
    this.ids.push(id);
    this.changes.push(change);
  }
  invalidateAll(): void {
    this.dropped++;
  }
}

interface Replica {
  id: string;
  invalidation: PostgresCacheInvalidation;
  caches: Record<Extract<CacheKind, "node" | "pool">, RecordingCache>;
}

describe.skipIf(engineSkipReason("postgres") !== null)("cache invalidation on PostgreSQL", () => {
  let opened: OpenedDatabase;
  let replicas: Replica[] = [];

  beforeEach(async () => {
    opened = await openTestDatabase("postgres");
  });
  afterEach(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.invalidation.stop()));
    replicas = [];
    await opened.close();
  });

  async function startReplica(): Promise<Replica> {
    const id = randomUUID();
    const invalidation = new PostgresCacheInvalidation({
      url: opened.url as string,
      db: opened.db,
      logger: silentLogger(),
      replicaId: id,
    });
    const caches = { node: new RecordingCache(), pool: new RecordingCache() };
    invalidation.subscribe("node", caches.node);
    invalidation.subscribe("pool", caches.pool);
    await invalidation.start();
    const replica = { id, invalidation, caches };
    replicas.push(replica);
    return replica;
  }

  it("a notice reaches the other replica's cache of its kind, not the sender's", async () => {
    const a = await startReplica();
    const b = await startReplica();
    a.invalidation.publish("node", "node-1");
    a.invalidation.publish("pool", "iface-1");
    a.invalidation.publish("pool", "iface-1");
    await eventually(
      async () => b.caches.node.ids.length === 1 && b.caches.pool.ids.length === 1,
      "B heard A",
    );
    expect(b.caches.node.ids).toEqual(["node-1"]);
    // Gathered in one turn of the event loop: the same notice twice goes out once.
    expect(b.caches.pool.ids).toEqual(["iface-1"]);
    b.invalidation.publish("pool", "iface-2");
    await eventually(async () => a.caches.pool.ids.length === 1, "A heard B");
    expect(a.caches.pool.ids).toEqual(["iface-2"]);
    expect(a.caches.node.ids).toEqual([]);
    expect(b.caches.pool.ids).toEqual(["iface-1"]);
    expect([a.caches.node.dropped, b.caches.node.dropped]).toEqual([0, 0]);
  });

  it("changed() drops this replica's copy at once, the other replica's by its notice", async () => {
    const a = await startReplica();
    const b = await startReplica();
    const [mine, theirs] = [new RecordingCache(), new RecordingCache()];
    a.invalidation.subscribe("credential", mine);
    b.invalidation.subscribe("credential", theirs);
    await a.invalidation.changed("credential", "user-1");
    expect(mine.ids).toEqual(["user-1"]);
    await eventually(async () => theirs.ids.length === 1, "B heard A");
    expect(theirs.ids).toEqual(["user-1"]);
    expect(b.caches.node.ids).toEqual([]);
  });

  it("a notice sent inside a transaction carries its change, is heard only on commit, and in commit order", async () => {
    const a = await startReplica();
    const b = await startReplica();
    await expect(
      opened.db.transaction().execute(async (trx) => {
        await a.invalidation.publishWithin(trx, "pool", [{ id: "iface-1", change: { n: "rolled back" } }]);
        throw new Error("rolled back on purpose");
      }),
    ).rejects.toThrow("rolled back on purpose");
    await opened.db.transaction().execute(async (trx) => {
      await a.invalidation.publishWithin(trx, "pool", [
        { id: "iface-1", change: { n: 1 } },
        { id: "iface-2", change: { n: 2 } },
      ]);
    });
    // Too large for one notice: the plain one goes out instead (re-read iface-3).
    await opened.db.transaction().execute(async (trx) => {
      await a.invalidation.publishWithin(trx, "pool", [{ id: "iface-3", change: { n: "x".repeat(8_000) } }]);
    });
    await eventually(async () => b.caches.pool.ids.length === 3, "B heard the committed ones");
    expect(b.caches.pool.ids).toEqual(["iface-1", "iface-2", "iface-3"]);
    expect(b.caches.pool.changes).toEqual([{ n: 1 }, { n: 2 }, undefined]);
    expect(a.caches.pool.ids).toEqual([]);
  });

  it("a cut listening connection is opened again and every cache dropped", async () => {
    const a = await startReplica();
    const b = await startReplica();
    expect(await terminateListener(opened.url as string, b.id)).toBe(true);
    // Sent while B does not listen: B never hears it, and must not keep what it held.
    a.invalidation.publish("node", "missed");
    await eventually(
      async () => b.caches.node.dropped === 1 && b.caches.pool.dropped === 1,
      "B dropped all",
      {
        timeoutMs: 10_000,
      },
    );
    expect(b.caches.node.ids).toEqual([]);
    a.invalidation.publish("node", "after");
    await eventually(async () => b.caches.node.ids.length === 1, "B hears again");
    expect(b.caches.node.ids).toEqual(["after"]);
    expect(a.caches.node.dropped).toBe(0);
  });
});
