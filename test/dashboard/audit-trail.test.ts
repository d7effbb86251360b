// The audit trail end to end, against a real dashboard process with a local node and a real agent:
// every write route the app registers is called once with a request that succeeds, and each leaves
// exactly one audit entry naming its actor (user or API key), address and action; a route without a
// call here fails the test, so a new write route is caught when it is merged. Then every secret the
// suite sent or the dashboard made (node secret, API key, passwords, preshared keys, private keys) is
// searched for in every audit entry.
import { randomBytes } from "node:crypto";
import { generateKeyPair, generatePresharedKey } from "@wgfleet/core";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWriteMethod } from "../../packages/dashboard/src/auth/actor.js";
import { registeredRoutes } from "../../packages/dashboard/src/http/app.js";
import { createTestApp } from "../../packages/dashboard/src/http/test-support/test-app.js";
import { type ApiAnswer, FleetApi } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { openTestDatabase } from "../support/databases.js";
import { bringUpClient } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";

const skip = missingPrerequisites(wireguardPrerequisites());

interface Entry {
  id: number;
  actor: string;
  apiKey: string | null;
  action: string;
  entity: string | null;
  target: string | null;
  address: string | null;
  changes: Record<string, { before?: unknown; after?: unknown; changed?: true }> | null;
  details: Record<string, unknown> | null;
}

/** The write routes of the app as registered (every area), as "METHOD /pattern". */
async function writeRoutes(): Promise<string[]> {
  const database = await openTestDatabase("sqlite");
  const t = await createTestApp(database);
  try {
    return registeredRoutes(t.app)
      .filter((route) => isWriteMethod(route.method) && route.url.startsWith("/api/"))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
  } finally {
    await t.close();
    await database.close();
  }
}

describe.skipIf(skip)("the audit trail records every write once, and no secret", () => {
  const current = useFleet({ nodes: 1, prefix: "au", dashboard: { local: true } });
  const api = (): FleetApi => current().api;
  const secrets: Array<{ what: string; value: string }> = [];
  /** route → the entry its call left. */
  const recorded = new Map<string, Entry>();
  let newest = 0;
  let sink: SmtpSink | undefined;

  const secret = (what: string, value: string): string => {
    secrets.push({ what, value });
    return value;
  };

  /** Entries after the last one seen, oldest first. */
  async function newEntries(): Promise<Entry[]> {
    const page = await api().expect<{ items: Entry[] }>("GET", "/api/v1/audit?limit=500");
    const fresh = page.json.items.filter((entry) => entry.id > newest).reverse();
    newest = Math.max(newest, ...page.json.items.map((entry) => entry.id));
    return fresh;
  }

  /** Calls a route (by its pattern), expects success and exactly one new entry, and keeps it. */
  async function write(route: string, call: () => Promise<{ status: number; text: string }>): Promise<Entry> {
    await newEntries();
    const answer = await call();
    expect(answer.status, `${route}: ${answer.text}`).toBeLessThan(300);
    const entries = await newEntries();
    expect(
      entries.map((entry) => entry.action),
      route,
    ).toHaveLength(1);
    const entry = entries[0] as Entry;
    expect(entry.address, route).toBe("127.0.0.1");
    recorded.set(route, entry);
    return entry;
  }

  async function cookieLogin(username: string, password: string) {
    const answer = await fetch(`${current().dashboard?.url}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    const text = await answer.text();
    const cookie = answer.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const csrfToken = answer.status === 200 ? (JSON.parse(text) as { csrfToken: string }).csrfToken : "";
    return { status: answer.status, text, cookie, csrfToken };
  }

  const as = (key: string) => new FleetApi(api().baseUrl, key);

  beforeAll(async () => {
    await newEntries();
    sink = await startSmtpSink();
  });

  afterAll(async () => {
    // The fleet (namespaces, processes, temp dirs) is stopped by useFleet; the SMTP sink is ours.
    await sink?.close();
  });

  it("records each write route once, with its actor and the fields that changed", async () => {
    const fleet = current();
    const dashboard = fleet.dashboard;
    if (!dashboard) throw new Error("no dashboard");
    const adminPassword = secret("admin password", dashboard.adminPassword);
    secret("harness API key", dashboard.apiKey);
    const node = fleet.node(0);
    secret("node secret", node.secret);
    const name = fleet.localInterfaceName(0);

    // A refused login leaves one entry although the request fails.
    const refused = await cookieLogin(
      "admin",
      secret("wrong password", `wrong-${randomBytes(6).toString("hex")}`),
    );
    expect(refused.status).toBe(401);
    const [failed, ...more] = await newEntries();
    expect(more).toEqual([]);
    expect(failed).toMatchObject({ actor: "admin", action: "session.login_failed", address: "127.0.0.1" });

    let session = { cookie: "", csrfToken: "" };
    await write("POST /api/v1/session", async () => {
      const login = await cookieLogin("admin", adminPassword);
      session = login;
      return login;
    });
    secret("session CSRF token", session.csrfToken);
    await write("DELETE /api/v1/session", async () => {
      const answer = await fetch(`${dashboard.url}/api/v1/session`, {
        method: "DELETE",
        headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken },
      });
      return { status: answer.status, text: await answer.text() };
    });

    const created = await write("POST /api/v1/users", () =>
      api().post("/api/v1/users", {
        username: "auditee",
        password: secret("new user's password", `pw-${randomBytes(8).toString("hex")}`),
        role: "viewer",
      }),
    );
    expect(created).toMatchObject({ actor: "admin", apiKey: "fleet-harness", action: "user.create" });
    expect(created.changes?.role).toEqual({ before: null, after: "viewer" });
    const userId = created.target as string;
    const secondPassword = secret("reset password", `pw-${randomBytes(8).toString("hex")}`);
    const updated = await write("PATCH /api/v1/users/:id", () =>
      api().patch(`/api/v1/users/${userId}`, { role: "admin", password: secondPassword }),
    );
    expect(updated.changes).toMatchObject({
      role: { before: "viewer", after: "admin" },
      password: { changed: true },
    });

    const keyEntry = await write("POST /api/v1/apikeys", async () => {
      const answer = await api().post("/api/v1/apikeys", { name: "auditee-key", userId });
      if (answer.status === 201) secret("auditee's API key", answer.json.key);
      return answer;
    });
    const auditeeKey = secrets.at(-1)?.value as string;
    const changedOwn = await write("POST /api/v1/users/me/password", () =>
      as(auditeeKey).post("/api/v1/users/me/password", {
        currentPassword: secondPassword,
        newPassword: secret("changed password", `pw-${randomBytes(8).toString("hex")}`),
      }),
    );
    expect(changedOwn).toMatchObject({
      actor: "auditee",
      apiKey: "auditee-key",
      action: "user.change_password",
    });

    await write("POST /api/v1/configurations", () =>
      api().post("/api/v1/configurations", { name, clientAllowedIps: ["198.51.100.0/24"] }),
    );
    const configUpdate = await write("PATCH /api/v1/configurations/:name", () =>
      api().patch(`/api/v1/configurations/${name}`, { mtu: 1380 }),
    );
    expect(configUpdate.changes).toEqual({ mtu: { before: null, after: 1380 } });

    const nodeCreated = await write("POST /api/v1/nodes", () =>
      api().post("/api/v1/nodes", {
        name: node.name,
        agentUrl: node.agentUrl,
        secret: node.secret,
        endpoint: node.address,
      }),
    );
    expect(nodeCreated).toMatchObject({ action: "node.create", entity: "node" });
    expect(nodeCreated.changes).toMatchObject({
      name: { before: null, after: node.name },
      secret: { changed: true },
    });
    const nodeId = nodeCreated.target as string;
    await write("POST /api/v1/nodes/:id/test", () => api().post(`/api/v1/nodes/${nodeId}/test`));
    const nodeUpdate = await write("PATCH /api/v1/nodes/:id", () =>
      api().patch(`/api/v1/nodes/${nodeId}`, { weight: 50 }),
    );
    expect(nodeUpdate.changes).toEqual({ weight: { before: 100, after: 50 } });
    await write("POST /api/v1/nodes/:id/confirm-agent", () =>
      api().post(`/api/v1/nodes/${nodeId}/confirm-agent`),
    );
    await write("POST /api/v1/nodes/:id/reconcile", () => api().post(`/api/v1/nodes/${nodeId}/reconcile`));
    const rotated = await write("POST /api/v1/nodes/:id/rotate-secret", () =>
      api().post(`/api/v1/nodes/${nodeId}/rotate-secret`),
    );
    expect(rotated).toMatchObject({ action: "node.rotate-secret", entity: "node", target: nodeId });
    let joinToken = "";
    const tokenCreated = await write("POST /api/v1/join-tokens", async () => {
      const answer = await api().post("/api/v1/join-tokens", { name: "audited", expiresInMinutes: 5 });
      if (answer.status === 201) joinToken = secret("join token", answer.json.token);
      return answer;
    });
    const joined = await write("POST /api/v1/join", () =>
      api().post("/api/v1/join", {
        token: joinToken,
        name: "joined-audited",
        // Nobody answers there: the node is added all the same (offline), as POST /api/v1/nodes would.
        agentUrl: "http://127.0.0.1:9",
        secret: secret("joined node secret", randomBytes(24).toString("hex")),
        endpoint: "198.18.0.1",
      }),
    );
    expect(joined).toMatchObject({ action: "node.create", entity: "node" });
    await api().expect("DELETE", `/api/v1/nodes/${joined.target}`, undefined, [200, 204]);
    await write("DELETE /api/v1/join-tokens/:id", () =>
      api().delete(`/api/v1/join-tokens/${tokenCreated.target}`),
    );

    await write("POST /api/v1/configurations/:name/interfaces", () =>
      api().post(`/api/v1/configurations/${name}/interfaces`, {
        nodeId: "local",
        listenPort: 51820,
        pool: "198.51.100.0/24",
        interfaceName: name,
      }),
    );
    await write("PATCH /api/v1/configurations/:name/interfaces/:nodeId", () =>
      api().patch(`/api/v1/configurations/${name}/interfaces/local`, { mtu: 1400 }),
    );

    const client = generateKeyPair();
    secret("client private key", client.privateKey);
    const psk = secret("client preshared key", generatePresharedKey());
    const peerCreated = await write("POST /api/v1/configurations/:name/peers", () =>
      api().post(`/api/v1/configurations/${name}/peers`, {
        name: "known-keys",
        node: "local",
        publicKey: client.publicKey,
        presharedKey: psk,
      }),
    );
    expect(peerCreated).toMatchObject({ action: "peer.create", entity: "peer" });
    expect(peerCreated.changes?.name).toEqual({ before: null, after: "known-keys" });
    const peerId = peerCreated.target as string;
    const generated = await api().expect("POST", `/api/v1/configurations/${name}/peers`, {
      name: "generated",
    });
    await newEntries();
    const config = await api().expect("GET", `/api/v1/peers/${generated.json.id}/config`);
    for (const match of config.text.matchAll(/^(PrivateKey|PresharedKey) = (\S+)$/gm)) {
      secret(`generated peer's ${match[1]}`, match[2] as string);
    }
    await write("POST /api/v1/configurations/:name/peers/configs.zip", () =>
      api().post(`/api/v1/configurations/${name}/peers/configs.zip`, { ids: [generated.json.id] }),
    );

    // Bulk (issue 15): many peers in one call, one action on many, a CSV import — one entry each.
    const bulkCreated = await write("POST /api/v1/configurations/:name/peers/bulk", () =>
      api().post(`/api/v1/configurations/${name}/peers/bulk`, {
        count: 3,
        namePrefix: "audited",
        node: "local",
      }),
    );
    expect(bulkCreated).toMatchObject({ action: "peer.bulk_create", entity: "configuration" });
    expect(bulkCreated.details).toMatchObject({ count: 3, created: 3, failures: [] });
    const imported = await write("POST /api/v1/configurations/:name/peers/import.csv", () =>
      api().postText(`/api/v1/configurations/${name}/peers/import.csv`, "text/csv", "name\naudited-csv\n"),
    );
    expect(imported).toMatchObject({
      action: "peer.import_csv",
      details: expect.objectContaining({ created: 1 }),
    });
    const bulkDisabled = await write("POST /api/v1/peers/bulk", () =>
      api().post("/api/v1/peers/bulk", {
        filter: { configuration: name, search: "audited" },
        action: "disable",
      }),
    );
    expect(bulkDisabled).toMatchObject({
      action: "peer.bulk_disable",
      details: expect.objectContaining({ succeeded: 4, failed: 0 }),
    });
    await api().expect("POST", "/api/v1/peers/bulk", {
      filter: { configuration: name, search: "audited" },
      action: "delete",
    });
    await newEntries();

    let shareId = "";
    await write("POST /api/v1/peers/:id/share", async () => {
      const answer = await api().post(`/api/v1/peers/${generated.json.id}/share`, { expiresInHours: 1 });
      if (answer.status === 201) {
        shareId = answer.json.id;
        secret("share link token", String(answer.json.url).split("/s/")[1] as string);
      }
      return answer;
    });
    await write("DELETE /api/v1/shares/:id", () => api().delete(`/api/v1/shares/${shareId}`));

    // E-mail: the SMTP settings (password never in the entry), a test mail, a peer's link mailed.
    if (!sink) throw new Error("no SMTP sink");
    sink.requireAuth = {
      user: "mailer",
      pass: secret("SMTP password", `smtp-${randomBytes(8).toString("hex")}`),
    };
    const emailSettings = await write("PUT /api/v1/settings/email", () =>
      api().put("/api/v1/settings/email", {
        enabled: true,
        host: sink?.host,
        port: sink?.port,
        security: "none",
        user: "mailer",
        password: sink?.requireAuth?.pass,
        from: "fleet@example.org",
      }),
    );
    expect(emailSettings).toMatchObject({ action: "settings.email_update", entity: "settings" });
    expect(emailSettings.changes).toMatchObject({
      host: { before: null, after: "127.0.0.1" },
      password: { changed: true },
    });
    await write("POST /api/v1/settings/email/test", () =>
      api().post("/api/v1/settings/email/test", { to: "admin@example.org" }),
    );
    const mailed = await write("POST /api/v1/peers/:id/email", async () => {
      const answer = await api().post(`/api/v1/peers/${generated.json.id}/email`, {
        to: "owner@example.org",
      });
      const url = /\/s\/([A-Za-z0-9_-]{43})/.exec(sink?.received.at(-1)?.text ?? "");
      if (url?.[1]) secret("mailed share link token", url[1]);
      return answer;
    });
    expect(mailed).toMatchObject({ action: "peer.email", entity: "peer", target: generated.json.id });

    // The configuration on the remote node too: it is drained while empty (the job has nothing to
    // move, so its one entry is the drain's), then the generated peer moves there.
    await api().expect("POST", `/api/v1/configurations/${name}/interfaces`, {
      nodeId,
      listenPort: 51820,
      pool: "203.0.113.0/24",
      interfaceName: node.interfaceName(0),
    });
    await newEntries();
    const drained = await write("POST /api/v1/nodes/:id/drain", () =>
      api().post(`/api/v1/nodes/${nodeId}/drain`, { graceHours: 0 }),
    );
    expect(drained).toMatchObject({ action: "node.drain", entity: "node", target: nodeId });
    await api().expect("PATCH", `/api/v1/nodes/${nodeId}`, { draining: false });
    await newEntries();
    const moved = await write("POST /api/v1/peers/:id/move", () =>
      api().post(`/api/v1/peers/${generated.json.id}/move`, { node: nodeId, graceHours: 0 }),
    );
    expect(moved).toMatchObject({ action: "peer.move", entity: "peer", target: generated.json.id });
    expect(moved.changes?.node).toEqual({ before: "local", after: nodeId });
    await api().expect("DELETE", `/api/v1/peers/${generated.json.id}`);
    await newEntries();

    let webhookId = "";
    await write("POST /api/v1/webhooks", async () => {
      const answer = await api().post("/api/v1/webhooks", {
        name: "audited hook",
        url: "http://127.0.0.1:9/hook",
        events: ["peer.created"],
        allowPrivate: true,
        secret: secret("webhook secret", `whsec-${randomBytes(16).toString("hex")}`),
      });
      if (answer.status === 201) webhookId = answer.json.webhook.id;
      return answer;
    });
    await write("PATCH /api/v1/webhooks/:id", () =>
      api().patch(`/api/v1/webhooks/${webhookId}`, {
        enabled: false,
        secret: secret("second webhook secret", `whsec-${randomBytes(16).toString("hex")}`),
      }),
    );
    await write("POST /api/v1/webhooks/:id/test", () => api().post(`/api/v1/webhooks/${webhookId}/test`));
    await write("DELETE /api/v1/webhooks/:id", () => api().delete(`/api/v1/webhooks/${webhookId}`));

    const peerUpdate = await write("PATCH /api/v1/peers/:id", () =>
      api().patch(`/api/v1/peers/${peerId}`, { name: "renamed", mtu: 1400, description: "audited" }),
    );
    expect(peerUpdate.changes).toMatchObject({
      name: { before: "known-keys", after: "renamed" },
      mtu: { before: null, after: 1400 },
      description: { before: null, after: "audited" },
    });
    const disabled = await write("POST /api/v1/peers/:id/disable", () =>
      api().post(`/api/v1/peers/${peerId}/disable`),
    );
    expect(disabled.changes).toEqual({ enabled: { before: true, after: false } });
    await write("POST /api/v1/peers/:id/enable", () => api().post(`/api/v1/peers/${peerId}/enable`));
    const peerDeleted = await write("DELETE /api/v1/peers/:id", () =>
      api().delete(`/api/v1/peers/${peerId}`),
    );
    expect(peerDeleted.changes?.name).toEqual({ before: "renamed", after: null });

    await write("POST /api/v1/endpoints/check", () =>
      api().post("/api/v1/endpoints/check", { endpoint: "127.0.0.1", listenPort: 51820 }),
    );
    const stray = fleet.localInterfaceName(1);
    const strayKeys = generateKeyPair();
    secret("stray interface private key", strayKeys.privateKey);
    if (!fleet.local) throw new Error("no local node namespace");
    await bringUpClient(
      fleet.local,
      [
        "[Interface]",
        `PrivateKey = ${strayKeys.privateKey}`,
        "Address = 198.19.77.1/24",
        "ListenPort = 51900",
        "",
      ].join("\n"),
      stray,
    );
    await write("DELETE /api/v1/nodes/:id/stray-interfaces/:name", () =>
      api().delete(`/api/v1/nodes/local/stray-interfaces/${stray}`),
    );
    // Drift (issue 15): a stray peer adopted, the strays removed, a stray interface adopted, a file imported.
    const strayPeer = generateKeyPair();
    await fleet.local.exec("wg", [
      "set",
      name,
      "peer",
      strayPeer.publicKey,
      "allowed-ips",
      "198.51.100.210/32",
    ]);
    const strayPeer2 = generateKeyPair();
    await fleet.local.exec("wg", [
      "set",
      name,
      "peer",
      strayPeer2.publicKey,
      "allowed-ips",
      "198.51.100.211/32",
    ]);
    const adoptedStray = await write("POST /api/v1/nodes/:id/drift/adopt", () =>
      api().post("/api/v1/nodes/local/drift/adopt", {
        interface: name,
        publicKey: strayPeer.publicKey,
        name: "found",
      }),
    );
    expect(adoptedStray.action).toBe("peer.create");
    await write("POST /api/v1/nodes/:id/drift/remove-strays", () =>
      api().post("/api/v1/nodes/local/drift/remove-strays"),
    );
    const adoptName = fleet.localInterfaceName(2);
    const adoptKeys = generateKeyPair();
    secret("adopted interface private key", adoptKeys.privateKey);
    const adoptPsk = secret("adopted peer preshared key", generateKeyPair().privateKey);
    const adoptFile = [
      "[Interface]",
      `PrivateKey = ${adoptKeys.privateKey}`,
      "Address = 198.19.80.1/24",
      "ListenPort = 51901",
      "",
      "# Client: old laptop (1)",
      "[Peer]",
      `PublicKey = ${generateKeyPair().publicKey}`,
      `PresharedKey = ${adoptPsk}`,
      "AllowedIPs = 198.19.80.2/32",
      "",
    ].join("\n");
    await bringUpClient(fleet.local, adoptFile, adoptName);
    await api().expect("POST", "/api/v1/configurations", { name: adoptName }, [201]);
    await write("POST /api/v1/nodes/:id/adopt", () =>
      api().post("/api/v1/nodes/local/adopt", {
        interface: adoptName,
        configuration: adoptName,
        config: adoptFile,
      }),
    );
    const importName = fleet.localInterfaceName(3);
    const importKeys = generateKeyPair();
    secret("imported interface private key", importKeys.privateKey);
    await api().expect("POST", "/api/v1/configurations", { name: importName }, [201]);
    await write("POST /api/v1/configurations/:name/import", () =>
      api().post(`/api/v1/configurations/${importName}/import`, {
        node: "local",
        interfaceName: importName,
        config: [
          "[Interface]",
          `PrivateKey = ${importKeys.privateKey}`,
          "Address = 198.19.81.1/24",
          "ListenPort = 51902",
          "",
          "[Peer]",
          "#Name# = imported phone",
          `PublicKey = ${generateKeyPair().publicKey}`,
          "AllowedIPs = 198.19.81.2/32",
          "",
        ].join("\n"),
      }),
    );
    for (const other of [adoptName, importName]) {
      await api().expect(
        "DELETE",
        `/api/v1/configurations/${other}/interfaces/local?force=true`,
        undefined,
        [200, 204],
      );
      await api().expect("DELETE", `/api/v1/configurations/${other}`, undefined, [200, 204]);
    }
    await write("DELETE /api/v1/configurations/:name/interfaces/:nodeId", () =>
      api().delete(`/api/v1/configurations/${name}/interfaces/local?force=true`),
    );
    await write("DELETE /api/v1/configurations/:name", () => api().delete(`/api/v1/configurations/${name}`));
    await write("DELETE /api/v1/nodes/:id", () => api().delete(`/api/v1/nodes/${nodeId}`));
    const revoked = await write("DELETE /api/v1/apikeys/:id", () =>
      api().delete(`/api/v1/apikeys/${keyEntry.target}`),
    );
    expect(revoked).toMatchObject({ action: "apikey.revoke", target: keyEntry.target });
    // Two-factor sign-in for the harness key's user (the admin), and a reset of the auditee's.
    let totpSecret = "";
    await write("POST /api/v1/users/me/totp", async () => {
      const answer = await api().post("/api/v1/users/me/totp");
      if (answer.status === 200) totpSecret = secret("TOTP secret", answer.json.secret);
      return answer;
    });
    await write("POST /api/v1/users/me/totp/confirm", async () => {
      const code = new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate();
      const answer = await api().post("/api/v1/users/me/totp/confirm", { code });
      for (const recovery of answer.json?.recoveryCodes ?? []) secret("recovery code", recovery);
      return answer;
    });
    await write("PUT /api/v1/two-factor/policy", () =>
      api().put("/api/v1/two-factor/policy", { requireForAdmins: false }),
    );
    const alertSettings = await write("PUT /api/v1/alerts/settings", () =>
      api().put("/api/v1/alerts/settings", {
        poolFullPercent: 85,
        driftRepairsPerHour: 3,
        staleHandshakePercent: 50,
      }),
    );
    expect(alertSettings).toMatchObject({
      action: "alert.settings_update",
      entity: "alert",
      changes: { poolFullPercent: { before: 90, after: 85 } },
    });
    await write("POST /api/v1/users/me/totp/disable", () =>
      api().post("/api/v1/users/me/totp/disable", { currentPassword: adminPassword }),
    );
    await write("DELETE /api/v1/users/:id/totp", () => api().delete(`/api/v1/users/${userId}/totp`));
    await write("DELETE /api/v1/users/:id", () => api().delete(`/api/v1/users/${userId}`));

    const routes = await writeRoutes();
    const untested = routes.filter((route) => !recorded.has(route));
    expect(untested, "write routes this test does not call: add a call for each").toEqual([]);
  }, 300_000);

  it("keeps no secret in any entry", async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const page = await api().expect<{ items: Entry[] }>("GET", "/api/v1/audit?limit=500");
    const text = JSON.stringify(page.json.items);
    expect(page.json.items.length).toBeGreaterThan(recorded.size);
    for (const { what, value } of secrets) {
      expect(text.includes(value), `${what} found in the audit trail`).toBe(false);
    }
  });

  it("filters by actor, entity, action and time, and pages with the cursor", async () => {
    const byKey = await api().expect<{ items: Entry[] }>("GET", "/api/v1/audit?actor=auditee-key");
    expect(byKey.json.items.map((entry) => entry.action)).toEqual(["user.change_password"]);
    const peers = await api().expect<{ items: Entry[] }>("GET", "/api/v1/audit?entity=peer&action=peer");
    expect(
      peers.json.items.every((entry) => entry.entity === "peer" && entry.action.startsWith("peer.")),
    ).toBe(true);
    const future = await api().expect<{ items: Entry[] }>("GET", "/api/v1/audit?from=2999-01-01T00:00:00Z");
    expect(future.json.items).toEqual([]);
    const seen: number[] = [];
    let cursor: string | null = "";
    for (let pages = 0; cursor !== null && pages < 100; pages++) {
      const answer: ApiAnswer<{ items: Entry[]; nextCursor: string | null }> = await api().expect(
        "GET",
        `/api/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...answer.json.items.map((entry) => entry.id));
      cursor = answer.json.nextCursor;
    }
    const all = await api().expect<{ items: Entry[] }>("GET", "/api/v1/audit?limit=500");
    expect(seen).toEqual(all.json.items.map((entry) => entry.id));
    const bad = await api().request("GET", "/api/v1/audit?from=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe("from");
  });
});
