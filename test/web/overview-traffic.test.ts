// The Overview's traffic figures in a real Chromium against a real dashboard (stats polled every
// second) whose local node runs wireguard-go in a test namespace: a client namespace brings up a peer's
// downloaded config and pings through the tunnel; the Overview then shows non-empty traffic today,
// overall and on the local node's row, without a console error. Screenshot under test-output/.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bringUpClient, createNamespace, ping, type TestNamespace } from "../support/netns.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type ErrorWatch, launchChromium, screenshot, watchErrors } from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

interface TrafficAnswer {
  today: { rxBytes: number; txBytes: number };
  measuredAt: string | null;
}

/** Starts the dashboard with a 1 s stats interval (the variable is read once, at its start). */
async function startFastStatsDashboard(): Promise<Dashboard> {
  const previous = process.env.WGFLEET_STATS_INTERVAL_SECONDS;
  process.env.WGFLEET_STATS_INTERVAL_SECONDS = "1";
  try {
    return await startDashboard("overview-traffic");
  } finally {
    if (previous === undefined) delete process.env.WGFLEET_STATS_INTERVAL_SECONDS;
    else process.env.WGFLEET_STATS_INTERVAL_SECONDS = previous;
  }
}

describe.skipIf(skip)("overview traffic (browser)", () => {
  let dashboard: Dashboard;
  let client: TestNamespace | undefined;
  let browser: Browser;
  let page: Page;
  let errors: ErrorWatch;
  const configuration = uniqueName("wot", 12);
  const interfaceName = uniqueName("wgo");

  beforeAll(async () => {
    dashboard = await startFastStatsDashboard();
    const server = dashboard.namespace as TestNamespace;
    const listenPort = 20_000 + Math.floor(Math.random() * 40_000);
    await dashboard.admin.request("POST", "/api/v1/configurations", { name: configuration });
    await dashboard.admin.request("POST", `/api/v1/configurations/${configuration}/interfaces`, {
      nodeId: "local",
      listenPort,
      pool: "198.51.100.0/24",
      interfaceName,
      endpoint: `${server.nsAddress}:${listenPort}`,
    });
    const peer = await dashboard.admin.request<{ id: string }>(
      "POST",
      `/api/v1/configurations/${configuration}/peers`,
      { name: "phone", node: "local" },
    );
    const config = await dashboard.admin.request<string>("GET", `/api/v1/peers/${peer.id}/config`);
    client = await createNamespace("wotc");
    await bringUpClient(client, config, uniqueName("wotc"));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await client?.destroy().catch(() => {});
    if (dashboard) {
      await dashboard.admin
        .request("DELETE", `/api/v1/configurations/${configuration}?force=true`)
        .catch(() => {});
      await dashboard.stop();
    }
  });

  it("shows today's traffic, overall and for this server, after traffic flowed through the tunnel", async () => {
    expect(await ping(client as TestNamespace, "198.51.100.1", { count: 5, timeoutSec: 10 })).toBe(true);
    // The dashboard's own poller (every second) stores the bytes; the API sees them first.
    await expect
      .poll(
        async () =>
          (await dashboard.admin.request<TrafficAnswer>("GET", "/api/v1/stats/traffic")).today.rxBytes,
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);

    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    const today = page.getByTestId("stat-traffic-today");
    await today.waitFor();
    expect(await today.textContent()).toMatch(/^[1-9][\d.]* (B|KiB|MiB) \/ [1-9][\d.]* (B|KiB|MiB)$/);
    const row = page.getByRole("row").filter({ hasText: "this server" });
    expect(await row.getByTestId("node-traffic-today").textContent()).toMatch(/[1-9][\d.]* (B|KiB|MiB) \//);
    // "Now" is measured between two polls: it shows a rate, never the placeholder.
    await expect
      .poll(() => page.getByTestId("stat-traffic-now").textContent(), { timeout: 20_000 })
      .toMatch(/\/s/);
    await screenshot(page, "overview-traffic");
    expect(errors.take(), "console errors on the overview").toEqual([]);
  });
});
