// The relay of requests for dial-out nodes between replicas, on a real PostgreSQL database with no
// WireGuard: replica A holds a node's socket (a real WebSocket on loopback, answered by a scripted
// agent), replica B calls the node through A. The frame reaches the socket as signed, past NOTIFY's
// payload limit; a target that never takes a request, or takes it and never answers, fails the call at
// the caller's timeout and leaves no row; stragglers are removed; missed notices are caught up.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { AgentHttpTimeoutError } from "@wgfleet/agent/client";
import type { DialOutRequest } from "@wgfleet/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { eventually } from "../../../../test/fleet/wait.js";
import {
  engineSkipReason,
  type OpenedDatabase,
  openTestDatabase,
} from "../../../../test/support/databases.js";
import { insertNode } from "../db/test-support/rows.js";
import { silentLogger } from "../logging/logger.js";
import { PostgresCacheInvalidation } from "../replicas/postgres-cache-invalidation.js";
import { ReplicaRepository } from "../replicas/replica.repository.js";
import { terminateListener } from "../replicas/test-support/listener.js";
import { AgentConnections, AgentNotConnectedError } from "./agent-connections.js";
import { AgentRelay } from "./agent-relay.js";
import { AgentRelayRepository } from "./agent-relay.repository.js";

interface Replica {
  id: string;
  connections: AgentConnections;
  relay: AgentRelay;
  notices: PostgresCacheInvalidation;
}

/** How the scripted agent answers a request frame: at once, after a pause, or never. */
type AgentScript = (frame: DialOutRequest) => { delayMs: number } | "never";

describe.skipIf(engineSkipReason("postgres") !== null)("the agent relay on PostgreSQL", () => {
  let opened: OpenedDatabase;
  let replicas: Replica[] = [];
  let server: WebSocketServer | null = null;
  let agent: WebSocket | null = null;
  /** What the scripted agent received, in order. */
  let received: DialOutRequest[] = [];

  beforeEach(async () => {
    opened = await openTestDatabase("postgres");
    received = [];
  });
  afterEach(async () => {
    agent?.terminate();
    agent = null;
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = null;
    await Promise.allSettled(replicas.map((replica) => replica.notices.stop()));
    replicas = [];
    await opened.close();
  });

  /** A replica: registered and heartbeating (fresh), listening, with its relay. */
  async function startReplica(): Promise<Replica> {
    const id = randomUUID();
    await registerReplica(id);
    const notices = new PostgresCacheInvalidation({
      url: opened.url as string,
      db: opened.db,
      logger: silentLogger(),
      replicaId: id,
    });
    const connections = new AgentConnections();
    const relay = new AgentRelay({
      rows: new AgentRelayRepository(opened.db),
      notices,
      sockets: connections,
      replicaId: id,
      logger: silentLogger(),
    });
    connections.relayThrough(relay);
    await notices.start();
    const replica = { id, connections, relay, notices };
    replicas.push(replica);
    return replica;
  }

  async function registerReplica(id: string, at = new Date().toISOString()): Promise<void> {
    await new ReplicaRepository(opened.db).register({ id, hostname: "relay-test", pid: 1, at });
  }

  /** A dial-out node whose socket `holder` holds (recorded as in its row). */
  async function dialOutNode(holder: string | null): Promise<string> {
    return insertNode(opened.db, { connection: "dial-out", dial_out_replica: holder });
  }

  /** Connects a scripted agent for `nodeId` to `replica` over a real WebSocket on loopback. */
  async function connectAgent(replica: Replica, nodeId: string, script: AgentScript): Promise<void> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    server = wss;
    await new Promise((resolve) => wss.once("listening", resolve));
    const attached = new Promise<void>((resolve) =>
      wss.once("connection", (socket) => {
        replica.connections.attach(nodeId, socket);
        resolve();
      }),
    );
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    agent = client;
    client.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as DialOutRequest;
      received.push(frame);
      const plan = script(frame);
      if (plan === "never") return;
      const answer = {
        type: "response",
        id: frame.id,
        status: 200,
        contentType: "text/plain",
        body: `echo ${frame.body}`,
      };
      setTimeout(() => client.send(JSON.stringify(answer)), plan.delayMs);
    });
    await attached;
  }

  async function relayRows(): Promise<number> {
    const row = await opened.db
      .selectFrom("agent_relay_requests")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const call = (replica: Replica, nodeId: string, body: string, timeoutMs: number) =>
    replica.connections.httpFor(nodeId)({
      method: "POST",
      url: new URL("dial-out://node/v1/echo?x=1"),
      headers: { "x-wgfleet-signature": "signed-by-the-caller", "content-type": "application/json" },
      body,
      timeoutMs,
      maxAnswerBytes: 1024 * 1024,
    });

  it("B calls a node whose socket A holds: the signed frame arrives unchanged, the answer comes back, no row is left", async () => {
    const a = await startReplica();
    const b = await startReplica();
    const node = await dialOutNode(a.id);
    await connectAgent(a, node, () => ({ delayMs: 0 }));
    // Far past NOTIFY's 8000-byte payload limit: the body travels in the row.
    const body = JSON.stringify({ data: "x".repeat(100_000) });
    const response = await call(b, node, body, 5_000);
    expect(response.status).toBe(200);
    expect(response.text).toBe(`echo ${body}`);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/v1/echo?x=1",
      body,
      headers: { "x-wgfleet-signature": "signed-by-the-caller", "content-type": "application/json" },
    });
    expect(await relayRows()).toBe(0);
    // A calls its own socket directly: nothing goes through the table.
    expect((await call(a, node, "direct", 5_000)).status).toBe(200);
    expect(await relayRows()).toBe(0);
  });

  it("200 calls through the relay, 20 at a time, each gets its own answer (relay cost printed)", async () => {
    const a = await startReplica();
    const b = await startReplica();
    const node = await dialOutNode(a.id);
    await connectAgent(a, node, () => ({ delayMs: 0 }));
    const timed = async (replica: Replica, body: string) => {
      const started = performance.now();
      const response = await call(replica, node, body, 10_000);
      expect(response.text).toBe(`echo ${body}`);
      return performance.now() - started;
    };
    // One at a time, alternating: the relay's own cost (the scripted agent answers at once).
    const direct: number[] = [];
    const relayed: number[] = [];
    for (let i = 0; i < 200; i++) {
      direct.push(await timed(a, `direct-${i}`));
      relayed.push(await timed(b, `relayed-${i}`));
    }
    // Concurrent: answers never cross between calls.
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => timed(b, `burst-${round}-${i}`)));
    }
    console.info(
      `agent relay, median of 200 sequential calls: held socket ${median(direct).toFixed(2)} ms, ` +
        `relayed through PostgreSQL ${median(relayed).toFixed(2)} ms`,
    );
    expect(received).toHaveLength(600);
    expect(await relayRows()).toBe(0);
  }, 60_000);

  it("a live target that never takes the request: fails like a refused connection at the timeout, row removed", async () => {
    const b = await startReplica();
    // Registered and heartbeating, but no relay listens for it.
    const ghost = randomUUID();
    await registerReplica(ghost);
    const node = await dialOutNode(ghost);
    const started = Date.now();
    const error = await call(b, node, "{}", 600).then(
      () => null,
      (failure: unknown) => failure,
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(AgentNotConnectedError);
    expect((error as Error).message).toMatch(/did not take the request/);
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(5_000);
    expect(await relayRows()).toBe(0);
  });

  it("taken but the agent does not answer in time: the caller's timeout, row removed, the late answer writes nothing", async () => {
    const a = await startReplica();
    const b = await startReplica();
    const node = await dialOutNode(a.id);
    await connectAgent(a, node, () => ({ delayMs: 1_500 }));
    const error = await call(b, node, "{}", 500).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(AgentHttpTimeoutError);
    expect(received).toHaveLength(1);
    expect(await relayRows()).toBe(0);
    // The agent answers A after the caller gave up: A finds no row to answer.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await relayRows()).toBe(0);
  });

  it("no live replica holds the socket: refused at once, nothing written", async () => {
    const b = await startReplica();
    const stale = randomUUID();
    await registerReplica(stale, new Date(Date.now() - 60_000).toISOString());
    for (const holder of [null, stale, b.id, "never-registered"]) {
      const node = await dialOutNode(holder);
      const error = await call(b, node, "{}", 5_000).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error, String(holder)).toBeInstanceOf(AgentNotConnectedError);
      expect((error as Error).message).toMatch(/not connected/);
    }
    expect(await relayRows()).toBe(0);
  });

  it("the holder no longer has the socket: it answers why, and the call fails like a refused connection", async () => {
    const a = await startReplica();
    const b = await startReplica();
    const node = await dialOutNode(a.id);
    const error = await call(b, node, "{}", 5_000).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(AgentNotConnectedError);
    expect((error as Error).message).toContain(
      `replica ${a.id}: the agent dials out and is not connected to this dashboard now`,
    );
    expect(await relayRows()).toBe(0);
  });

  it("a request written while the holder's listening connection was down is served once it listens again", async () => {
    const a = await startReplica();
    const b = await startReplica();
    const node = await dialOutNode(a.id);
    await connectAgent(a, node, () => ({ delayMs: 0 }));
    expect(await terminateListener(opened.url as string, a.id)).toBe(true);
    const response = await call(b, node, "late", 10_000);
    expect(response.text).toBe("echo late");
    expect(await relayRows()).toBe(0);
  });

  it("the leader's cleanup removes rows older than five minutes, and only those", async () => {
    const a = await startReplica();
    const node = await dialOutNode(a.id);
    const row = (id: string, at: number) => ({
      id,
      node_id: node,
      requester_replica: "gone",
      target_replica: a.id,
      frame: "{}",
      created_at: new Date(at).toISOString(),
      taken_at: new Date(at).toISOString(),
    });
    await opened.db
      .insertInto("agent_relay_requests")
      .values([row("old", Date.now() - 6 * 60_000), row("recent", Date.now() - 10_000)])
      .execute();
    expect(await a.relay.removeStragglers()).toBe(1);
    const left = await opened.db.selectFrom("agent_relay_requests").select("id").execute();
    expect(left.map((r) => r.id)).toEqual(["recent"]);
    // A node deleted takes its requests with it.
    await opened.db.deleteFrom("nodes").where("id", "=", node).execute();
    await eventually(async () => (await relayRows()) === 0, "the node's rows gone");
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
