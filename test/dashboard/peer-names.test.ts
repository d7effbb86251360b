// Peer names within one configuration: a second "ana" (in any case) is refused with 409 on `name`,
// on create and on rename, and nothing changes (rows, addresses, the live interface); the same name in
// another configuration is fine, and a peer may change the case of its own name. Both engines, real
// wireguard-go.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("peer names are unique within a configuration", () => {
  forEachEngine("peer names", (open) => {
    let f: LocalNodeFixture;
    let anaId = "";
    let bobId = "";
    const other = () => `${f.name.slice(0, 12)}o2`;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const ana = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "Ana laptop" });
      expect(ana.status, ana.body).toBe(201);
      anaId = ana.json().id;
      const bob = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "bob" });
      expect(bob.status, bob.body).toBe(201);
      bobId = bob.json().id;
    });

    afterAll(async () => {
      await f?.close();
    });

    async function snapshot() {
      const db = f.t.context.db;
      return {
        peers: await db.selectFrom("peers").selectAll().orderBy("id").execute(),
        allocations: await db.selectFrom("ip_allocations").selectAll().orderBy("address").execute(),
        live: (await f.wg()).raw.split("\n").sort(),
      };
    }

    async function refused(method: "POST" | "PATCH", url: string, body: unknown): Promise<void> {
      const before = await snapshot();
      const answer = await f.api(method, url, body);
      expect(answer.status, answer.body).toBe(409);
      const error = answer.json().error;
      expect(error.code).toBe("CONFLICT");
      expect(error.field).toBe("name");
      expect(error.message).toContain("already exists in this configuration");
      expect(await snapshot()).toEqual(before);
    }

    it.each(["Ana laptop", "ana laptop", "ANA LAPTOP"])("refuses to create a second %j", async (name) => {
      await refused("POST", `/api/v1/configurations/${f.name}/peers`, { name });
    });

    it("refuses to rename a peer to another's name, in any case", async () => {
      await refused("PATCH", `/api/v1/peers/${bobId}`, { name: "ANA Laptop" });
      expect((await f.api("GET", `/api/v1/peers/${bobId}`)).json().name).toBe("bob");
    });

    it("lets a peer keep its name or change only its case", async () => {
      const same = await f.api("PATCH", `/api/v1/peers/${anaId}`, { name: "Ana laptop", description: "x" });
      expect(same.status, same.body).toBe(200);
      const recased = await f.api("PATCH", `/api/v1/peers/${anaId}`, { name: "ana Laptop" });
      expect(recased.status, recased.body).toBe(200);
      expect(recased.json().name).toBe("ana Laptop");
    });

    it("allows the name again once the peer is gone, and in another configuration", async () => {
      const removed = await f.api("DELETE", `/api/v1/peers/${bobId}`);
      expect(removed.status, removed.body).toBe(204);
      const again = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "Bob" });
      expect(again.status, again.body).toBe(201);

      const created = await f.api("POST", "/api/v1/configurations", { name: other() });
      expect(created.status, created.body).toBe(201);
      const iface = await f.api("POST", `/api/v1/configurations/${other()}/interfaces`, {
        nodeId: "local",
        listenPort: f.listenPort + 1,
        pool: "203.0.113.0/24",
      });
      expect(iface.status, iface.body).toBe(201);
      const elsewhere = await f.api("POST", `/api/v1/configurations/${other()}/peers`, {
        name: "Ana laptop",
      });
      expect(elsewhere.status, elsewhere.body).toBe(201);
      const removedConfiguration = await f.api("DELETE", `/api/v1/configurations/${other()}?force=true`);
      expect(removedConfiguration.status, removedConfiguration.body).toBe(204);
    });
  });
});
