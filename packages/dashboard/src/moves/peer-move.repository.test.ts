// The tables of moves and jobs (migration 019) on both engines: a pending move puts its peer into the
// target's desired state with the new addresses and counts on the target's node; a grace copy puts it
// into the source's with the old ones, only while the peer is enabled; expiry finds copies by time;
// deleting a peer takes its moves with it; a job's items settle one by one and resume in order.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertNode, insertPeer } from "../db/test-support/rows.js";
import { InterfaceRepository } from "../interfaces/index.js";
import { toJobDto } from "../jobs/job.mapper.js";
import { JobRepository } from "../jobs/job.repository.js";
import { NodeRepository } from "../nodes/node.repository.js";
import { PeerMoveRepository, type PeerMoveRow } from "./peer-move.repository.js";

forEachEngine("peer moves and jobs", (open) => {
  let database: OpenedDatabase;
  let moves: PeerMoveRepository;
  let interfaces: InterfaceRepository;
  let source: string;
  let target: string;
  let targetNode: string;
  let peer: string;

  beforeAll(async () => {
    database = await open();
    moves = new PeerMoveRepository(database.db);
    interfaces = new InterfaceRepository(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    const db = database.db;
    await db.deleteFrom("jobs").execute();
    await db.deleteFrom("peers").execute();
    await db.deleteFrom("interfaces").execute();
    const configuration = await insertConfiguration(db);
    targetNode = await insertNode(db);
    source = await insertInterface(db, { configuration_id: configuration, pool_v4: "198.51.100.0/25" });
    target = await insertInterface(db, {
      configuration_id: configuration,
      node_id: targetNode,
      pool_v4: "198.51.100.128/25",
    });
    peer = await insertPeer(db, { interface_id: source, addresses: JSON.stringify(["198.51.100.2/32"]) });
  });

  const move = (state: PeerMoveRow["state"], graceUntil: string | null = null): PeerMoveRow => ({
    id: `m-${state}-${Math.random().toString(36).slice(2)}`,
    peer_id: peer,
    from_interface_id: source,
    to_interface_id: target,
    old_addresses: JSON.stringify(["198.51.100.2/32"]),
    new_addresses: JSON.stringify(["198.51.100.130/32"]),
    state,
    grace_until: graceUntil,
    created_at: new Date().toISOString(),
    owner_replica: null,
  });

  it("a pending move: the peer arrives in the target's desired state and counts on its node", async () => {
    const pending = move("pending");
    await moves.insert(pending);
    const arriving = await interfaces.movedPeerSpecRows(target);
    expect(arriving.map((r) => [r.id, r.addresses])).toEqual([[peer, pending.new_addresses]]);
    expect(await interfaces.movedPeerSpecRows(source)).toEqual([]);
    expect((await new NodeRepository(database.db).countPeersOfNodes([targetNode])).get(targetNode)).toBe(1);
    expect((await moves.pendingOfPeer(peer))?.id).toBe(pending.id);
    expect((await moves.listPending()).map((m) => m.id)).toEqual([pending.id]);
  });

  it("a grace copy: the source keeps the old addresses until its time, and only while the peer is enabled", async () => {
    const kept = move("pending");
    await moves.insert(kept);
    await moves.startGrace(kept.id, "2026-01-01T01:00:00.000Z");
    expect((await interfaces.movedPeerSpecRows(source)).map((r) => r.addresses)).toEqual([
      kept.old_addresses,
    ]);
    expect(await interfaces.movedPeerSpecRows(target)).toEqual([]);
    expect(await moves.gracesDue("2026-01-01T00:59:59.999Z", 10)).toEqual([]);
    expect((await moves.gracesDue("2026-01-01T01:00:00.000Z", 10)).map((m) => m.id)).toEqual([kept.id]);
    expect((await moves.gracesOfPeer(peer)).map((m) => m.id)).toEqual([kept.id]);

    await database.db.updateTable("peers").set({ enabled: 0 }).where("id", "=", peer).execute();
    expect(await interfaces.movedPeerSpecRows(source)).toEqual([]);

    expect(await moves.delete(kept.id)).toBe(true);
    expect(await moves.delete(kept.id)).toBe(false);
  });

  it("deleting the peer deletes its moves", async () => {
    await moves.insert(move("pending"));
    await database.db.deleteFrom("peers").where("id", "=", peer).execute();
    expect(await moves.listPending()).toEqual([]);
  });

  it("a job's items settle one by one; the pending ones come back in order", async () => {
    const jobs = new JobRepository(database.db);
    const now = new Date().toISOString();
    const items = Array.from({ length: 150 }, (_, position) => ({
      position,
      item_id: `p${position}`,
      label: `peer ${position}`,
      target: position === 149 ? null : "n1",
      state: position === 149 ? ("failed" as const) : ("pending" as const),
      error: position === 149 ? "fits nowhere" : null,
    }));
    await jobs.insert(
      {
        id: "job-1",
        kind: "drain",
        subject: "n0",
        params: JSON.stringify({ graceHours: 0 }),
        status: "running",
        total: 150,
        created_by: "admin",
        created_at: now,
        updated_at: now,
        finished_at: null,
      },
      items,
    );
    expect((await jobs.runningOf("drain", "n0"))?.id).toBe("job-1");
    await jobs.settleItem("job-1", 0, "done", null);
    await jobs.settleItem("job-1", 1, "failed", "node said no");
    const pending = await jobs.pendingItems("job-1");
    expect(pending).toHaveLength(147);
    expect(pending[0]?.position).toBe(2);
    const job = await jobs.findById("job-1");
    if (!job) throw new Error("job-1 is missing");
    const dto = toJobDto(job, await jobs.items("job-1"));
    expect(dto).toMatchObject({ status: "running", total: 150, done: 1, failed: 2, skipped: 0 });
    expect(dto.errors.map((e) => e.error)).toEqual(["node said no", "fits nowhere"]);
    await jobs.finish("job-1", "failed");
    expect(await jobs.listRunning("drain")).toEqual([]);
  });
});
