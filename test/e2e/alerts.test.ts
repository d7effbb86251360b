// Alerts on a real fleet (issue 15): one real agent in a namespace, a real `wgfleet serve` process and a
// webhook receiver on loopback. Stopping the agent fires node.offline once (in the list and as a signed
// alert.firing), starting it again resolves it once (alert.resolved); filling a small pool past 90 %
// fires pool.full and gives the pool a forecast; the metrics the Prometheus rules read are served.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../packages/dashboard/src/webhooks/webhook-signature.js";
import { eventually } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";
import { saveFleetDiagnostics } from "./support/diagnostics.js";
import { waitForStatus } from "./support/e2e-fleet.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CONFIGURATION = "alrt";
/** 13 addresses to hand out (network, broadcast and the node's own excluded): 12 peers are 92 %. */
const POOL = "198.51.100.0/28";
const METRICS_TOKEN = randomBytes(16).toString("hex");

interface ApiAlert {
  id: string;
  kind: string;
  subject: string;
  state: "firing" | "resolved";
  summary: string;
  resolvedAt: string | null;
}

describe.skipIf(skip)("alerts on a real fleet (issue 15)", () => {
  const fleet = useFleet({
    nodes: 1,
    prefix: "al",
    dashboard: {
      env: {
        WGFLEET_HEALTH_INTERVAL_SECONDS: "1",
        WGFLEET_OFFLINE_AFTER: "2",
        WGFLEET_METRICS_TOKEN: METRICS_TOKEN,
      },
    },
  });
  let receiver: WebhookReceiver;
  let secret = "";

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    await fleet().registerNodes();
    await waitForStatus(fleet(), fleet().nodes, "online", 60_000);
    const node = fleet().node(0);
    await fleet().api.expect("POST", "/api/v1/configurations", {
      name: CONFIGURATION,
      clientAllowedIps: ["198.51.100.0/24"],
    });
    await fleet().api.expect(
      "POST",
      `/api/v1/configurations/${CONFIGURATION}/interfaces`,
      {
        nodeId: node.id,
        listenPort: 51820,
        pool: POOL,
        endpoint: node.endpoint(51820),
        interfaceName: node.interfaceName(0),
      },
      [201],
    );
    const created = await fleet().api.expect<{ secret: string }>(
      "POST",
      "/api/v1/webhooks",
      { name: "alerts", url: receiver.url, events: ["alert.firing", "alert.resolved"], allowPrivate: true },
      [201],
    );
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
  const alerts = async (query = "") =>
    (
      await api().expect<{ items: ApiAlert[]; firing: number }>(
        "GET",
        `/api/v1/alerts${query}`,
        undefined,
        [200],
      )
    ).json;
  const signed = (got: { headers: Record<string, unknown>; body: string }) =>
    verifyWebhookSignature(
      secret,
      String(got.headers["x-wgfleet-signature"]),
      got.body,
      Math.floor(Date.now() / 1000),
    );

  it("fires node.offline once when the agent stops, and resolves it once when it is back", async () => {
    const node = fleet().node(0);
    await node.stopAgent();
    const firing = await receiver.waitFor(
      (r) => r.json.type === "alert.firing" && r.json.data.kind === "node.offline",
      30_000,
    );
    expect(signed(firing)).toBe(true);
    expect(firing.json.data).toMatchObject({
      subject: node.id,
      resolvedAt: null,
      details: { node: node.name },
    });
    const listed = await alerts("?state=firing");
    expect(listed.items.filter((a) => a.kind === "node.offline")).toHaveLength(1);

    await node.startAgent();
    const resolved = await receiver.waitFor(
      (r) => r.json.type === "alert.resolved" && r.json.data.alertId === firing.json.data.alertId,
      30_000,
    );
    expect(signed(resolved)).toBe(true);
    await waitForStatus(fleet(), [node], "online", 30_000);
    // One firing and one resolution for the episode, however many ticks it lasted.
    const about = receiver.received.filter((r) => r.json.data?.alertId === firing.json.data.alertId);
    expect(about.map((r) => r.json.type)).toEqual(["alert.firing", "alert.resolved"]);
    const after = await alerts();
    expect(after.items.find((a) => a.id === firing.json.data.alertId)).toMatchObject({ state: "resolved" });
  }, 90_000);

  it("fires pool.full when a small pool passes 90 %, and forecasts it", async () => {
    const node = fleet().node(0);
    for (let n = 1; n <= 12; n++) {
      await api().expect(
        "POST",
        `/api/v1/configurations/${CONFIGURATION}/peers`,
        { name: `al-${n}`, node: node.id },
        [201],
      );
    }
    const firing = await receiver.waitFor(
      (r) => r.json.type === "alert.firing" && r.json.data.kind === "pool.full",
      30_000,
    );
    expect(signed(firing)).toBe(true);
    expect(firing.json.data.details).toMatchObject({ pool: POOL, used: 12, total: 13, thresholdPercent: 90 });
    expect((await alerts("?state=firing")).items.map((a) => a.kind)).toContain("pool.full");

    const pools = await api().expect<{ items: Array<{ cidr: string; forecastDays: number | null }> }>(
      "GET",
      `/api/v1/nodes/${node.id}/pools`,
      undefined,
      [200],
    );
    // Less than an hour of history: no rate yet, so no forecast (docs/alerts.md).
    expect(pools.json.items.find((p) => p.cidr === POOL)).toMatchObject({ forecastDays: null });

    const scrape = async () =>
      (
        await fetch(`${fleet().dashboard?.url}/metrics`, {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        })
      ).text();
    expect(await scrape()).toContain(`wgfleet_node_up{node="${node.id}"} 1`);
    await eventually(
      async () => {
        const again = await scrape();
        if (
          again.includes(
            `wgfleet_pool_used_ratio{node="${node.id}",interface="${node.interfaceName(0)}"} ${12 / 13}`,
          )
        )
          return true;
        throw new Error(
          again
            .split("\n")
            .filter((l) => l.startsWith("wgfleet_pool"))
            .join("\n"),
        );
      },
      "the pool's used ratio in /metrics",
      { timeoutMs: 15_000, intervalMs: 250 },
    );
  }, 90_000);
});
