// SIGKILL the built server during a burst of peer creations, then restart it: every peer in the
// database is on the interface (with its own /32) and every peer on the interface belongs to a peer
// in the database; every creation that was answered 201 survived. Peers a crash left `pending` are
// settled at start: live on the node → active, not there → removed and their address freed.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../packages/dashboard/src/db/index.js";
import { createNamespace, type TestNamespace, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { readDump } from "./local-node-fixture.js";
import {
  type ApiClient,
  allPeers,
  apiClient,
  createAdminApiKey,
  type ServerProcess,
  startServerProcess,
} from "./server-process.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("SIGKILL during a burst of creations, then restart", () => {
  const password = `pw-${randomBytes(12).toString("base64url")}`;
  const name = uniqueName("db", 15);
  const listenPort = randomInt(20_000, 60_000);
  let ns: TestNamespace;
  let dataDir: string;
  let server: ServerProcess | undefined;
  let api: ApiClient;
  let apiKey: string;

  beforeAll(async () => {
    ns = await createNamespace("dbk");
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-crash-"));
  });

  afterAll(async () => {
    await server?.stop();
    await ns?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    server = await startServerProcess({ dataDir, netns: ns.name, adminPassword: password });
    return server;
  };

  it("starts, and puts a configuration on the local node", async () => {
    const running = await start();
    apiKey = await createAdminApiKey(running.url, password);
    api = apiClient(running.url, apiKey);
    expect(
      (await api.request("POST", "/api/v1/configurations", { name, clientAllowedIps: ["198.51.100.0/24"] }))
        .status,
    ).toBe(201);
    const iface = await api.request("POST", `/api/v1/configurations/${name}/interfaces`, {
      nodeId: "local",
      listenPort,
      pool: "198.51.100.0/24",
    });
    expect(iface.status, iface.text).toBe(201);
  });

  const answered: Array<{ id: string; publicKey: string; address: string }> = [];

  it("is killed with SIGKILL in the middle of 8 concurrent creation loops", async () => {
    const running = server as ServerProcess;
    let stop = false;
    let counter = 0;
    const worker = async () => {
      while (!stop) {
        try {
          const answer = await api.request("POST", `/api/v1/configurations/${name}/peers`, {
            name: `burst-${counter++}`,
          });
          if (answer.status === 201) {
            const peer = answer.json();
            answered.push({ id: peer.id, publicKey: peer.publicKey, address: peer.addresses[0] });
          } else if (!stop) {
            throw new Error(`creation answered ${answer.status}: ${answer.text}`);
          }
        } catch (error) {
          if (!stop) throw error;
        }
      }
    };
    const workers = Array.from({ length: 8 }, () => worker());
    const enoughAnswered = (async () => {
      while (answered.length < 60) await new Promise((r) => setTimeout(r, 5));
    })();
    // A worker failing before the kill fails the test at once.
    await Promise.race([enoughAnswered, Promise.all(workers)]);
    // Requests are in flight on all 8 loops when the signal lands; their failures are expected.
    stop = true;
    await running.kill("SIGKILL");
    await Promise.all(workers);
    server = undefined;
    expect(answered.length).toBeGreaterThanOrEqual(60);
  });

  const half = { committedNotLive: "", liveButPending: "", liveKey: "" };

  it("(while down) also gets the two kinds of half-finished creation a crash can leave", async () => {
    // A crash between the transaction and the node call leaves a `pending` peer the node never saw; a
    // crash between the node call and `active` leaves one the node has. Made by hand, so both exist.
    const db = await createDatabase({ dataDir });
    try {
      const iface = await db
        .selectFrom("interfaces")
        .selectAll()
        .where("name", "=", name)
        .executeTakeFirstOrThrow();
      const now = new Date().toISOString();
      const insert = async (address: string, publicKey: string) => {
        const id = randomUUID();
        await db
          .insertInto("peers")
          .values({
            id,
            interface_id: iface.id,
            name: `half-${address}`,
            public_key: publicKey,
            private_key_enc: null,
            preshared_key_enc: null,
            addresses: JSON.stringify([`${address}/32`]),
            client_allowed_ips: "[]",
            dns: null,
            mtu: null,
            keepalive: null,
            enabled: 1,
            expires_at: null,
            quota_budget: null,
            state: "pending",
            created_at: now,
            updated_at: now,
          })
          .execute();
        await db
          .insertInto("ip_allocations")
          .values({ interface_id: iface.id, pool: "198.51.100.0/24", address, peer_id: id, created_at: now })
          .execute();
        return id;
      };
      half.committedNotLive = await insert("198.51.100.250", generateKeyPair().publicKey);
      half.liveKey = generateKeyPair().publicKey;
      half.liveButPending = await insert("198.51.100.251", half.liveKey);
    } finally {
      await db.destroy();
    }
    await ns.exec("wg", ["set", name, "peer", half.liveKey, "allowed-ips", "198.51.100.251/32"]);
  });

  it("restarts: the database and the interface agree exactly", async () => {
    api = apiClient((await start()).url, apiKey);
    const peers = await allPeers(api, name);
    const live = await readDump(ns, name);

    // Every answered creation survived, active, on the interface with its own /32.
    const byId = new Map(peers.map((p) => [p.id, p]));
    for (const created of answered) {
      expect(byId.get(created.id)?.state).toBe("active");
      expect(live.peers.get(created.publicKey)).toEqual([created.address]);
    }
    // Every peer in the database is live with exactly its addresses...
    for (const peer of peers) {
      expect(peer.state, peer.name).toBe("active");
      expect(live.peers.get(peer.publicKey), peer.name).toEqual(peer.addresses);
    }
    // ...and every live peer is a database peer.
    const dbKeys = new Set(peers.map((p) => p.publicKey));
    for (const key of live.peers.keys()) expect(dbKeys.has(key), `stray live peer ${key}`).toBe(true);
    expect(live.peers.size).toBe(peers.length);
    // Addresses are distinct, and match the allocation table.
    const addresses = peers.flatMap((p) => p.addresses);
    expect(new Set(addresses).size).toBe(addresses.length);

    // The half-finished creations were settled.
    expect(byId.has(half.committedNotLive)).toBe(false);
    expect(byId.get(half.liveButPending)?.state).toBe("active");
    expect(live.peers.get(half.liveKey)).toEqual(["198.51.100.251/32"]);
  });

  it("hands out the address of the rolled-back creation again", async () => {
    const explicit = await api.request("POST", `/api/v1/configurations/${name}/peers`, {
      name: "reuse",
      addresses: ["198.51.100.250"],
    });
    expect(explicit.status, explicit.text).toBe(201);
  });
});
