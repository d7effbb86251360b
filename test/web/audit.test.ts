// The Audit page in a real Chromium against a real dashboard (no WireGuard needed: users, API keys and
// configurations make the entries): the rows show who (user, API key), what, the changed fields
// (before → after, a password only as "changed") and the address; the filters (user or key, kind,
// action, time) narrow the rows; "Older entries" pages on; the page fits 1280 and 390 px, every control
// has a label, and no page logs a console error. Screenshots go to test-output/screenshots/audit-*.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);
/** How long a page may take to show what it loaded (a loaded CI machine). */
const WAIT = { timeout: 20_000 };
/** More than one page of the Audit page (50 rows). */
const UPDATES = 55;

describe.skipIf(skip)("Audit page (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: ErrorWatch;
  const configuration = uniqueName("au", 12);
  const password = `pw-${uniqueName("", 20)}`;
  let keyName = "";

  function noErrors(where: string): void {
    expect(errors.take(), `console errors on ${where}`).toEqual([]);
  }

  const rows = () => page.getByTestId("audit-row");

  beforeAll(async () => {
    dashboard = await startDashboard("audit", { wireguard: false });
    const admin = dashboard.admin;
    await admin.request("POST", "/api/v1/configurations", {
      name: configuration,
      clientAllowedIps: ["198.51.100.0/24"],
    });
    for (let i = 0; i < UPDATES; i++) {
      await admin.request("PATCH", `/api/v1/configurations/${configuration}`, { mtu: 1300 + i });
    }
    const user = await admin.request<{ id: string }>("POST", "/api/v1/users", {
      username: "auditor",
      password,
      role: "viewer",
    });
    keyName = "audit-script";
    const created = await admin.request<{ key: string }>("POST", "/api/v1/apikeys", {
      name: keyName,
      userId: user.id,
    });
    const asKey = await fetch(`${dashboard.url}/api/v1/users/me/password`, {
      method: "POST",
      headers: { authorization: `Bearer ${created.key}`, "content-type": "application/json" },
      body: JSON.stringify({ currentPassword: password, newPassword: `${password}-2` }),
    });
    expect(asKey.status, await asKey.text()).toBe(200);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(dashboard.url);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Audit" }).waitFor();
    errors.take(); // the session probe before signing in logs a 401 (another issue's bug 9)
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await dashboard?.stop();
  });

  it("lists who changed what, with the changed fields, newest first, and pages on", async () => {
    await page.getByRole("link", { name: "Audit" }).click();
    await expect.poll(() => rows().count(), WAIT).toBe(50);
    // Newest first: the browser's own sign-in, then the password change made with the API key.
    expect(await rows().first().getByTestId("audit-action").textContent()).toBe("session.login");
    const newest = rows().filter({ hasText: "user.change_password" });
    expect(await newest.count()).toBe(1);
    expect(await newest.textContent()).toContain("auditor");
    expect(await newest.getByTestId("audit-key").textContent()).toContain(keyName);
    expect(await newest.getByTestId("audit-changes").textContent()).toMatch(/password:\s*changed/);
    expect(await newest.textContent()).toContain("127.0.0.1");
    expect(await newest.textContent()).not.toContain(password);

    const update = rows().filter({ hasText: "configuration.update" }).first();
    expect(await update.getByTestId("audit-changes").textContent()).toMatch(/mtu:\s*1353\s*→\s*1354/);
    await screenshot(page, "audit-1280");
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByTestId("audit-more").click();
    await expect.poll(() => rows().count(), WAIT).toBeGreaterThan(50);
    noErrors("the audit page");
  });

  it("filters by user or key, kind, action and time", async () => {
    const filters = page.getByTestId("audit-filters");
    await filters.getByLabel("User or API key").fill(keyName);
    await page.getByTestId("audit-apply").click();
    await expect.poll(() => rows().count(), WAIT).toBe(1);

    await page.getByTestId("audit-reset").click();
    await expect.poll(() => rows().count(), WAIT).toBe(50);
    await filters.getByLabel("Kind").selectOption("apikey");
    await page.getByTestId("audit-apply").click();
    await expect.poll(() => rows().count(), WAIT).toBe(1);
    expect(await rows().getByTestId("audit-action").allTextContents()).toEqual(["apikey.create"]);

    await filters.getByLabel("Kind").selectOption("");
    await filters.getByLabel("Action").fill("user");
    await page.getByTestId("audit-apply").click();
    const actions = () => rows().getByTestId("audit-action").allTextContents();
    await expect
      .poll(async () => (await actions()).every((action) => action.startsWith("user.")), WAIT)
      .toBe(true);
    expect(await actions()).toContain("user.create");
    expect((await actions())[0]).toBe("user.change_password");

    await filters.getByLabel("Action").fill("");
    await filters.getByLabel("From").fill("2999-01-01T00:00");
    await filters.getByLabel("Until").fill("2999-12-31T00:00");
    await page.getByTestId("audit-apply").click();
    await page.getByTestId("audit-empty").waitFor();
    await filters.getByLabel("From").fill("2000-01-01T00:00");
    await page.getByTestId("audit-apply").click();
    await expect.poll(() => rows().count(), WAIT).toBe(50);
    expect(await page.getByTestId("audit-more").isVisible()).toBe(true);
    noErrors("the audit filters");
  });

  it("fits a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("audit-reset").click();
    await expect.poll(() => rows().count(), WAIT).toBe(50);
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await rows().first().isVisible()).toBe(true);
    await screenshot(page, "audit-390");
    await page.getByTestId("audit-filters").getByLabel("Action").fill("configuration.create");
    await page.getByTestId("audit-apply").click();
    await expect.poll(() => rows().count(), WAIT).toBe(1);
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
    noErrors("the audit page on a phone");
  });
});
