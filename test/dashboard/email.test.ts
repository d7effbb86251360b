// E-mail against a real SMTP server on loopback (test/support/smtp-sink.ts) and a real wireguard-go
// local node, on both engines: the SMTP settings are checked field by field (nothing stored on a bad
// one), the password is stored encrypted and never answered; a test mail arrives, and a refused login
// or a server that is down answers 502 SMTP_ERROR quoting the server and changes nothing; a peer's
// contact address is checked; "email this peer" mails a share link (never a key) that works — a
// client pings through the config it downloads — and a failed send leaves no link; the expiry and
// quota warnings go out once each, wait in the outbox while the server is down and are sent after it
// comes back, also by a new worker (a restart).

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../packages/dashboard/src/clock.js";
import { createEmailServices } from "../../packages/dashboard/src/email/index.js";
import { forEachEngine } from "../support/databases.js";
import { bringUpClient, createNamespace, ping, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const DAY_MS = 24 * 3_600_000;
const SMTP_PASSWORD = "smtp-Pa55-word-not-in-answers";

describe.skipIf(skip)("e-mail", () => {
  forEachEngine("e-mail", (open) => {
    let f: LocalNodeFixture;
    let sink: SmtpSink;
    let client: TestNamespace | undefined;
    let offset = 0;
    const clock: Clock = { now: () => Date.now() + offset };

    beforeAll(async () => {
      sink = await startSmtpSink();
      f = await openLocalNode(await open(), { clock });
      await setUpConfiguration(f);
    });

    afterAll(async () => {
      await client?.destroy();
      await f?.close();
      await sink?.close();
    });

    const request = async (method: "GET" | "PUT" | "POST" | "PATCH", url: string, payload?: object) => {
      const response = await f.t.app.inject({
        method,
        url,
        headers: f.headers,
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.body, json: () => response.json() };
    };
    const settingsBody = (overrides: Record<string, unknown> = {}) => ({
      enabled: true,
      host: sink.host,
      port: sink.port,
      security: "none",
      user: "mailer",
      password: SMTP_PASSWORD,
      from: "wgfleet@example.org",
      ...overrides,
    });
    const stored = () => f.t.context.db.selectFrom("email_settings").selectAll().executeTakeFirst();
    const createPeer = async (body: Record<string, unknown>) => {
      const created = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, body);
      expect(created.status, created.body).toBe(201);
      return created.json() as { id: string; contactEmail: string | null };
    };

    it("starts with mail off and refuses bad settings naming each field, storing nothing", async () => {
      const first = await request("GET", "/api/v1/settings/email");
      expect(first.status).toBe(200);
      expect(first.json()).toMatchObject({ enabled: false, host: "", passwordSet: false });
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ host: "smtp example.org" }, "host"],
        [{ host: "" }, "host"],
        [{ port: 0 }, "port"],
        [{ port: 70000 }, "port"],
        [{ security: "ssl" }, "security"],
        [{ from: "not-an-address" }, "from"],
        [{ from: "a@example.org\r\nBcc: x@example.org" }, "from"],
        [{ user: "mailer\nX-Injected: 1" }, "user"],
        [{ password: "pass\r\nword" }, "password"],
        [{ user: null }, "user"],
      ];
      for (const [overrides, field] of bad) {
        const answer = await request("PUT", "/api/v1/settings/email", settingsBody(overrides));
        expect(answer.status, JSON.stringify(overrides)).toBe(400);
        expect(answer.body, JSON.stringify(overrides)).toContain(field);
      }
      expect(await stored()).toBeUndefined();
      const viewer = await f.t.createUser("viewer");
      const asViewer = await f.t.app.inject({
        method: "GET",
        url: "/api/v1/settings/email",
        headers: f.t.bearer(await f.t.apiKeyFor(viewer)),
      });
      expect(asViewer.statusCode).toBe(403);
    });

    it("stores the password encrypted, answers only passwordSet, and keeps it when a change omits it", async () => {
      sink.requireAuth = { user: "mailer", pass: SMTP_PASSWORD };
      const saved = await request("PUT", "/api/v1/settings/email", settingsBody());
      expect(saved.status, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({
        enabled: true,
        port: sink.port,
        user: "mailer",
        passwordSet: true,
      });
      expect(saved.body).not.toContain(SMTP_PASSWORD);
      const row = await stored();
      expect(JSON.stringify(row)).not.toContain(SMTP_PASSWORD);
      expect(row?.password_enc).toMatch(/^v1:/);
      const { password: _omitted, ...withoutPassword } = settingsBody({ from: "fleet@example.org" });
      const changed = await request("PUT", "/api/v1/settings/email", withoutPassword);
      expect(changed.json()).toMatchObject({ from: "fleet@example.org", passwordSet: true });
      const read = await request("GET", "/api/v1/settings/email");
      expect(read.body).not.toContain(SMTP_PASSWORD);
      // The kept password still logs in.
      const test = await request("POST", "/api/v1/settings/email/test", { to: "admin@example.org" });
      expect(test.status, test.body).toBe(200);
      const mail = sink.received.at(-1);
      expect(mail).toMatchObject({
        from: "fleet@example.org",
        to: ["admin@example.org"],
        subject: "wgfleet: test mail",
      });
    });

    it("answers an SMTP failure with 502 SMTP_ERROR quoting the server, without a secret, changing nothing", async () => {
      const before = await stored();
      const count = sink.received.length;
      sink.requireAuth = { user: "mailer", pass: "another password" };
      const refused = await request("POST", "/api/v1/settings/email/test", { to: "admin@example.org" });
      expect(refused.status).toBe(502);
      expect(refused.json().error.code).toBe("SMTP_ERROR");
      expect(refused.json().error.message).toContain(`${sink.host}:${sink.port}`);
      expect(refused.json().error.message).toContain("535");
      expect(refused.body).not.toContain(SMTP_PASSWORD);
      sink.requireAuth = { user: "mailer", pass: SMTP_PASSWORD };
      await sink.stop();
      try {
        const down = await request("POST", "/api/v1/settings/email/test", { to: "admin@example.org" });
        expect(down.status).toBe(502);
        expect(down.json().error).toMatchObject({ code: "SMTP_ERROR" });
        expect(down.json().error.message).toContain("could not be reached");
      } finally {
        await sink.start();
      }
      const badTo = await request("POST", "/api/v1/settings/email/test", { to: "x\n@example.org" });
      expect(badTo.status).toBe(400);
      expect(badTo.json().error.field).toBe("to");
      expect(await stored()).toEqual(before);
      expect(sink.received.length).toBe(count);
    });

    it("checks a peer's contact address on create and update and shows it", async () => {
      const newline = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, {
        name: "bad-contact",
        contactEmail: "user@example.org\nBcc: evil@example.org",
      });
      expect(newline.status).toBe(400);
      expect(newline.json().error.field).toBe("contactEmail");
      const peer = await createPeer({ name: "contact", contactEmail: "User@Example.org " });
      expect(peer.contactEmail).toBe("User@Example.org");
      const bad = await f.api("PATCH", `/api/v1/peers/${peer.id}`, { contactEmail: "nobody" });
      expect(bad.status).toBe(400);
      expect(bad.json().error.field).toBe("contactEmail");
      const cleared = await f.api("PATCH", `/api/v1/peers/${peer.id}`, { contactEmail: null });
      expect(cleared.json().contactEmail).toBeNull();
      const set = await f.api("PATCH", `/api/v1/peers/${peer.id}`, { contactEmail: "phone@example.org" });
      expect((await f.api("GET", `/api/v1/peers/${set.json().id}`)).json().contactEmail).toBe(
        "phone@example.org",
      );
    });

    it("mails a working share link and no key; a client pings through the config it downloads", async () => {
      const noContact = await createPeer({ name: "no-contact" });
      const missing = await f.api("POST", `/api/v1/peers/${noContact.id}/email`, {});
      expect(missing.status).toBe(400);
      expect(missing.json().error.field).toBe("to");

      const peer = await createPeer({ name: "mailed", contactEmail: "owner@example.org" });
      const own = await f.api("GET", `/api/v1/peers/${peer.id}/config`);
      const privateKey = /^PrivateKey = (\S+)$/m.exec(own.body)?.[1] as string;
      const presharedKey = /^PresharedKey = (\S+)$/m.exec(own.body)?.[1] as string;
      const sent = await f.api("POST", `/api/v1/peers/${peer.id}/email`, { expiresInHours: 2 });
      expect(sent.status, sent.body).toBe(201);
      expect(sent.json()).toMatchObject({ to: "owner@example.org" });
      const mail = sink.received.at(-1);
      expect(mail?.to).toEqual(["owner@example.org"]);
      expect(mail?.raw).not.toContain(privateKey);
      expect(mail?.raw).not.toContain(presharedKey);
      expect(mail?.raw).not.toContain("PrivateKey");
      const url = /https?:\/\/\S+\/s\/[A-Za-z0-9_-]{43}/.exec(mail?.text ?? "")?.[0] as string;
      expect(url).toBeTruthy();
      const listed = (await f.api("GET", `/api/v1/peers/${peer.id}/shares`)).json().items;
      expect(listed).toEqual([expect.objectContaining({ id: sent.json().shareId, status: "active" })]);

      const file = await f.t.app.inject({ method: "GET", url: `${new URL(url).pathname}/config` });
      expect(file.statusCode).toBe(200);
      expect(file.body).toBe(own.body);
      client = await createNamespace("dbmail");
      await bringUpClient(client, file.body, uniqueName("dbml", 15));
      expect(await ping(client, "198.51.100.1", { count: 3, timeoutSec: 5 })).toBe(true);

      // Another address than the contact's; and a failed send leaves no link behind.
      const other = await f.api("POST", `/api/v1/peers/${peer.id}/email`, { to: "second@example.org" });
      expect(other.status).toBe(201);
      expect(sink.received.at(-1)?.to).toEqual(["second@example.org"]);
      await sink.stop();
      try {
        const failed = await f.api("POST", `/api/v1/peers/${peer.id}/email`, {});
        expect(failed.status).toBe(502);
        expect(failed.json().error.code).toBe("SMTP_ERROR");
      } finally {
        await sink.start();
      }
      expect((await f.api("GET", `/api/v1/peers/${peer.id}/shares`)).json().items).toHaveLength(2);
    });

    it("warns before expiry and at 80 % of a quota once each, retries while the server is down, also after a restart", async () => {
      const warnings = () =>
        f.t.context.db.selectFrom("email_outbox").selectAll().orderBy("created_at").execute();
      const worker = f.t.context.services.emailWarnings;
      const expiresAt = new Date(clock.now() + 10 * DAY_MS).toISOString();
      const peer = await createPeer({ name: "expiring", contactEmail: "leaving@example.org", expiresAt });
      expect((await worker.runOnce()).queued).toBe(0);

      offset += 4 * DAY_MS;
      expect(await worker.runOnce()).toEqual({ queued: 1, sent: 1, failed: 0 });
      expect(await worker.runOnce()).toEqual({ queued: 0, sent: 0, failed: 0 });
      const weekMail = sink.received.at(-1);
      expect(weekMail?.to).toEqual(["leaving@example.org"]);
      expect(weekMail?.subject).toContain("expires in 7 days or less");

      await sink.stop();
      offset += 5.5 * DAY_MS;
      expect(await worker.runOnce()).toEqual({ queued: 1, sent: 0, failed: 1 });
      const pending = (await warnings()).find((row) => row.kind === "expiry_1d");
      expect(pending).toMatchObject({ status: "pending", attempts: 1, peer_id: peer.id });
      expect(pending?.last_error).toContain("could not be reached");

      // A restart: a new worker over the same database finds the queued mail.
      await sink.start();
      const restarted = createEmailServices({
        db: f.t.context.db,
        secrets: f.t.context.secrets,
        logger: f.t.context.logger,
        clock,
        audit: f.t.context.services.audit,
        peers: f.t.context.services.peers,
        shares: f.t.context.services.shares,
      }).emailWarnings;
      expect(await restarted.runOnce()).toEqual({ queued: 0, sent: 0, failed: 0 });
      offset += 2 * 60_000;
      expect(await restarted.runOnce()).toEqual({ queued: 0, sent: 1, failed: 0 });
      expect(sink.received.at(-1)?.subject).toContain("expires within a day");
      expect(await restarted.runOnce()).toEqual({ queued: 0, sent: 0, failed: 0 });
      const expiryMails = sink.received.filter((mail) => mail.to[0] === "leaving@example.org");
      expect(expiryMails).toHaveLength(2);

      // The quota: 79 % used warns nobody, 81 % warns once.
      const quota = await createPeer({
        name: "heavy",
        contactEmail: "heavy@example.org",
        quota: { bytes: 1_000_000, period: "monthly" },
      });
      const setUsed = (used: number) =>
        f.t.context.db
          .updateTable("peer_quotas")
          .set({
            start_rx: sql`coalesce((select rx_bytes from peer_stats where peer_id = ${quota.id}), 0) - ${used}`,
            start_tx: sql`coalesce((select tx_bytes from peer_stats where peer_id = ${quota.id}), 0)`,
          })
          .where("peer_id", "=", quota.id)
          .execute();
      await setUsed(790_000);
      expect((await worker.runOnce()).queued).toBe(0);
      await setUsed(810_000);
      expect(await worker.runOnce()).toEqual({ queued: 1, sent: 1, failed: 0 });
      expect(await worker.runOnce()).toEqual({ queued: 0, sent: 0, failed: 0 });
      expect(sink.received.at(-1)).toMatchObject({ to: ["heavy@example.org"] });
      expect(sink.received.at(-1)?.subject).toContain("80 %");
      const kinds = (await warnings()).map((row) => `${row.kind}:${row.status}`);
      expect(kinds).toEqual(["expiry_7d:sent", "expiry_1d:sent", "quota_80:sent"]);
    });
  });
});
