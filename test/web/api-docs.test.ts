// The API reference page in a real Chromium at desktop and phone width: reached from Settings, it shows
// the dashboard's own OpenAPI document (a known route among them) through the viewer from our bundle,
// requests nothing from any other origin (fonts, scripts) and logs no console error.
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import { launchChromium, overflowsHorizontally, screenshot, watchErrors } from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);

const KNOWN_ROUTE = "/api/v1/configurations/{name}/peers";

async function signIn(page: Page, dashboard: Dashboard): Promise<void> {
  await page.goto(dashboard.url);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel("Username").fill(ADMIN_USER);
  await page.getByLabel("Password").fill(dashboard.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Overview" }).waitFor();
}

describe.skipIf(skip)("API reference page (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;

  beforeAll(async () => {
    dashboard = await startDashboard("api-docs", { wireguard: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await dashboard?.stop();
  });

  for (const [label, width, height] of [
    ["desktop", 1280, 900],
    ["phone", 390, 844],
  ] as const) {
    it(`shows the served OpenAPI document from Settings at ${width} px, offline, without console errors`, async () => {
      const context = await browser.newContext({ locale: "en-US", viewport: { width, height } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        const foreign: string[] = [];
        page.on("request", (request: Request) => {
          if (!request.url().startsWith(dashboard.url) && !request.url().startsWith("data:")) {
            foreign.push(request.url());
          }
        });
        await signIn(page, dashboard);
        await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
        await page.getByTestId("api-docs-link").click();
        await page.waitForURL(/\/api-docs$/);
        await page.getByRole("heading", { name: "API reference", level: 1 }).waitFor();
        expect(await page.title()).toBe("API reference · wgfleet");

        // Swagger UI marks each operation with its method's class and the raw path in data-path.
        const viewer = page.getByTestId("api-docs-viewer");
        const createPeer = viewer.locator(`.opblock-post [data-path="${KNOWN_ROUTE}"]`);
        await createPeer.waitFor({ timeout: 30_000 });
        expect(await createPeer.isVisible()).toBe(true);
        expect(await viewer.locator(".opblock").count()).toBeGreaterThan(50);
        const operation = viewer
          .locator(".opblock-post")
          .filter({ has: page.locator(`[data-path="${KNOWN_ROUTE}"]`) });
        expect(
          await operation.locator(".opblock-summary-description").first().textContent({ timeout: 5_000 }),
        ).toBe("Create a peer");
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, `api-docs-${label}`);

        expect(foreign).toEqual([]);
        expect(errors.take()).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it("serves the document to anyone, so the page and API clients can read it", async () => {
    const response = await fetch(`${dashboard.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths[KNOWN_ROUTE]?.post?.operationId).toBe("postConfigurationsByNamePeers");
  });
});
