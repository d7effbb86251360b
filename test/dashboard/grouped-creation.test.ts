// Grouped `auto` placement (peers/peer-group-placement.ts), on both engines, against a real local node
// (wireguard-go in a namespace): creations that queue behind a configuration's placement lock are placed
// together in one transaction. A burst asks the database far fewer statements than the same creations
// one by one and still ends with distinct addresses, every peer live; each creation's audit event stays
// in its own request's scope; a taken or repeated name in a group, or a pool that runs out in the
// middle of one, fails only the creations concerned (the group falls back to one-by-one placement).
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditScope, runInAuditScope } from "../../packages/dashboard/src/audit/audit-scope.js";
import { countingDb } from "../../packages/dashboard/src/db/test-support/query-counter.js";
import {
  createDomainServices,
  type DomainServices,
  startDomainServices,
} from "../../packages/dashboard/src/domain-services.js";
import { createLogger } from "../../packages/dashboard/src/logging/logger.js";
import { createLocalTransport } from "../../packages/dashboard/src/transport/local-transport.js";
import { forEachEngine } from "../support/databases.js";
import { uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, readDump, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

/** Debug lines of the replica's logger, to see whether a group fell back to one-by-one placement. */
class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split("\n").filter(Boolean));
    done();
  }
  fallbacks(): number {
    return this.lines.filter((line) => line.includes("a group of creations is placed one by one")).length;
  }
}

describe.skipIf(skip)("grouped auto placement", () => {
  forEachEngine("grouped creation", (open) => {
    let f: LocalNodeFixture;
    /** A second set of services on the same database whose statements are counted. */
    let replica: DomainServices;
    let queries: ReturnType<typeof countingDb>["queries"];
    const log = new LogLines();

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const counted = countingDb(f.t.context.db);
      queries = counted.queries;
      replica = createDomainServices({
        db: counted.db,
        secrets: f.t.context.secrets,
        logger: createLogger({ level: "debug", destination: log }),
        audit: f.t.context.services.audit,
        localNode: { enabled: true, unavailableReason: null },
        localTransport: createLocalTransport({ netns: f.server.name }),
      });
      await startDomainServices(replica);
    });

    afterAll(async () => {
      await f?.close();
    });

    const peerRows = () =>
      f.t.context.db.selectFrom("peers").select(["id", "name", "public_key", "addresses", "state"]).execute();

    it("a burst asks far fewer statements than one by one; distinct addresses, every peer live", async () => {
      const alone = await queries.during(() => replica.peers.create(f.name, { name: "alone" }, "test"));
      const burst = 24;
      let created: Array<{ id: string }> = [];
      const together = await queries.during(async () => {
        created = await Promise.all(
          Array.from({ length: burst }, (_, i) => replica.peers.create(f.name, { name: `g-${i}` }, "test")),
        );
      });
      // One by one the burst would ask `alone` statements per creation; grouped, the placement part
      // (counts, transaction, name check, inserts, notice) is shared.
      expect(together).toBeLessThan(burst * alone * 0.6);
      expect(log.fallbacks()).toBe(0);
      const rows = await peerRows();
      expect(rows).toHaveLength(burst + 1);
      expect(rows.every((row) => row.state === "active")).toBe(true);
      const addresses = rows.map((row) => (JSON.parse(row.addresses) as string[])[0] as string);
      expect(new Set(addresses).size).toBe(rows.length);
      const live = await f.wg();
      expect(live.peers.size).toBe(rows.length);
      for (const row of rows)
        expect(live.peers.get(row.public_key), row.name).toEqual(JSON.parse(row.addresses));
      expect(new Set(created.map((peer) => peer.id)).size).toBe(burst);
    });

    it("each creation's audit event goes to its own request's scope, also when placed in another's group", async () => {
      const scopes = Array.from({ length: 12 }, () => new AuditScope());
      const created = await Promise.all(
        scopes.map((scope, i) =>
          runInAuditScope(scope, () => replica.peers.create(f.name, { name: `scoped-${i}` }, `user-${i}`)),
        ),
      );
      expect(log.fallbacks()).toBe(0);
      for (const [i, scope] of scopes.entries()) {
        const entry = scope.close({
          method: "POST",
          route: "/api/v1/configurations/:name/peers",
          params: { name: f.name },
          bodyFields: ["name"],
          user: null,
          apiKey: null,
          address: "127.0.0.1",
          status: 201,
        });
        expect(entry, `scope ${i}`).toMatchObject({
          actor: `user-${i}`,
          action: "peer.create",
          target: created[i]?.id,
          details: null,
        });
      }
    });

    it("a taken name and a name repeated within the group fail only their own creation", async () => {
      await replica.peers.create(f.name, { name: "Taken" }, "test");
      const before = await peerRows();
      const names = ["free-1", "TAKEN", "twin", "free-2", "Twin", "free-3"];
      const fallbacksBefore = log.fallbacks();
      const results = await Promise.allSettled(
        names.map((name) => replica.peers.create(f.name, { name }, "test")),
      );
      const refused = results.flatMap((result, i) =>
        result.status === "rejected"
          ? [{ name: names[i], error: result.reason as Error & { field?: string } }]
          : [],
      );
      // "TAKEN" and the second of the twins are refused, naming the field; the others are created.
      expect(refused.map(({ name }) => name)).toEqual(["TAKEN", "Twin"]);
      for (const { error } of refused) {
        expect(error.message).toMatch(/already exists in this configuration/);
        expect(error.field).toBe("name");
      }
      expect(log.fallbacks()).toBeGreaterThan(fallbacksBefore);
      const after = await peerRows();
      expect(after.length - before.length).toBe(4);
      expect((await f.wg()).peers.size).toBe(after.length);
    });

    it("a pool that runs out within a group: the creations that fit are made, the others 409 with nothing left", async () => {
      const name = uniqueName("db", 15);
      expect((await f.api("POST", "/api/v1/configurations", { name })).status).toBe(201);
      const iface = await f.api("POST", `/api/v1/configurations/${name}/interfaces`, {
        nodeId: "local",
        listenPort: f.listenPort + 1,
        pool: "203.0.113.0/29", // network .0, gateway .1, broadcast .7: room for five peers
      });
      expect(iface.status, iface.body).toBe(201);
      // Through the app's own services: the replica's local transport knows only the interfaces that
      // existed when it started.
      const { peers } = f.t.context.services;
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => peers.create(name, { name: `small-${i}` }, "test")),
      );
      const made = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      const refused = results.flatMap((r) =>
        r.status === "rejected" ? [r.reason as Error & { code?: string }] : [],
      );
      expect(made).toHaveLength(5);
      for (const error of refused) expect(error.code).toBe("POOL_EXHAUSTED");
      const addresses = made.flatMap((peer) => peer.addresses).sort();
      expect(addresses).toEqual([
        "203.0.113.2/32",
        "203.0.113.3/32",
        "203.0.113.4/32",
        "203.0.113.5/32",
        "203.0.113.6/32",
      ]);
      const allocations = await f.t.context.db
        .selectFrom("ip_allocations")
        .select("address")
        .where("pool", "=", "203.0.113.0/29")
        .execute();
      expect(allocations).toHaveLength(5);
      expect((await readDump(f.server, name)).peers.size).toBe(5);
    });
  });
});
