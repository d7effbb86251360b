// What the live poll costs on the wire: API JSON is compressed as the client accepts (br, gzip; not
// below the threshold), and a GET that sends back the last ETag gets 304 with no body until the
// answer changes. Real app, real database (both engines).
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { insertConfiguration, insertInterface, insertPeer } from "../db/test-support/rows.js";
import { COMPRESS_THRESHOLD_BYTES } from "./app.js";
import { etagOf, matchesIfNoneMatch } from "./conditional-get.js";
import { createTestApp, type TestApp } from "./test-support/test-app.js";

const PEERS = 120;

describe("If-None-Match", () => {
  it("matches weakly, in a list, and on *", () => {
    const tag = etagOf("{}");
    expect(tag).toMatch(/^W\/"[\w-]+"$/);
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch(tag.slice(2), tag)).toBe(true);
    expect(matchesIfNoneMatch(`W/"other", ${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch("*", tag)).toBe(true);
    expect(matchesIfNoneMatch('W/"other"', tag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
    expect(etagOf("{}")).not.toBe(etagOf("[]"));
  });
});

forEachEngine("compressed, conditional API answers", (open) => {
  let t: TestApp;
  let peerId: string;
  const list = "/api/v1/configurations/wire/peers?limit=500";
  beforeAll(async () => {
    t = await createTestApp(await open());
    const db = t.context.db;
    const configurationId = await insertConfiguration(db, { name: "wire" });
    const interfaceId = await insertInterface(db, { configuration_id: configurationId });
    for (let i = 0; i < PEERS; i++)
      peerId = await insertPeer(db, {
        interface_id: interfaceId,
        name: `peer-${String(i).padStart(4, "0")}`,
        addresses: JSON.stringify([`198.51.100.${i + 2}/32`]),
      });
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "GET", url, headers: { ...t.bearer(t.adminKey), ...headers } });

  it("compresses a large JSON answer with brotli or gzip, as accepted", async () => {
    const plain = await get(list);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.json().items).toHaveLength(PEERS);

    const br = await get(list, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.body.length / 3);

    const gzip = await get(list, { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(gzip.headers.vary).toMatch(/accept-encoding/i);
  });

  it("leaves a small answer uncompressed", async () => {
    const me = await get("/api/v1/me", { "accept-encoding": "br, gzip" });
    expect(me.body.length).toBeLessThan(COMPRESS_THRESHOLD_BYTES);
    expect(me.headers["content-encoding"]).toBeUndefined();
  });

  it("answers 304 without a body while nothing changed, 200 with a new ETag after a change", async () => {
    const first = await get(list, { "accept-encoding": "br" });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    // The same tag whatever the encoding: it is over the JSON.
    expect((await get(list)).headers.etag).toBe(etag);

    const again = await get(list, { "if-none-match": etag, "accept-encoding": "br" });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers["cache-control"]).toBe("no-store");

    const renamed = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/peers/${peerId}`,
      headers: t.bearer(t.adminKey),
      payload: { description: "changed" },
    });
    expect(renamed.statusCode).toBe(200);
    const after = await get(list, { "if-none-match": etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().items.find((p: { id: string }) => p.id === peerId).description).toBe("changed");
  });

  it("never answers 304 to an error, a write or a request without credentials", async () => {
    const first = await get(list);
    const etag = first.headers.etag as string;
    const anonymous = await t.app.inject({ method: "GET", url: list, headers: { "if-none-match": etag } });
    expect(anonymous.statusCode).toBe(401);
    const missing = await get("/api/v1/configurations/nope/peers", { "if-none-match": "*" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
  });
});
