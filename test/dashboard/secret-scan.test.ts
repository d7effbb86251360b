// No secret leaves the dashboard except in the peer's own config download: every API answer and every
// log line this suite produces is searched for each private key, preshared key and interface private
// key it created (and the database for any of them in plain text). Both engines, real wireguard-go.
import { generateKeyPair, generatePresharedKey } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ApiAnswer,
  type LocalNodeFixture,
  openLocalNode,
  setUpConfiguration,
} from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("secrets never leave except in the peer's own config", () => {
  forEachEngine("secret scan", (open) => {
    let f: LocalNodeFixture;
    /** Answers that may not carry any secret. */
    const answers: Array<{ what: string; body: string }> = [];
    /** Each peer's own config download, with the peer it belongs to. */
    const downloads: Array<{ peerId: string; body: string }> = [];
    const clientKeys = generateKeyPair();
    const clientPsk = generatePresharedKey();
    let collected: Array<{ what: string; value: string; peerId?: string }> = [];

    const call = async (
      method: "GET" | "POST" | "PATCH" | "DELETE",
      url: string,
      payload?: unknown,
    ): Promise<ApiAnswer> => {
      const answer = await f.api(method, url, payload);
      answers.push({ what: `${method} ${url} → ${answer.status}`, body: answer.body });
      return answer;
    };

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const peers = f.name;
      const a = await call("POST", `/api/v1/configurations/${peers}/peers`, { name: "gen-with-psk" });
      const b = await call("POST", `/api/v1/configurations/${peers}/peers`, {
        name: "no-psk",
        presharedKey: false,
      });
      const c = await call("POST", `/api/v1/configurations/${peers}/peers`, {
        name: "own-key",
        publicKey: clientKeys.publicKey,
        presharedKey: clientPsk,
      });
      // Failures must not echo what was sent either.
      await call("POST", `/api/v1/configurations/${peers}/peers`, {
        name: "dup",
        publicKey: clientKeys.publicKey,
      });
      await call("POST", `/api/v1/configurations/${peers}/peers`, { name: `x\n${clientPsk}` });
      await call("PATCH", `/api/v1/peers/${a.json().id}`, { presharedKey: clientPsk });
      await call("POST", `/api/v1/configurations/${peers}/peers`, {
        name: "p",
        publicKey: clientKeys.privateKey.slice(1),
      });
      for (const peer of [a, b, c]) {
        const id = peer.json().id;
        await call("GET", `/api/v1/peers/${id}`);
        await call("PATCH", `/api/v1/peers/${id}`, { name: `${peer.json().name}-renamed`, mtu: 1400 });
        await call("POST", `/api/v1/peers/${id}/disable`);
        await call("POST", `/api/v1/peers/${id}/enable`);
        const config = await f.api("GET", `/api/v1/peers/${id}/config`);
        if (config.status === 200) downloads.push({ peerId: id, body: config.body });
        else answers.push({ what: `config of ${id} → ${config.status}`, body: config.body });
        await f.api("GET", `/api/v1/peers/${id}/qr.svg`);
      }
      await call("GET", `/api/v1/configurations/${peers}/peers?limit=500`);
      await call("GET", `/api/v1/configurations/${peers}/peers?search=gen`);
      await call("GET", `/api/v1/configurations/${peers}`);
      await call("GET", "/api/v1/configurations");
      await call("GET", "/api/v1/nodes");
      await call("GET", "/api/v1/nodes/local");
      await call("GET", "/api/nodes/enabled");
      await call("GET", "/api/v1/nodes/local/pools");
      await call("GET", "/api/v1/openapi.json");
      // /metrics is not on the main port without a token: scan the text the metrics listener serves.
      answers.push({ what: "metrics", body: await f.t.context.metrics.render() });
      await f.t.context.services.stats.pollOnce();
      // A node failure: the interface vanishes under the dashboard; the creation is rolled back with
      // the node's message, and a restart's sync repairs the interface.
      await f.server.exec("ip", ["link", "delete", "dev", f.name]);
      const failed = await call("POST", `/api/v1/configurations/${peers}/peers`, { name: "while-down" });
      expect(failed.status).toBe(502);
      expect(failed.json().error.code).toBe("NODE_ERROR");
      await startDomainServices(f.t.context.services);
      expect((await f.wg()).peers.size).toBe(3);
      // Collected before the last delete, so the deleted peer's keys are searched for too.
      collected = await createdSecrets();
      await call("DELETE", `/api/v1/peers/${b.json().id}`);
    });

    afterAll(async () => {
      await f?.close();
    });

    async function createdSecrets(): Promise<Array<{ what: string; value: string; peerId?: string }>> {
      const { db, secrets } = f.t.context;
      const list: Array<{ what: string; value: string; peerId?: string }> = [
        { what: "client-supplied preshared key", value: clientPsk },
        { what: "client private key", value: clientKeys.privateKey },
      ];
      for (const iface of await db.selectFrom("interfaces").select(["name", "private_key_enc"]).execute()) {
        list.push({
          what: `interface ${iface.name} private key`,
          value: secrets.decrypt(iface.private_key_enc),
        });
      }
      const rows = await db
        .selectFrom("peers")
        .select(["id", "name", "private_key_enc", "preshared_key_enc"])
        .execute();
      for (const peer of rows) {
        if (peer.private_key_enc)
          list.push({
            what: `peer ${peer.name} private key`,
            value: secrets.decrypt(peer.private_key_enc),
            peerId: peer.id,
          });
        if (peer.preshared_key_enc)
          list.push({
            what: `peer ${peer.name} preshared key`,
            value: secrets.decrypt(peer.preshared_key_enc),
            peerId: peer.id,
          });
      }
      return list;
    }

    it("found the secrets it looks for (the scan is not empty)", async () => {
      const list = collected;
      // 1 interface key, 2 generated private keys (a, b), 2 preshared keys in the database (a, c) + the client's two.
      expect(list.length).toBeGreaterThanOrEqual(6);
      expect(answers.length).toBeGreaterThan(20);
      expect(f.t.logs.length).toBeGreaterThan(20);
    });

    it("the config download carries the peer's own keys (and only its own)", async () => {
      const list = collected;
      expect(downloads.length).toBe(2); // the peer with its own public key has no config to download
      for (const download of downloads) {
        const own = list.filter((s) => s.peerId === download.peerId);
        expect(own.length).toBeGreaterThan(0);
        for (const secret of own) expect(download.body).toContain(secret.value);
        for (const secret of list.filter((s) => s.peerId !== download.peerId && s.peerId !== undefined)) {
          expect(download.body).not.toContain(secret.value);
        }
      }
    });

    it("no API answer contains a secret", async () => {
      for (const secret of collected) {
        for (const answer of answers) {
          expect(answer.body.includes(secret.value), `${secret.what} in ${answer.what}`).toBe(false);
        }
      }
    });

    it("no log line contains a secret", async () => {
      for (const secret of collected) {
        const line = f.t.logs.find((l) => l.includes(secret.value));
        expect(line, `${secret.what} logged`).toBeUndefined();
      }
    });

    it("the database holds no secret in plain text", async () => {
      const db = f.t.context.db;
      const tables = [
        "interfaces",
        "peers",
        "audit_log",
        "peer_stats",
        "ip_allocations",
        "nodes",
        "configurations",
      ] as const;
      const dump = JSON.stringify(
        await Promise.all(tables.map((t) => db.selectFrom(t).selectAll().execute())),
      );
      for (const secret of collected) expect(dump.includes(secret.value), secret.what).toBe(false);
    });
  });
});
