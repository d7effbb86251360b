// Issue 14's webhook acceptance on a real fleet: a real agent in a namespace, a real `wgfleet serve`
// process, and a receiver on loopback that checks every signature. Peer events arrive for peers
// created, changed and deleted; stopping the agent brings `node.offline` and starting it again
// `node.online`; with the receiver down, a delivery is retried, the dashboard is SIGKILLed while it
// waits and started again, and the delivery arrives once the receiver is back (the queue is in the
// database).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../packages/dashboard/src/webhooks/webhook-signature.js";
import { eventually, type FleetDashboard } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../support/webhook-receiver.js";
import { saveFleetDiagnostics } from "./support/diagnostics.js";
import { CONFIGURATION, createPeer, setUpFleetConfiguration, waitForStatus } from "./support/e2e-fleet.js";

const skip = missingPrerequisites(wireguardPrerequisites());

interface Delivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
}

describe.skipIf(skip)("webhooks on a real fleet (issue 14)", () => {
  const fleet = useFleet({
    nodes: 1,
    prefix: "wh",
    dashboard: { env: { WGFLEET_HEALTH_INTERVAL_SECONDS: "1", WGFLEET_OFFLINE_AFTER: "2" } },
  });
  let receiver: WebhookReceiver;
  let webhookId = "";
  let secret = "";

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    await setUpFleetConfiguration(fleet());
    const created = await fleet().api.expect<{ webhook: { id: string }; secret: string }>(
      "POST",
      "/api/v1/webhooks",
      {
        name: "e2e receiver",
        url: receiver.url,
        events: ["peer.created", "peer.updated", "peer.deleted", "node.online", "node.offline"],
        allowPrivate: true,
      },
      [201],
    );
    webhookId = created.json.webhook.id;
    secret = created.json.secret;
  }, 180_000);

  afterAll(async () => {
    await receiver?.close();
  });

  beforeEach((context) => {
    context.onTestFailed(async () => {
      await saveFleetDiagnostics(fleet(), context.task.name);
    });
  });

  const api = () => fleet().api;
  const dashboard = () => fleet().dashboard as FleetDashboard;
  const expectSigned = (got: ReceivedWebhook) => {
    const header = String(got.headers["x-wgfleet-signature"]);
    expect(verifyWebhookSignature(secret, header, got.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhookSignature(`${secret}x`, header, got.body, Math.floor(Date.now() / 1000))).toBe(false);
  };
  const deliveries = async () =>
    (
      await api().expect<{ items: Delivery[] }>(
        "GET",
        `/api/v1/webhooks/${webhookId}/deliveries`,
        undefined,
        [200],
      )
    ).json.items;

  it("delivers signed peer events for a peer created, changed and deleted", async () => {
    const peer = await createPeer(api(), "wh-laptop");
    const created = await receiver.waitFor(
      (r) => r.json.type === "peer.created" && r.json.data.peerId === peer.id,
    );
    expectSigned(created);
    expect(created.json.data).toMatchObject({
      name: "wh-laptop",
      configuration: CONFIGURATION,
      nodeId: peer.node,
    });

    await api().expect("PATCH", `/api/v1/peers/${peer.id}`, { description: "renamed desk" }, [200]);
    const updated = await receiver.waitFor(
      (r) => r.json.type === "peer.updated" && r.json.data.peerId === peer.id,
    );
    expectSigned(updated);
    expect(updated.json.data.changes).toEqual(["description"]);

    await api().expect("DELETE", `/api/v1/peers/${peer.id}`, undefined, [204]);
    expectSigned(
      await receiver.waitFor((r) => r.json.type === "peer.deleted" && r.json.data.peerId === peer.id),
    );
  }, 60_000);

  it("sends node.offline when a real agent stops and node.online when it is back", async () => {
    const node = fleet().node(0);
    await node.stopAgent();
    const offline = await receiver.waitFor(
      (r) => r.json.type === "node.offline" && r.json.data.nodeId === node.id,
      30_000,
    );
    expectSigned(offline);
    expect(offline.json.data).toMatchObject({ name: node.name, from: "online" });
    await node.startAgent();
    const online = await receiver.waitFor(
      (r) => r.json.type === "node.online" && r.json.data.nodeId === node.id,
      30_000,
    );
    expectSigned(online);
    await waitForStatus(fleet(), [node], "online", 30_000);
  }, 90_000);

  it("retries while the receiver is down, across a dashboard killed and started again", async () => {
    const port = receiver.port;
    await receiver.close();
    const peer = await createPeer(api(), "wh-retry");
    // The first attempt failed (nobody listens): pending, with the error, a retry planned.
    await eventually(
      async () => {
        const delivery = (await deliveries()).find((d) => d.event === "peer.created" && d.attempts >= 1);
        if (delivery?.status === "pending" && delivery.lastError) return true;
        throw new Error(JSON.stringify(delivery));
      },
      "a failed first attempt",
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    await dashboard().kill();
    receiver = await startWebhookReceiver(port);
    await dashboard().start();
    const got = await receiver.waitFor(
      (r) => r.json.type === "peer.created" && r.json.data.peerId === peer.id,
      60_000,
    );
    expectSigned(got);
    const delivery = (await deliveries()).find((d) => d.id === got.headers["x-wgfleet-delivery"]);
    expect(delivery).toMatchObject({ status: "delivered", responseCode: 200 });
    expect(delivery?.attempts).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
