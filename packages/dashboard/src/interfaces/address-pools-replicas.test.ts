// Three replicas (domain services, each with its own allocators and its own LISTEN connection) on one
// real PostgreSQL database and one scripted node: a creation's or deletion's transaction announces the
// addresses it takes and frees, and the other replicas apply that to the allocators they hold, without
// reading `ip_allocations` again (the repository is spied on: no read, and so no lost race either). A
// release then re-take of one address is heard in commit order; a change too large for one notice and
// a lost listening connection make a replica read the table again.
import { randomBytes, randomUUID } from "node:crypto";
import { LOCAL_NODE_ID } from "@wgfleet/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eventually } from "../../../../test/fleet/wait.js";
import {
  engineSkipReason,
  type OpenedDatabase,
  openTestDatabase,
} from "../../../../test/support/databases.js";
import { AuditRepository } from "../audit/audit.repository.js";
import { AuditService } from "../audit/audit.service.js";
import { createDomainServices, type DomainServices, startDomainServices } from "../domain-services.js";
import { silentLogger } from "../logging/logger.js";
import type { InvalidatedCache } from "../replicas/cache-invalidation.js";
import { PostgresCacheInvalidation } from "../replicas/postgres-cache-invalidation.js";
import { terminateListener } from "../replicas/test-support/listener.js";
import { SecretBox } from "../secrets/secret-box.js";
import { ScriptedNode } from "../stats/test-support/scripted-node.js";
import { AllocationRepository } from "./allocation.repository.js";

const CONFIGURATION = "shared";

/** The pool notices a replica heard, in the order it heard them (after its allocators applied them). */
class HeardNotices implements InvalidatedCache {
  readonly notices: Array<{ id: string; change: unknown }> = [];
  dropped = 0;
  invalidate(id: string, change?: unknown): void {
    this.notices.push({ id, change });
  }
  invalidateAll(): void {
    this.dropped++;
  }
}

interface Replica {
  id: string;
  services: DomainServices;
  invalidation: PostgresCacheInvalidation;
  heard: HeardNotices;
}

describe.skipIf(engineSkipReason("postgres") !== null)("address pools across replicas on PostgreSQL", () => {
  let opened: OpenedDatabase;
  let replicas: Replica[] = [];
  const node = new ScriptedNode(LOCAL_NODE_ID);
  const secrets = SecretBox.fromKey(randomBytes(32));
  const reads = vi.spyOn(AllocationRepository.prototype, "addressesOfPool");

  beforeEach(async () => {
    opened = await openTestDatabase("postgres");
    replicas = [await startReplica(), await startReplica(), await startReplica()];
    const [a] = replicas as [Replica];
    await a.services.configurations.create({ name: CONFIGURATION }, "test");
    await a.services.interfaces.addToNode(
      CONFIGURATION,
      { nodeId: LOCAL_NODE_ID, listenPort: 51_870, pool: "198.19.0.0/20", endpoint: "198.18.0.1:51870" },
      "test",
    );
  });

  afterEach(async () => {
    await Promise.allSettled(replicas.map((r) => r.invalidation.stop()));
    replicas = [];
    await opened.close();
  });

  async function startReplica(): Promise<Replica> {
    const id = randomUUID();
    const logger = silentLogger();
    const invalidation = new PostgresCacheInvalidation({
      url: opened.url as string,
      db: opened.db,
      logger,
      replicaId: id,
    });
    const services = createDomainServices({
      db: opened.db,
      secrets,
      logger,
      audit: new AuditService(new AuditRepository(opened.db)),
      localNode: { enabled: true, unavailableReason: null },
      localTransport: node,
      invalidation,
    });
    const heard = new HeardNotices();
    invalidation.subscribe("pool", heard);
    await invalidation.start();
    await startDomainServices(services);
    return { id, services, invalidation, heard };
  }

  /** Creates one peer through `replica`; its address. */
  async function create(replica: Replica, name: string): Promise<{ id: string; address: string }> {
    const peer = await replica.services.peers.create(CONFIGURATION, { name }, "test");
    return { id: peer.id, address: peer.addresses[0] as string };
  }

  /** Waits until every other replica heard `count` pool notices in all. */
  async function othersHeard(sender: Replica, count: number): Promise<void> {
    const others = replicas.filter((r) => r !== sender);
    await eventually(async () => others.every((r) => r.heard.notices.length >= count), "notices heard");
  }

  /** Every replica's pool is loaded (its first creation reads the table), then the reads are counted afresh. */
  async function warmUp(): Promise<void> {
    for (const [i, replica] of replicas.entries()) await create(replica, `warm-${i}`);
    // Each has heard the other two.
    await eventually(async () => replicas.every((r) => r.heard.notices.length === 2), "warm-up heard");
    for (const replica of replicas) replica.heard.notices.length = 0;
    reads.mockClear();
  }

  it("A's leases reach B and C as deltas: each takes the next free address without reading the table", async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    await warmUp();
    const taken: string[] = [];
    const sent = new Map<Replica, number>();
    for (const [i, replica] of [a, b, c, a, c, b].entries()) {
      taken.push((await create(replica, `follow-${i}`)).address);
      sent.set(replica, (sent.get(replica) ?? 0) + 1);
      // Each replica has heard every creation but its own.
      await eventually(
        async () => replicas.every((r) => r.heard.notices.length === i + 1 - (sent.get(r) ?? 0)),
        "creations heard",
      );
    }
    // After the warm-up's 198.19.0.2–4: the next six in order, no lost race, no read.
    expect(taken).toEqual(["5", "6", "7", "8", "9", "10"].map((n) => `198.19.0.${n}/32`));
    expect(reads).not.toHaveBeenCalled();
    expect(b.heard.notices[0]?.change).toEqual({ "198.19.0.0/20": { taken: ["198.19.0.5"] } });
  });

  it("a release, then the same address taken again elsewhere, is heard in commit order", async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    await warmUp();
    const first = await create(a, "first");
    await othersHeard(a, 1);
    await a.services.peers.delete(first.id, "test");
    await othersHeard(a, 2);
    // B was told of the release: it hands the address out again, and A and C hear that after it.
    expect((await create(b, "again")).address).toBe(first.address);
    await eventually(async () => a.heard.notices.length === 1 && c.heard.notices.length === 3, "heard B");
    const changes = c.heard.notices.map((n) => n.change);
    expect(changes).toEqual([
      { "198.19.0.0/20": { taken: ["198.19.0.5"] } },
      { "198.19.0.0/20": { released: ["198.19.0.5"] } },
      { "198.19.0.0/20": { taken: ["198.19.0.5"] } },
    ]);
    // C and A hold it as taken: their next addresses are new ones, without a lost race.
    expect((await create(c, "next-c")).address).toBe("198.19.0.6/32");
    await othersHeard(c, 2);
    expect((await create(a, "next-a")).address).toBe("198.19.0.7/32");
    expect(reads).not.toHaveBeenCalled();
  });

  it("a change too large for one notice (a bulk creation) makes the others read the pool again", async () => {
    const [a, b] = replicas as [Replica, Replica];
    await warmUp();
    const result = await a.services.bulkPeers.createMany(
      CONFIGURATION,
      { count: 600, namePrefix: "bulk" },
      "test",
    );
    expect(result.created).toHaveLength(600);
    await othersHeard(a, 1);
    expect(b.heard.notices).toEqual([{ id: expect.any(String), change: undefined }]);
    // 198.19.0.2–4 and 600 more: 198.19.0.5 … 198.19.2.92 (inside a /20, .255 and .0 are hosts too).
    expect((await create(b, "after-bulk")).address).toBe("198.19.2.93/32");
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("a lost listening connection makes the replica read every pool again", async () => {
    const [a, b] = replicas as [Replica, Replica];
    await warmUp();
    expect(await terminateListener(opened.url as string, b.id)).toBe(true);
    // Sent while B does not listen: B never hears it.
    await create(a, "unheard");
    await eventually(async () => b.heard.dropped === 1, "B dropped all", { timeoutMs: 10_000 });
    expect((await create(b, "after-reconnect")).address).toBe("198.19.0.6/32");
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
