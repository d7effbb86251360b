// Concurrent creations on the local node, on both engines: a burst gets distinct addresses (never the
// network, broadcast or gateway), each live as a /32; and two dashboard instances sharing one database
// (separate in-memory allocators) lose address races to each other, which the table's unique key
// catches and the saga retries, still ending with distinct addresses, every peer live.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDomainServices, startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import { createLocalTransport } from "../../packages/dashboard/src/transport/local-transport.js";
import { forEachEngine } from "../support/databases.js";
import { uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("concurrent peer creation", () => {
  forEachEngine("concurrent creation", (open) => {
    let f: LocalNodeFixture;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
    });

    afterAll(async () => {
      await f?.close();
    });

    const expectConsistent = async (expected: number) => {
      const peers = await f.t.context.db
        .selectFrom("peers")
        .select(["public_key", "addresses", "state"])
        .execute();
      expect(peers.length).toBe(expected);
      const addresses = peers.map((p) => (JSON.parse(p.addresses) as string[])[0] as string);
      expect(new Set(addresses).size).toBe(addresses.length);
      for (const address of addresses) {
        expect(["198.51.100.0/32", "198.51.100.1/32", "198.51.100.255/32"]).not.toContain(address);
        expect(address).toMatch(/^198\.51\.100\.\d+\/32$/);
      }
      const live = await f.wg();
      expect(live.peers.size).toBe(expected);
      for (const peer of peers) {
        expect(peer.state).toBe("active");
        expect(live.peers.get(peer.public_key)).toEqual(JSON.parse(peer.addresses));
      }
    };

    it("30 concurrent auto creations: 30 distinct /32s, all live", async () => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: `burst-${i}` }),
        ),
      );
      for (const answer of answers) expect(answer.status, answer.body).toBe(201);
      await expectConsistent(30);
    });

    it("two instances on one database: races caught by the unique key and retried", async () => {
      const { db, secrets, logger } = f.t.context;
      const replica = createDomainServices({
        db,
        secrets,
        logger,
        audit: f.t.context.services.audit,
        localNode: { enabled: true, unavailableReason: null },
        localTransport: createLocalTransport({ netns: f.server.name }),
      });
      await startDomainServices(replica);
      const services = [f.t.context.services.peers, replica.peers];
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          (services[i % 2] ?? replica.peers).create(f.name, { name: `race-${i}` }, "test"),
        ),
      );
      const failures = results.filter((r) => r.status === "rejected");
      expect(failures.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      await expectConsistent(70);
    });

    it("a full pool answers 409 POOL_EXHAUSTED and writes nothing; a deletion makes room", async () => {
      const name = uniqueName("db", 15);
      expect((await f.api("POST", "/api/v1/configurations", { name })).status).toBe(201);
      const iface = await f.api("POST", `/api/v1/configurations/${name}/interfaces`, {
        nodeId: "local",
        listenPort: f.listenPort + 1,
        pool: "203.0.113.0/30", // network .0, gateway .1, broadcast .3: room for one peer
      });
      expect(iface.status, iface.body).toBe(201);
      const first = await f.api("POST", `/api/v1/configurations/${name}/peers`, { name: "only" });
      expect(first.json().addresses).toEqual(["203.0.113.2/32"]);
      const peersBefore = await f.t.context.db.selectFrom("peers").select("id").execute();
      const full = await f.api("POST", `/api/v1/configurations/${name}/peers`, { name: "one too many" });
      expect(full.status).toBe(409);
      expect(full.json().error.code).toBe("POOL_EXHAUSTED");
      expect(await f.t.context.db.selectFrom("peers").select("id").execute()).toEqual(peersBefore);
      expect((await f.api("DELETE", `/api/v1/peers/${first.json().id}`)).status).toBe(204);
      const again = await f.api("POST", `/api/v1/configurations/${name}/peers`, { name: "again" });
      expect(again.json().addresses).toEqual(["203.0.113.2/32"]);
    });
  });
});
