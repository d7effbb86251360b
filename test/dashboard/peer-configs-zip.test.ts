// The configs.zip download against a real wireguard-go interface, on both engines: GET (ids in the
// query) and POST (ids in the body) stream one zip whose entries are exactly the peers' own config
// downloads, under file-system-safe, unique names; a peer created with its own public key is listed in
// NOT-INCLUDED.txt; unknown ids (or another configuration's) → 404 naming them; more than 10,000 ids
// or none → 400 naming `ids`.
import { generateKeyPair, MAX_ZIP_PEERS } from "@wgfleet/core";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

interface ZipAnswer {
  status: number;
  headers: Record<string, unknown>;
  raw: Buffer;
  json(): { error: { code: string; message: string; field?: string } };
}

describe.skipIf(skip)("peer configs zip", () => {
  forEachEngine("peer configs zip", (open) => {
    let f: LocalNodeFixture;
    const peers: Record<string, string> = {};

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const bodies = [
        { name: "alice phone" },
        { name: "alice/phone" }, // the same safe name as "alice phone": disambiguated
        { name: "CON" }, // a Windows device name
        { name: ".hidden laptop" },
        { name: "own key", publicKey: generateKeyPair().publicKey },
      ];
      for (const body of bodies) {
        const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, body);
        if (created.status !== 201) throw new Error(`peer ${body.name}: ${created.status} ${created.body}`);
        peers[body.name] = created.json().id;
      }
    });

    afterAll(async () => {
      await f?.close();
    });

    const zipUrl = () => `/api/v1/configurations/${f.name}/peers/configs.zip`;

    async function download(method: "GET" | "POST", ids: string[]): Promise<ZipAnswer> {
      const answer = await f.t.app.inject({
        method,
        url: method === "GET" ? `${zipUrl()}?ids=${encodeURIComponent(ids.join(","))}` : zipUrl(),
        headers: f.headers,
        ...(method === "POST" ? { payload: { ids } } : {}),
      });
      return {
        status: answer.statusCode,
        headers: answer.headers,
        raw: answer.rawPayload,
        json: () => answer.json(),
      };
    }

    const configOf = async (id: string) => (await f.api("GET", `/api/v1/peers/${id}/config`)).body;
    const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

    for (const method of ["GET", "POST"] as const) {
      it(`${method}: one safe, unique .conf per peer, equal to its own download, and NOT-INCLUDED.txt`, async () => {
        const answer = await download(method, Object.values(peers));
        expect(answer.status).toBe(200);
        expect(answer.headers["content-type"]).toBe("application/zip");
        expect(answer.headers["content-disposition"]).toBe(`attachment; filename="${f.name}-configs.zip"`);
        expect(answer.headers["cache-control"]).toBe("no-store");
        const files = unzipSync(new Uint8Array(answer.raw));
        expect(Object.keys(files).sort()).toEqual([
          "CON_.conf",
          "NOT-INCLUDED.txt",
          "alice_phone-2.conf",
          "alice_phone.conf",
          "hidden_laptop.conf",
        ]);
        // Entries follow the peers' names: "alice phone" sorts before "alice/phone".
        expect(text(files["alice_phone.conf"])).toBe(await configOf(peers["alice phone"] as string));
        expect(text(files["alice_phone-2.conf"])).toBe(await configOf(peers["alice/phone"] as string));
        expect(text(files["CON_.conf"])).toBe(await configOf(peers.CON as string));
        expect(text(files["hidden_laptop.conf"])).toBe(await configOf(peers[".hidden laptop"] as string));
        expect(text(files["alice_phone.conf"])).toContain("PrivateKey = ");
        const notIncluded = text(files["NOT-INCLUDED.txt"]);
        expect(notIncluded).toContain(`own key (${peers["own key"]})`);
        expect(notIncluded).toContain("own public key");
      });
    }

    it("has no NOT-INCLUDED.txt when every peer has a config, and counts a repeated id once", async () => {
      const id = peers["alice phone"] as string;
      const answer = await download("POST", [id, id]);
      expect(answer.status).toBe(200);
      expect(Object.keys(unzipSync(new Uint8Array(answer.raw)))).toEqual(["alice_phone.conf"]);
    });

    it("refuses unknown ids and other configurations' peers with a 404 naming them", async () => {
      for (const method of ["GET", "POST"] as const) {
        const answer = await download(method, [peers.CON as string, "no-such-peer", "nor-this-one"]);
        expect(answer.status).toBe(404);
        expect(answer.json().error.message).toContain("no-such-peer, nor-this-one");
        expect(answer.json().error.message).not.toContain(peers.CON as string);
      }
      const other = `${f.name.slice(0, 12)}x2`;
      expect((await f.api("POST", "/api/v1/configurations", { name: other })).status).toBe(201);
      try {
        const answer = await f.t.app.inject({
          method: "POST",
          url: `/api/v1/configurations/${other}/peers/configs.zip`,
          headers: f.headers,
          payload: { ids: [peers.CON] },
        });
        expect(answer.statusCode).toBe(404);
        expect(answer.json().error.message).toContain(peers.CON as string);
      } finally {
        await f.api("DELETE", `/api/v1/configurations/${other}`);
      }
    });

    it("refuses more than 10,000 ids, or none, with a 400 naming ids", async () => {
      const tooMany = Array.from({ length: MAX_ZIP_PEERS + 1 }, (_, i) => `p${i}`);
      for (const method of ["GET", "POST"] as const) {
        const answer = await download(method, tooMany);
        expect(answer.status, method).toBe(400);
        expect(answer.json().error.field, method).toBe("ids");
      }
      const none = await download("POST", []);
      expect(none.status).toBe(400);
      expect(none.json().error.field).toBe("ids");
      const blank = await download("GET", [" ", ""]);
      expect(blank.status).toBe(400);
      expect(blank.json().error.field).toBe("ids");
    });

    it("is for admins: a viewer is refused", async () => {
      const viewer = await f.t.apiKeyFor(await f.t.createUser("viewer"));
      const answer = await f.t.app.inject({
        method: "GET",
        url: `${zipUrl()}?ids=${peers.CON}`,
        headers: f.t.bearer(viewer),
      });
      expect(answer.statusCode).toBe(403);
    });
  });
});
