// Reconcile and `/test` of the local node through the API, against a real wireguard-go interface in a
// namespace, on both engines: drift made behind the dashboard's back (a peer removed, a stray peer
// added) is repaired through the same node seam a remote node uses, and `/test` reports the dashboard
// package's own version for the local node.
import { readFileSync } from "node:fs";
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL("../../packages/dashboard/package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

describe.skipIf(skip)("the local node's reconcile and test", () => {
  forEachEngine("local node reconcile", (open) => {
    let f: LocalNodeFixture;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
    });

    afterAll(async () => {
      await f?.close();
    });

    it("puts back a peer removed behind its back and removes a stray peer", async () => {
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "drifter" });
      expect(created.status, created.body).toBe(201);
      const wanted: string = created.json().publicKey;
      const stray = generateKeyPair().publicKey;
      await f.server.exec("wg", ["set", f.name, "peer", wanted, "remove"]);
      await f.server.exec("wg", ["set", f.name, "peer", stray, "allowed-ips", "198.51.100.200/32"]);
      expect([...(await f.wg()).peers.keys()]).toEqual([stray]);

      const reconciled = await f.api("POST", "/api/v1/nodes/local/reconcile");
      expect(reconciled.status, reconciled.body).toBe(200);
      expect(reconciled.json().node).toMatchObject({ id: "local" });
      expect(reconciled.json().interfaces).toEqual([
        { interface: f.name, restored: 0, strayRemoved: 1, stray: 1 },
      ]);
      const live = (await f.wg()).peers;
      expect([...live.keys()]).toEqual([wanted]);
      expect(live.get(wanted)).toEqual(["198.51.100.2/32"]);
    });

    it("`/test` of the local node answers with the dashboard package's version", async () => {
      const tested = await f.api("POST", "/api/v1/nodes/local/test");
      expect(tested.status, tested.body).toBe(200);
      expect(tested.json()).toMatchObject({
        ok: true,
        agentVersion: PACKAGE_VERSION,
        protocol: "v1",
        clockSkewMs: 0,
      });
      expect(tested.json().latencyMs).toBeGreaterThanOrEqual(0);
    });
  });
});
