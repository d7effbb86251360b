// GET /api/v1/configurations/:name/placement on both engines, over the real app and services: the
// answer names the node the creation's own selector picks (a tie on score whose tie-break winner is
// out of addresses), 200 with node null and the creation's message when nothing fits, 404, viewers.
import { randomBytes } from "node:crypto";
import type { PlacementDto } from "@wgfleet/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../test/support/databases.js";
import { nowIso } from "../clock.js";
import { insertConfiguration, insertInterface, insertPeer } from "../db/test-support/rows.js";
import type { TestApp } from "../http/test-support/test-app.js";
import { createTestApp } from "../http/test-support/test-app.js";
import { AddressPools } from "../interfaces/address-pools.js";
import { AllocationRepository } from "../interfaces/allocation.repository.js";
import { InterfaceRepository } from "../interfaces/interface.repository.js";
import { NodeRepository } from "../nodes/node.repository.js";
import { InterfaceSelector } from "../nodes/node-selector.js";

forEachEngine("placement route", (open) => {
  let t: TestApp;
  let viewerKey: string;
  beforeAll(async () => {
    t = await createTestApp(await open());
    viewerKey = await t.apiKeyFor(await t.createUser("viewer"));
  });
  afterAll(async () => t?.close());

  const db = () => t.context.db;

  /** A remote node through the service (its transport registered), then marked online as health would. */
  async function onlineNode(name: string, maxPeers: number): Promise<string> {
    const suffix = randomBytes(3).toString("hex");
    const node = await t.context.services.nodeAdmin.create(
      {
        name: `${name}-${suffix}`,
        // One agent serves one node: each gets its own (unanswered) URL.
        agentUrl: `http://127.0.0.1:9/${suffix}`,
        secret: randomBytes(24).toString("base64url"),
        endpoint: "198.18.0.9",
        maxPeers,
        enabled: false,
      },
      "test",
    );
    await db().updateTable("nodes").set({ enabled: 1, status: "online" }).where("id", "=", node.id).execute();
    return node.id;
  }

  async function peerWithAddress(interfaceId: string, pool: string, address: string): Promise<void> {
    const peer = await insertPeer(db(), { interface_id: interfaceId });
    await db()
      .insertInto("ip_allocations")
      .values({ interface_id: interfaceId, pool, address, peer_id: peer, created_at: nowIso() })
      .execute();
  }

  async function placement(name: string, key = viewerKey) {
    return t.app.inject({
      method: "GET",
      url: `/api/v1/configurations/${name}/placement`,
      headers: t.bearer(key),
    });
  }

  it("a tie on score whose tie-break winner is out of addresses: names the other node, as creation picks", async () => {
    const name = `tie${randomBytes(3).toString("hex")}`;
    const configuration = await insertConfiguration(db(), { name });
    // alpha: 1 of 2 peers, bravo: 2 of 4, both weight 100: score 0.005 each; alpha has fewer peers
    // and would win the tie-break, but its /30 holds one peer address and that one is taken.
    const alpha = await onlineNode("alpha", 2);
    const bravo = await onlineNode("bravo", 4);
    const onAlpha = await insertInterface(db(), {
      configuration_id: configuration,
      node_id: alpha,
      pool_v4: "198.51.100.0/30",
    });
    const onBravo = await insertInterface(db(), {
      configuration_id: configuration,
      node_id: bravo,
      pool_v4: "203.0.113.0/24",
    });
    await peerWithAddress(onAlpha, "198.51.100.0/30", "198.51.100.2");
    await peerWithAddress(onBravo, "203.0.113.0/24", "203.0.113.2");
    await peerWithAddress(onBravo, "203.0.113.0/24", "203.0.113.3");

    const response = await placement(name);
    expect(response.statusCode).toBe(200);
    const answer = response.json<PlacementDto>();
    expect(answer).toMatchObject({ node: bravo, localFallback: false, message: null });
    expect(answer.nodeName).toMatch(/^bravo-/);
    expect(answer.score).toBeCloseTo(0.005);
    expect(answer.passedOver).toEqual([
      {
        node: alpha,
        nodeName: expect.stringMatching(/^alpha-/),
        code: "pool_exhausted",
        reason: "out of addresses (pool exhausted)",
      },
    ]);

    // The creation's selector, over the same transports and database, chooses the same interface.
    const selector = new InterfaceSelector({
      nodes: new NodeRepository(db()),
      transports: t.context.services.nodeTransports,
      pools: new AddressPools(db(), new AllocationRepository(db())),
    });
    const candidates = await new InterfaceRepository(db()).listByConfiguration(configuration);
    expect((await selector.choose(candidates, "auto")).node_id).toBe(answer.node);

    // A free address on alpha again: it wins the tie on fewer peers, and bravo is told why it lost.
    await db().deleteFrom("ip_allocations").where("interface_id", "=", onAlpha).execute();
    const freed = (await placement(name)).json<PlacementDto>();
    expect(freed.node).toBe(alpha);
    expect(freed.passedOver.map((p) => [p.node, p.code])).toEqual([[bravo, "lost_tie_break_peers"]]);
    expect((await selector.choose(candidates, "auto")).node_id).toBe(alpha);
  });

  it("no eligible node: 200 with node null, the reasons and the message creation fails with", async () => {
    const name = `none${randomBytes(3).toString("hex")}`;
    const configuration = await insertConfiguration(db(), { name });
    const down = await onlineNode("down", 10);
    await db().updateTable("nodes").set({ status: "offline" }).where("id", "=", down).execute();
    await insertInterface(db(), { configuration_id: configuration, node_id: down });
    const answer = (await placement(name)).json<PlacementDto>();
    expect(answer).toMatchObject({ node: null, nodeName: null, score: null, localFallback: false });
    expect(answer.passedOver.map((p) => [p.node, p.code])).toEqual([[down, "offline"]]);
    expect(answer.message).toMatch(
      /^no node available: ".*" \(.*\) offline; the local node does not host it$/,
    );

    const created = await t.app.inject({
      method: "POST",
      url: `/api/v1/configurations/${name}/peers`,
      headers: t.bearer(t.adminKey),
      payload: { name: "phone" },
    });
    expect(created.statusCode).toBe(503);
    expect(created.json().error.message).toBe(answer.message);
  });

  it("a configuration on no node: 200 with node null and the creation's message", async () => {
    const name = `bare${randomBytes(3).toString("hex")}`;
    await insertConfiguration(db(), { name });
    const response = await placement(name);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      node: null,
      nodeName: null,
      score: null,
      localFallback: false,
      passedOver: [],
      message: `configuration ${name} is not on any node yet`,
    });
  });

  it("404 for an unknown configuration, 401 without credentials", async () => {
    expect((await placement("nosuchconf")).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: "GET", url: "/api/v1/configurations/x/placement" });
    expect(anonymous.statusCode).toBe(401);
  });
});
