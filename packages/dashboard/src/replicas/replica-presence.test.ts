// Whose pending peers settlement may touch: a live replica's never, a stopped one's always.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, beforeEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { ReplicaRepository } from "./replica.repository.js";
import { REPLICA_STALE_MS, ReplicaPresence } from "./replica-presence.js";

forEachEngine("replica presence", (open) => {
  let opened: OpenedDatabase;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.close());

  it("tells this replica, a live one, a stopped one and an unknown one apart", async () => {
    let now = Date.parse("2026-12-06T12:00:00Z");
    const clock = () => now;
    const repository = new ReplicaRepository(opened.db);
    const self = new ReplicaPresence(repository, clock);
    const live = new ReplicaPresence(repository, clock);
    const crashed = new ReplicaPresence(repository, clock);
    await Promise.all([self.register(), live.register(), crashed.register()]);
    now += REPLICA_STALE_MS + 1_000;
    await self.heartbeat();
    await live.heartbeat();
    const ownerOf = await self.classifier();
    expect(ownerOf(self.id)).toBe("self");
    expect(ownerOf(live.id)).toBe("live");
    expect(ownerOf(crashed.id)).toBe("stopped");
    expect(ownerOf("a0000000-0000-4000-8000-000000000000")).toBe("unknown");
    expect(ownerOf(null)).toBe("unknown");
  });

  it("a replica on this host whose process is gone has stopped, even with a fresh heartbeat", async () => {
    const repository = new ReplicaRepository(opened.db);
    const self = new ReplicaPresence(repository);
    await self.register();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const at = new Date().toISOString();
    await repository.register({
      id: "b0000000-0000-4000-8000-000000000001",
      hostname: hostname(),
      pid: gone,
      at,
    });
    await repository.register({
      id: "b0000000-0000-4000-8000-000000000002",
      hostname: "elsewhere",
      pid: gone,
      at,
    });
    const ownerOf = await self.classifier();
    expect(ownerOf("b0000000-0000-4000-8000-000000000001")).toBe("stopped");
    // On another host the pid means nothing: only the heartbeat counts there.
    expect(ownerOf("b0000000-0000-4000-8000-000000000002")).toBe("live");
  });

  it("a replica stopped cleanly leaves no row; its heartbeat registers it again if the row went", async () => {
    const repository = new ReplicaRepository(opened.db);
    const replica = new ReplicaPresence(repository);
    await replica.register();
    await repository.remove(replica.id);
    await replica.heartbeat();
    expect((await repository.heartbeats()).map((row) => row.id)).toEqual([replica.id]);
  });
});
