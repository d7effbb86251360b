// The dashboard's local node next to a WireGuard interface it does not manage, with real wireguard-go in
// a namespace: creating an interface under that name is refused and leaves nothing (no row, no desired
// state, the foreign interface untouched); the foreign one makes the node degraded with its name, shows
// in the node's health, and an admin's DELETE of the stray removes it.
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { bringUpClient } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("a foreign interface on the local node", () => {
  forEachEngine("local node stray interface", (open) => {
    let f: LocalNodeFixture;
    const foreignKeys = generateKeyPair();

    const foreignPublicKey = async (): Promise<string | null> => {
      const answer = await f.server.exec("wg", ["show", f.name, "public-key"]).catch(() => null);
      return answer ? answer.stdout.trim() : null;
    };

    beforeAll(async () => {
      f = await openLocalNode(await open());
      const config = [
        "[Interface]",
        `PrivateKey = ${foreignKeys.privateKey}`,
        "Address = 198.19.77.1/24",
        `ListenPort = ${f.listenPort + 1}`,
        "",
      ].join("\n");
      await bringUpClient(f.server, config, f.name);
    }, 120_000);

    afterAll(async () => {
      await f?.close();
    });

    it("refuses an interface whose name a foreign interface holds, and leaves no trace on the node or in the database", async () => {
      const created = await f.api("POST", "/api/v1/configurations", {
        name: f.name,
        clientAllowedIps: ["198.51.100.0/24"],
      });
      expect(created.status, created.body).toBe(201);
      const refused = await f.api("POST", `/api/v1/configurations/${f.name}/interfaces`, {
        nodeId: "local",
        listenPort: f.listenPort,
        pool: "198.51.100.0/24",
      });
      expect([409, 502]).toContain(refused.status);
      expect(refused.body).toMatch(new RegExp(f.name));
      const rows = await f.t.context.db.selectFrom("interfaces").select("name").execute();
      expect(rows.map((r) => r.name)).not.toContain(f.name);
      const node = (await f.api("GET", "/api/v1/nodes/local")).json();
      expect(node.lastHealth.interfaces.map((i: { name: string }) => i.name)).not.toContain(f.name);
      expect(await foreignPublicKey()).toBe(foreignKeys.publicKey);
    });

    it("marks the node degraded naming the stray, shows it, and an admin deletes it", async () => {
      const node = (await f.api("GET", "/api/v1/nodes/local")).json();
      expect(node.status).toBe("degraded");
      expect(node.statusReason).toContain(f.name);
      expect(node.lastHealth.strayInterfaces).toEqual([f.name]);

      const invalid = await f.api("DELETE", "/api/v1/nodes/local/stray-interfaces/bad%20name");
      expect(invalid.status).toBe(400);
      const removed = await f.api("DELETE", `/api/v1/nodes/local/stray-interfaces/${f.name}`);
      expect(removed.status, removed.body).toBe(204);
      expect(await foreignPublicKey()).toBeNull();
      const after = (await f.api("GET", "/api/v1/nodes/local")).json();
      expect(after.status).toBe("online");
      expect(after.lastHealth.strayInterfaces).toEqual([]);
      const again = await f.api("DELETE", `/api/v1/nodes/local/stray-interfaces/${f.name}`);
      expect(again.status).toBe(404);
    });
  });
});
