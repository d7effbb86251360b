// Share links against a real wireguard-go local node, on both engines: a link is made (its token
// stored only as SHA-256, never logged), listed and revoked; its public page needs no login, escapes
// the peer's name and carries no-referrer / no-store / noindex and a strict CSP; a client namespace
// pings through the config downloaded from the link; a one-time link is spent by the first download
// (then 410), also when two downloads race; expired and revoked links → 410, unknown → 404; bad input
// → 400 naming the field; 200 wrong tokens from one address are cut off with 429 (other addresses
// are not).
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../packages/dashboard/src/clock.js";
import { forEachEngine } from "../support/databases.js";
import { bringUpClient, createNamespace, ping, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const HOUR_MS = 3_600_000;

describe.skipIf(skip)("share links", () => {
  forEachEngine("share links", (open) => {
    let f: LocalNodeFixture;
    let client: TestNamespace | undefined;
    let offset = 0;
    const clock: Clock = { now: () => Date.now() + offset };
    let peerId = "";
    const peerName = `<b>laptop</b> & "co"`;

    beforeAll(async () => {
      f = await openLocalNode(await open(), { clock });
      await setUpConfiguration(f);
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: peerName });
      expect(created.status, created.body).toBe(201);
      peerId = created.json().id;
    });

    afterAll(async () => {
      await client?.destroy();
      await f?.close();
    });

    /** An anonymous GET (no cookie, no key) from `address`. */
    const visit = async (url: string, address = "127.0.0.1") =>
      f.t.app.inject({ method: "GET", url: new URL(url, "http://x").pathname, remoteAddress: address });
    const share = async (body: unknown = {}) => {
      const created = await f.api("POST", `/api/v1/peers/${peerId}/share`, body);
      expect(created.status, created.body).toBe(201);
      return created.json() as { id: string; url: string; expiresAt: string; oneTime: boolean };
    };
    const tokenOf = (url: string) => url.split("/s/")[1] ?? "";

    it("makes a link with the defaults, answers exactly {id, url, expiresAt, oneTime}, and stores only the token's hash", async () => {
      const before = Date.now();
      const link = await share();
      expect(Object.keys(link).sort()).toEqual(["expiresAt", "id", "oneTime", "url"]);
      expect(link.oneTime).toBe(false);
      // Built from the request's host (no --public-url): inject's is "localhost:80".
      expect(link.url).toMatch(/^http:\/\/localhost(:80)?\/s\/[A-Za-z0-9_-]{43}$/);
      const expires = Date.parse(link.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 168 * HOUR_MS);
      expect(expires).toBeLessThanOrEqual(Date.now() + 168 * HOUR_MS);

      const token = tokenOf(link.url);
      const rows = await f.t.context.db.selectFrom("share_links").selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows.find((r) => r.id === link.id)?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      const listed = await f.api("GET", `/api/v1/peers/${peerId}/shares`);
      expect(listed.status).toBe(200);
      expect(listed.body).not.toContain(token);
      expect(listed.json().items[0]).toMatchObject({
        id: link.id,
        peerId,
        oneTime: false,
        status: "active",
        usedAt: null,
        revokedAt: null,
        createdBy: "admin",
      });
    });

    it("shows the public page without a login: the escaped name, a QR code, the download link, and safe headers", async () => {
      const link = await share({ expiresInHours: 2 });
      const page = await visit(link.url);
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(page.headers["referrer-policy"]).toBe("no-referrer");
      expect(page.headers["cache-control"]).toBe("no-store");
      expect(page.headers["x-robots-tag"]).toContain("noindex");
      expect(page.headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-/);
      expect(page.body).toContain('<meta name="robots" content="noindex, nofollow">');
      expect(page.body).toContain("&lt;b&gt;laptop&lt;/b&gt; &amp; &quot;co&quot;");
      expect(page.body).not.toContain("<b>laptop</b>");
      expect(page.body).toContain("<svg");
      expect(page.body).toContain(`href="${tokenOf(link.url)}/config"`);
      expect(page.body).not.toContain("PrivateKey");
      expect(page.body).not.toContain("<script");
    });

    it("hands out the config the peer's own download gives, and a client pings through it", async () => {
      const link = await share();
      const file = await visit(`${link.url}/config`);
      expect(file.statusCode).toBe(200);
      expect(file.headers["content-disposition"]).toMatch(/^attachment; filename="b_laptop_b_co_.conf"$/);
      expect(file.headers["referrer-policy"]).toBe("no-referrer");
      const own = await f.api("GET", `/api/v1/peers/${peerId}/config`);
      expect(file.body).toBe(own.body);

      client = await createNamespace("dbshare");
      await bringUpClient(client, file.body, uniqueName("dbsh", 15));
      expect(await ping(client, "198.51.100.1", { count: 3, timeoutSec: 5 })).toBe(true);
      // A multi-use link keeps working.
      expect((await visit(`${link.url}/config`)).statusCode).toBe(200);
    });

    it("spends a one-time link with the first download: the second gets the 410 page, the list says spent", async () => {
      const link = await share({ oneTime: true, expiresInHours: 1 });
      expect(link.oneTime).toBe(true);
      const page = await visit(link.url);
      expect(page.statusCode).toBe(200);
      // The page does not show the QR code itself (that would be a download nobody counted).
      expect(page.body).not.toContain("<svg");
      expect(page.body).toContain(`href="${tokenOf(link.url)}/qr"`);
      expect((await visit(link.url)).statusCode).toBe(200);
      // A link checker's HEAD neither gets the file nor uses the link up.
      const head = await f.t.app.inject({ method: "HEAD", url: new URL(`${link.url}/config`).pathname });
      expect(head.statusCode).toBe(404);

      expect((await visit(`${link.url}/config`)).statusCode).toBe(200);
      const again = await visit(`${link.url}/config`);
      expect(again.statusCode).toBe(410);
      expect(again.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(again.body).toContain("This link no longer works");
      expect(again.body).toContain("has been used");
      expect((await visit(link.url)).statusCode).toBe(410);
      expect((await visit(`${link.url}/qr`)).statusCode).toBe(410);
      const listed = (await f.api("GET", `/api/v1/peers/${peerId}/shares`)).json().items;
      expect(listed.find((l: { id: string }) => l.id === link.id)).toMatchObject({
        status: "spent",
        usedAt: expect.any(String),
      });
    });

    it("lets only one of ten racing downloads of a one-time link through; the QR page spends it too", async () => {
      const link = await share({ oneTime: true });
      const answers = await Promise.all(Array.from({ length: 10 }, () => visit(`${link.url}/config`)));
      expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.statusCode === 410)).toHaveLength(9);

      const qrLink = await share({ oneTime: true });
      const qr = await visit(`${qrLink.url}/qr`);
      expect(qr.statusCode).toBe(200);
      expect(qr.body).toContain("<svg");
      expect((await visit(`${qrLink.url}/config`)).statusCode).toBe(410);
    });

    it("answers 410 for a revoked link and an expired one, 404 for an unknown token", async () => {
      const link = await share();
      const revoked = await f.api("DELETE", `/api/v1/shares/${link.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.json()).toMatchObject({ id: link.id, status: "revoked", revokedAt: expect.any(String) });
      const gone = await visit(`${link.url}/config`);
      expect(gone.statusCode).toBe(410);
      expect(gone.body).toContain("revoked");
      expect((await visit(link.url)).statusCode).toBe(410);
      expect((await f.api("DELETE", `/api/v1/shares/${link.id}`)).status).toBe(200);
      expect((await f.api("DELETE", "/api/v1/shares/no-such-link")).status).toBe(404);

      const short = await share({ expiresInHours: 1 });
      offset = HOUR_MS + 1000;
      try {
        const expired = await visit(short.url);
        expect(expired.statusCode).toBe(410);
        expect(expired.body).toContain("expired");
        const listed = (await f.api("GET", `/api/v1/peers/${peerId}/shares`)).json().items;
        expect(listed.find((l: { id: string }) => l.id === short.id).status).toBe("expired");
      } finally {
        offset = 0;
      }
      const unknown = await visit(`/s/${"A".repeat(43)}`, "127.0.0.2");
      expect(unknown.statusCode).toBe(404);
      expect(unknown.body).toContain("No such link");
      expect((await visit("/s/short/config", "127.0.0.2")).statusCode).toBe(404);
    });

    it("refuses bad input naming the field, unknown peers, own-key peers and viewers, and creates nothing", async () => {
      const before = await f.t.context.db.selectFrom("share_links").select("id").execute();
      for (const [body, field] of [
        [{ expiresInHours: 0 }, "expiresInHours"],
        [{ expiresInHours: 8761 }, "expiresInHours"],
        [{ expiresInHours: 1.5 }, "expiresInHours"],
        [{ oneTime: "yes" }, "oneTime"],
        [{ token: "mine" }, "token"],
      ] as const) {
        const answer = await f.api("POST", `/api/v1/peers/${peerId}/share`, body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.json().error.field).toBe(field);
      }
      expect((await f.api("POST", "/api/v1/peers/no-such-peer/share", {})).status).toBe(404);
      expect((await f.api("GET", "/api/v1/peers/no-such-peer/shares")).status).toBe(404);
      const ownKey = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "own key",
        publicKey: generateKeyPair().publicKey,
      });
      const refused = await f.api("POST", `/api/v1/peers/${ownKey.json().id}/share`, {});
      expect(refused.status).toBe(409);
      expect(refused.json().error.field).toBe("publicKey");

      const viewer = await f.t.createUser("viewer");
      const viewerKey = await f.t.apiKeyFor(viewer);
      for (const [method, url] of [
        ["POST", `/api/v1/peers/${peerId}/share`],
        ["GET", `/api/v1/peers/${peerId}/shares`],
        ["DELETE", `/api/v1/shares/${before[0]?.id ?? "x"}`],
      ] as const) {
        const answer = await f.t.app.inject({ method, url, headers: f.t.bearer(viewerKey), payload: {} });
        expect(answer.statusCode, `${method} ${url}`).toBe(403);
      }
      const anonymous = await f.t.app.inject({
        method: "POST",
        url: `/api/v1/peers/${peerId}/share`,
        payload: {},
      });
      expect(anonymous.statusCode).toBe(401);
      expect(await f.t.context.db.selectFrom("share_links").select("id").execute()).toEqual(before);
    });

    it("cuts off an address after too many wrong tokens, but not another address or the link's owner", async () => {
      const link = await share();
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const guess = `${i.toString().padStart(4, "0")}${"x".repeat(39)}`;
        statuses.push((await visit(`/s/${guess}`, "198.18.7.7")).statusCode);
      }
      expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(20);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(180);
      const limited = await visit(link.url, "198.18.7.7");
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect(limited.body).toContain("Too many requests");
      expect((await visit(link.url, "198.18.7.8")).statusCode).toBe(200);
    });

    it("never writes a link's token to the log", async () => {
      const link = await share();
      await visit(link.url);
      await visit(`${link.url}/config`);
      expect(f.t.logs.join("\n")).not.toContain(tokenOf(link.url));
    });

    it("builds the link from --public-url when set", async () => {
      f.t.context.config.publicUrl = "https://vpn.example.test/wg";
      try {
        expect((await share()).url).toMatch(/^https:\/\/vpn\.example\.test\/wg\/s\/[A-Za-z0-9_-]{43}$/);
      } finally {
        f.t.context.config.publicUrl = null;
      }
    });

    it("goes with its peer: deleting the peer makes its links unknown", async () => {
      const extra = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "short-lived" });
      const link = (await f.api("POST", `/api/v1/peers/${extra.json().id}/share`, {})).json();
      expect((await f.api("DELETE", `/api/v1/peers/${extra.json().id}`)).status).toBe(204);
      expect((await visit(link.url, "127.0.0.3")).statusCode).toBe(404);
    });
  });
});
