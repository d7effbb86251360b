// Bulk peers on both engines against a real wireguard-go local node: many peers in one call with every
// per-peer setting, live on the interface; a taken name or bad input changes nothing; bulk disable,
// enable and delete by filter (addresses freed); the CSV import refuses a file with a bad row (a
// newline inside a quoted name included) with line numbers and creates nothing, or with partial=true
// creates the good rows. The multi-node cases (spread, a failing node) are in test/multinode/bulk.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

interface Peer {
  id: string;
  name: string;
  publicKey: string;
  addresses: string[];
  enabled: boolean;
  expiresAt: string | null;
  dns: string[] | null;
  keepalive: number | null;
  quota: { bytes: number } | null;
}

describe.skipIf(skip)("bulk peers", () => {
  forEachEngine("bulk peers", (open) => {
    let f: LocalNodeFixture;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
    });

    afterAll(async () => {
      await f?.close();
    });

    const peers = async (): Promise<Peer[]> =>
      (await f.api("GET", `/api/v1/configurations/${f.name}/peers?limit=500`)).json().items;
    const importCsv = async (text: string, partial = false) => {
      const answer = await f.t.app.inject({
        method: "POST",
        url: `/api/v1/configurations/${f.name}/peers/import.csv${partial ? "?partial=true" : ""}`,
        headers: { ...f.headers, "content-type": "text/csv" },
        payload: text,
      });
      return { status: answer.statusCode, body: answer.body, json: () => answer.json() };
    };

    it("creates 20 peers in one call with the given settings, all live with their addresses", async () => {
      const answer = await f.api("POST", `/api/v1/configurations/${f.name}/peers/bulk`, {
        count: 20,
        namePrefix: "team",
        node: "local",
        expiresAt: "2099-06-30",
        dns: ["198.51.100.53"],
        keepalive: 25,
        quota: { bytes: 5_000_000, period: "monthly" },
      });
      expect(answer.status, answer.body).toBe(201);
      const created: Peer[] = answer.json().created;
      expect(answer.json().failures).toEqual([]);
      expect(created.map((p) => p.name)).toEqual(
        Array.from({ length: 20 }, (_, i) => `team-${String(i + 1).padStart(3, "0")}`),
      );
      const stored = await peers();
      expect(stored).toHaveLength(20);
      for (const peer of stored) {
        expect(peer).toMatchObject({
          expiresAt: "2099-06-30T00:00:00.000Z",
          dns: ["198.51.100.53"],
          keepalive: 25,
          quota: { bytes: 5_000_000 },
        });
      }
      const live = (await f.wg()).peers;
      for (const peer of created) expect(live.get(peer.publicKey)).toEqual(peer.addresses);
      expect(new Set(created.flatMap((p) => p.addresses)).size).toBe(20);
    });

    it("a taken name or bad input refuses the call, naming the field, and creates nothing", async () => {
      const taken = await f.api("POST", `/api/v1/configurations/${f.name}/peers/bulk`, {
        count: 25,
        namePrefix: "TEAM",
      });
      expect(taken.status).toBe(409);
      for (const [body, field] of [
        [{ count: 0, namePrefix: "x" }, "count"],
        [{ count: 1001, namePrefix: "x" }, "count"],
        [{ count: 2, namePrefix: "two\nlines" }, "namePrefix"],
        [{ count: 2, namePrefix: "x", expiresAt: "2030-02-30" }, "expiresAt"],
      ] as const) {
        const answer = await f.api("POST", `/api/v1/configurations/${f.name}/peers/bulk`, body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.json().error.field ?? answer.json().error.message).toContain(field);
      }
      expect(await peers()).toHaveLength(20);
      expect((await f.wg()).peers.size).toBe(20);
    });

    it("disables and enables by filter, deletes by search: the interface follows, addresses are freed", async () => {
      const filter = { configuration: f.name };
      const off = await f.api("POST", "/api/v1/peers/bulk", { filter, action: "disable" });
      expect(off.status, off.body).toBe(200);
      expect(off.json()).toMatchObject({ action: "disable", succeeded: 20, failed: 0 });
      expect((await f.wg()).peers.size).toBe(0);
      expect((await peers()).every((p) => !p.enabled)).toBe(true);

      const on = await f.api("POST", "/api/v1/peers/bulk", {
        filter: { ...filter, state: "disabled" },
        action: "enable",
      });
      expect(on.json()).toMatchObject({ succeeded: 20, failed: 0 });
      expect((await f.wg()).peers.size).toBe(20);

      const both = await f.api("POST", "/api/v1/peers/bulk", { ids: ["x"], filter, action: "delete" });
      expect(both.status).toBe(400);
      const before = await peers();
      const firstAddress = before.find((p) => p.name === "team-001")?.addresses;
      const gone = await f.api("POST", "/api/v1/peers/bulk", {
        filter: { ...filter, search: "team-00" },
        action: "delete",
      });
      expect(gone.json()).toMatchObject({ succeeded: 9, failed: 0 });
      expect(await peers()).toHaveLength(11);
      expect((await f.wg()).peers.size).toBe(11);
      const again = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "reuse" });
      expect(again.json().addresses).toEqual(firstAddress);
    });

    it("CSV import: a bad row refuses the file with its line and field; partial=true makes the good rows", async () => {
      const file = [
        "name,addresses,quotaBytes,node",
        "csv-a,198.51.100.200,,local",
        '"csv\nbroken",,,',
        "csv-b,,abc,",
        "csv-a,,,",
        "csv-c,10.9.9.9,,",
        "",
      ].join("\n");
      const refused = await importCsv(file);
      expect(refused.status, refused.body).toBe(400);
      expect(refused.json().rows.map((r: { line: number; field: string }) => `${r.line}:${r.field}`)).toEqual(
        ["3:name", "5:quotaBytes", "6:name", "7:addresses"],
      );
      expect(await peers()).toHaveLength(12);

      const partial = await importCsv(file, true);
      expect(partial.status, partial.body).toBe(201);
      expect(partial.json().created.map((p: Peer) => [p.name, p.addresses])).toEqual([
        ["csv-a", ["198.51.100.200/32"]],
      ]);
      expect(partial.json().errors).toHaveLength(4);
      expect((await f.wg()).peers.get(partial.json().created[0].publicKey)).toEqual(["198.51.100.200/32"]);

      const header = await importCsv("name,privateKey\nx,y\n");
      expect(header.status).toBe(400);
      expect(header.json().rows[0]).toMatchObject({ line: 1, field: "privateKey" });
    });

    it("CSV export: every peer, no key but the public one", async () => {
      const answer = await f.api("GET", `/api/v1/configurations/${f.name}/peers.csv`);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-disposition"]).toBe(`attachment; filename="${f.name}-peers.csv"`);
      const lines = answer.body.trim().split("\r\n");
      expect(lines[0]).toBe("name,addresses,publicKey,expiresAt,quotaBytes,enabled,node");
      expect(lines).toHaveLength((await peers()).length + 1);
      expect(lines.find((l) => l.startsWith("team-010,"))).toMatch(
        /,2099-06-30T00:00:00.000Z,5000000,true,local$/,
      );
      expect(answer.body).not.toMatch(/PrivateKey|PresharedKey/i);
    });
  });
});
