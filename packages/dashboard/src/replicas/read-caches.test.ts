// The read caches of what every peer creation reads (replicas/read-cache.ts), on both engines, over
// the real services: the second read asks the database nothing, and every kind of change is seen at
// once by the process that made it and — on PostgreSQL — by a second replica on the same database
// through its notice, well before the copies' time bound (READ_CACHE_TTL_MS) could explain it.
import { randomBytes, randomUUID } from "node:crypto";
import { ConflictError, LOCAL_NODE_ID, NotFoundError } from "@wgfleet/core";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { eventually } from "../../../../test/fleet/wait.js";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { ConfigurationRepository } from "../configurations/configuration.repository.js";
import { countingDb, type QueryCounter } from "../db/test-support/query-counter.js";
import { insertNode } from "../db/test-support/rows.js";
import { startDomainServices } from "../domain-services.js";
import type { AppContext } from "../http/context.js";
import { TEST_CONFIG } from "../http/test-support/test-app.js";
import { InterfaceRepository } from "../interfaces/interface.repository.js";
import { silentLogger } from "../logging/logger.js";
import { SecretBox } from "../secrets/secret-box.js";
import { createAppContext } from "../services.js";
import { ScriptedNode } from "../stats/test-support/scripted-node.js";
import { READ_CACHE_TTL_MS } from "./read-cache.js";

/** How long another replica may take to hear a notice here: well under the copies' time bound. */
const NOTICE_MS = 2_000;
const REMOTE_NODE = "cache-node-r";

interface Replica {
  name: string;
  context: AppContext;
  queries: QueryCounter;
  local: ScriptedNode;
  remote: ScriptedNode;
}

forEachEngine("read caches", (open, engine) => {
  let opened: OpenedDatabase;
  let replicas: Replica[] = [];
  const secrets = SecretBox.fromKey(randomBytes(32));
  const services = (replica: Replica) => replica.context.services;

  async function startReplica(name: string): Promise<Replica> {
    const { db, queries } = countingDb(opened.db);
    const local = new ScriptedNode(LOCAL_NODE_ID);
    const context = await createAppContext({
      db,
      dataDir: opened.dataDir,
      secrets,
      logger: silentLogger(),
      config: { ...TEST_CONFIG, localNode: { enabled: true, unavailableReason: null } },
      localTransport: local,
      databaseUrl: opened.url,
    });
    await context.services.cacheInvalidation.start();
    const replica = { name, context, queries, local, remote: new ScriptedNode(REMOTE_NODE) };
    replicas.push(replica);
    return replica;
  }

  /** The first replica, which makes every change. */
  const writer = () => replicas[0] as Replica;

  /**
   * `seen` holds on the writer at once, and on every other replica within NOTICE_MS (its notice): a
   * copy that kept the old rows until it expired would take READ_CACHE_TTL_MS.
   */
  async function seenEverywhere(what: string, seen: (replica: Replica) => Promise<boolean>): Promise<void> {
    expect(await seen(writer()), `${what}: on the replica that made the change`).toBe(true);
    for (const replica of replicas.slice(1)) {
      await eventually(async () => seen(replica), `${what}: on ${replica.name}`, {
        timeoutMs: NOTICE_MS,
        intervalMs: 20,
      });
    }
  }

  beforeAll(async () => {
    expect(NOTICE_MS).toBeLessThan(READ_CACHE_TTL_MS);
    opened = await open();
    await startReplica("replica A");
    // A second replica needs PostgreSQL (SQLite has one process).
    if (engine === "postgres") await startReplica("replica B");
    await startDomainServices(services(writer()));
    await insertNode(opened.db, {
      id: REMOTE_NODE,
      name: REMOTE_NODE,
      agent_url: "http://198.18.0.250:9",
      secret_enc: secrets.encrypt("cache-test-secret-0123456789abcdef"),
      enabled: 1,
      status: "online",
      max_peers: 1000,
      weight: 100,
      endpoint_host: "198.18.0.250",
    });
    for (const replica of replicas) {
      // The dashboard registers its own transport for a node it meets; the scripted one replaces it.
      await services(replica).remoteNodes.ensure([REMOTE_NODE]);
      services(replica).nodeTransports.register(REMOTE_NODE, replica.remote);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => services(replica).cacheInvalidation.stop()));
    replicas = [];
    await opened?.close();
  });

  it("an API key: read once, then from the copy; revocation, role, password requirement and deletion seen at once", async () => {
    const users = services(writer()).users;
    await users.create({ username: "other-admin", password: "pw-other-admin-1", role: "admin" }, "test");
    const holder = await users.create(
      { username: "key-holder", password: "pw-key-holder-1", role: "admin", mustChangePassword: false },
      "test",
    );
    const created = await services(writer()).apiKeys.create({ userId: holder.id, name: "cached" }, "test");
    const actorOn = (replica: Replica) => services(replica).apiKeys.authenticate(created.key);

    for (const replica of replicas) {
      expect((await actorOn(replica))?.role, replica.name).toBe("admin");
      // The last-used time was touched (rate-limited) at the first read: the second asks nothing.
      expect(await replica.queries.during(() => actorOn(replica)), replica.name).toBe(0);
    }

    await users.update(holder.id, { role: "viewer" }, "test");
    await seenEverywhere("demoted", async (r) => (await actorOn(r))?.role === "viewer");
    await users.update(holder.id, { mustChangePassword: true }, "test");
    await seenEverywhere(
      "must change the password",
      async (r) => (await actorOn(r))?.mustChangePassword === true,
    );

    await services(writer()).apiKeys.revoke(created.apiKey.id, "test");
    await seenEverywhere("revoked", async (r) => (await actorOn(r)) === null);

    const second = await services(writer()).apiKeys.create({ userId: holder.id, name: "second" }, "test");
    const secondOn = (replica: Replica) => services(replica).apiKeys.authenticate(second.key);
    for (const replica of replicas) expect(await secondOn(replica), replica.name).not.toBeNull();
    await users.delete(holder.id, "test");
    await seenEverywhere("user deleted", async (r) => (await secondOn(r)) === null);
  });

  it("the enabled webhooks: read once, then from the copy; creation, disabling, enabling and deletion seen at once", async () => {
    const event = (type: "peer.created" | "node.offline") => ({
      id: randomUUID(),
      type,
      occurredAt: new Date().toISOString(),
      data: { peerId: "p1", name: "laptop", configuration: "c", nodeId: "n", interface: "wg0" },
    });
    // An event no webhook asks for queues nothing: the read of the enabled webhooks is all it asks.
    const queued = (replica: Replica, type: "peer.created" | "node.offline" = "peer.created") =>
      services(replica).webhooks.enqueue(event(type) as never);
    for (const replica of replicas) {
      await queued(replica, "node.offline");
      expect(await replica.queries.during(() => queued(replica, "node.offline")), replica.name).toBe(0);
    }

    const { webhook } = await services(writer()).webhooks.create({
      name: "cached",
      url: "https://hooks.example.com/wgfleet",
      events: ["peer.created"],
    });
    await seenEverywhere("webhook added", async (r) => (await queued(r)) === 1);
    await services(writer()).webhooks.update(webhook.id, { enabled: false });
    await seenEverywhere("webhook disabled", async (r) => (await queued(r)) === 0);
    await services(writer()).webhooks.update(webhook.id, { enabled: true });
    await seenEverywhere("webhook enabled", async (r) => (await queued(r)) === 1);
    await services(writer()).webhooks.delete(webhook.id);
    await seenEverywhere("webhook deleted", async (r) => (await queued(r)) === 0);
  });

  it("a configuration and its interfaces: read once, then from the copy; every change seen at once", async () => {
    const name = "cached";
    await services(writer()).configurations.create({ name }, "test");
    let created = 0;
    /** What a creation in the configuration answers now on this replica: "created", or why not. */
    const create = async (replica: Replica): Promise<string> => {
      try {
        await services(replica).peers.create(name, { name: `peer-${++created}`, node: "auto" }, "test");
        return "created";
      } catch (error) {
        if (error instanceof NotFoundError) return "no configuration";
        if (error instanceof ConflictError && /not on any node/.test(error.message)) return "no interface";
        throw error;
      }
    };
    for (const replica of replicas) {
      expect(await create(replica), replica.name).toBe("no interface");
      // The configuration by name and its interfaces, both from the copies: nothing asked.
      expect(await replica.queries.during(() => create(replica)), replica.name).toBe(0);
    }

    const interfaces = services(writer()).interfaces;
    await interfaces.addToNode(
      name,
      { nodeId: LOCAL_NODE_ID, listenPort: 51_900, pool: "198.51.100.0/28" },
      "test",
    );
    await seenEverywhere("interface added", async (r) => (await create(r)) === "created");

    // Edits no creation shows (the client endpoint, the description): the copies are read again.
    const listings = vi.spyOn(InterfaceRepository.prototype, "listByConfiguration");
    const lookups = vi.spyOn(ConfigurationRepository.prototype, "findByName");
    try {
      for (const replica of replicas) await create(replica);
      const readsBefore = () => [listings.mock.calls.length, lookups.mock.calls.length];
      let before = readsBefore();
      for (const replica of replicas) await create(replica);
      expect(readsBefore(), "served from the copies").toEqual(before);

      await interfaces.update(name, LOCAL_NODE_ID, { endpoint: "198.18.0.9:51900" }, "test");
      for (const replica of replicas) {
        await eventually(
          async () => {
            before = readsBefore();
            await create(replica);
            return (listings.mock.calls.length ?? 0) > (before[0] ?? 0);
          },
          `interface edit: ${replica.name} reads the interfaces again`,
          { timeoutMs: NOTICE_MS, intervalMs: 20 },
        );
      }
      await services(writer()).configurations.update(name, { description: "edited" }, "test");
      for (const replica of replicas) {
        await eventually(
          async () => {
            before = readsBefore();
            await create(replica);
            return (lookups.mock.calls.length ?? 0) > (before[1] ?? 0);
          },
          `configuration edit: ${replica.name} reads the configuration again`,
          { timeoutMs: NOTICE_MS, intervalMs: 20 },
        );
      }
    } finally {
      listings.mockRestore();
      lookups.mockRestore();
    }

    // Its only interface taken off its node (peers and all).
    await interfaces.removeFromNode(name, LOCAL_NODE_ID, true, "test");
    await seenEverywhere("interface deleted", async (r) => (await create(r)) === "no interface");

    // An interface on a remote node, gone with the node (the foreign key's cascade).
    await interfaces.addToNode(
      name,
      { nodeId: REMOTE_NODE, listenPort: 51_901, pool: "198.51.100.16/28" },
      "test",
    );
    await seenEverywhere("remote interface added", async (r) => (await create(r)) === "created");
    await services(writer()).nodeAdmin.delete(REMOTE_NODE, true, "test");
    await seenEverywhere("node deleted", async (r) => (await create(r)) === "no interface");

    await services(writer()).configurations.delete(name, true, "test");
    await seenEverywhere("configuration deleted", async (r) => (await create(r)) === "no configuration");
  });
});
