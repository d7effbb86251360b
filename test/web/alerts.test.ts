// The Alerts page, the banner and the thresholds form in a real Chromium against a real dashboard (no
// WireGuard needed: a remote node whose agent never answers goes offline and fires node.offline): the
// banner on every page says how many alerts fire and links to the page; the page lists the alert; an
// admin fills every threshold and saves, and the dashboard keeps the values; it all fits 1280 and
// 390 px with every control labelled and no console error. Screenshots: test-output/screenshots/alerts-*.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../fleet/harness.js";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, freePort, startDashboard } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);
/** How long a page may take to show what it loaded (a loaded CI machine); the banner polls every 15 s. */
const WAIT = { timeout: 40_000 };

describe.skipIf(skip)("Alerts page and banner (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  let nodeId = "";

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  beforeAll(async () => {
    dashboard = await startDashboard("alerts", {
      wireguard: false,
      env: { WGFLEET_HEALTH_INTERVAL_MS: "300", WGFLEET_OFFLINE_AFTER: "1", WGFLEET_AGENT_TIMEOUT_MS: "500" },
    });
    const node = await dashboard.admin.request<{ id: string }>("POST", "/api/v1/nodes", {
      name: "silent-node",
      agentUrl: `http://127.0.0.1:${await freePort()}`,
      secret: randomBytes(24).toString("hex"),
      endpoint: "vpn.example.net",
    });
    nodeId = node.id;
    await eventually(
      async () => {
        const { firing } = await dashboard.admin.request<{ firing: number }>(
          "GET",
          "/api/v1/alerts?state=firing",
        );
        if (firing === 1) return true;
        throw new Error(`${firing} alerts firing`);
      },
      "node.offline firing for the silent node",
      { timeoutMs: 40_000, intervalMs: 250 },
    );

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(dashboard.url);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Alerts", exact: true }).waitFor();
    errors.take(); // the session probe before signing in logs a 401 (another issue's bug 9)
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await dashboard?.stop();
  });

  it("shows the banner with the firing count, and the alert on the Alerts page", async () => {
    const banner = page.getByTestId("alert-banner");
    await banner.waitFor(WAIT);
    expect(await banner.textContent()).toContain("1 alert is firing");
    await page.getByTestId("alert-banner-link").click();
    await page.waitForURL(/\/alerts$/);
    const row = page.getByTestId("alert-row").first();
    await row.waitFor(WAIT);
    expect(await row.getAttribute("data-state")).toBe("firing");
    expect(await row.textContent()).toContain("Node offline");
    expect(await row.textContent()).toContain("node silent-node is offline");
    await page.getByTestId("alert-filter").selectOption("resolved");
    await page.getByTestId("alerts-empty").waitFor(WAIT);
    await page.getByTestId("alert-filter").selectOption("");
    await row.waitFor(WAIT);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, "alerts-1280");
    noErrors("the alerts page");
  });

  for (const width of [1280, 390]) {
    it(`fills and saves every threshold at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${dashboard.url}/alerts`);
      const form = page.getByTestId("alert-settings");
      await expect.poll(() => form.getByLabel("Pool almost full at (%)").inputValue(), WAIT).not.toBe("");
      const values = width === 1280 ? ["85", "4", "40"] : ["95", "6", "60"];
      await form.getByLabel("Pool almost full at (%)").fill(values[0] as string);
      await form.getByLabel("Drift repairs per hour").fill(values[1] as string);
      await form.getByLabel("Peers without handshake (%)").fill(values[2] as string);
      await page.getByTestId("alert-settings-save").click();
      await page.getByText("Alert thresholds saved").waitFor(WAIT);
      expect(await dashboard.admin.request("GET", "/api/v1/alerts/settings")).toEqual({
        poolFullPercent: Number(values[0]),
        driftRepairsPerHour: Number(values[1]),
        staleHandshakePercent: Number(values[2]),
      });
      await page.reload();
      await expect.poll(() => form.getByLabel("Drift repairs per hour").inputValue(), WAIT).toBe(values[1]);
      expect(await page.getByTestId("alert-banner").isVisible()).toBe(true);
      expect(await overflowsHorizontally(page)).toBe(false);
      expect(await unlabelledControls(page)).toEqual([]);
      await screenshot(page, `alerts-settings-${width}`);
      noErrors(`the thresholds form at ${width} px`);
    });
  }

  it("resolves the alert when the node is turned off, and the banner goes", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await dashboard.admin.request("PATCH", `/api/v1/nodes/${nodeId}`, { enabled: false });
    await page.goto(`${dashboard.url}/alerts`);
    await expect
      .poll(() => page.getByTestId("alert-row").first().getAttribute("data-state"), WAIT)
      .toBe("resolved");
    await page.reload();
    await page.getByTestId("alert-row").first().waitFor(WAIT);
    expect(await page.getByTestId("alert-banner").count()).toBe(0);
    noErrors("the resolved alert");
  });
});
