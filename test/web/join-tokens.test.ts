// Join tokens in a real Chromium against a real dashboard (no local node: nothing here needs root), at
// 1280 px and at 390 px: the Nodes page's Join token dialog with both its fields filled makes a token
// the API lists as asked; the dialog shows the token once and the `wgfleet-agent join …` line with it;
// the page's list shows the token active with who made it; revoking it (confirmed) takes it off the
// list, and the public join then refuses the token. No page scrolls sideways on the phone; any console
// error fails.
import type { JoinTokenDto } from "@wgfleet/core";
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
import { ADMIN_USER, type Dashboard, startDashboard } from "./support/dashboard.js";

const skip = missingPrerequisites([commandPrerequisite("chromium")]);

const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 900, minutes: 30 },
  { label: "phone", width: 390, height: 844, minutes: 240 },
] as const;
const MINUTE_MS = 60_000;

describe.skipIf(skip)("join tokens (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;

  const listTokens = async () =>
    (await dashboard.admin.request<{ items: JoinTokenDto[] }>("GET", "/api/v1/join-tokens")).items;

  beforeAll(async () => {
    dashboard = await startDashboard("join-tokens", { wireguard: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await dashboard?.stop();
  });

  /** A fresh browser context at the viewport, signed in as the admin; closed after `run`. */
  async function withPage(
    viewport: { width: number; height: number },
    run: (page: Page, errors: ErrorWatch) => Promise<void>,
  ): Promise<void> {
    const context: BrowserContext = await browser.newContext({ viewport });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${dashboard.url}/sign-in`);
      await page.getByLabel("Username").fill(ADMIN_USER);
      await page.getByLabel("Password").fill(dashboard.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      errors.take(); // the session probe before signing in
      await run(page, errors);
    } finally {
      await context.close().catch(() => {});
    }
  }

  for (const viewport of VIEWPORTS) {
    const phone = viewport.width < 640;
    const name = `jt-${viewport.label}`;
    it(`${viewport.label}: makes a token in the dialog, shows it and its command once, lists it, revokes it`, async () => {
      await withPage(viewport, async (page, errors) => {
        await page.goto(`${dashboard.url}/nodes`);
        await page.getByRole("heading", { name: "Nodes", level: 1 }).waitFor();
        const section = page.getByTestId("join-tokens");
        await section.getByRole("heading", { name: "Join tokens" }).waitFor();

        await page.getByTestId("join-token").click();
        const dialog = page.getByRole("dialog", { name: "Join a new server" });
        await dialog.waitFor();
        expect(await dialog.getByLabel(/^Works for \(minutes\)/).inputValue()).toBe("60");
        expect(await unlabelledControls(page)).toEqual([]);
        await dialog.getByLabel(/^Name/).fill(name);
        await dialog.getByLabel(/^Works for \(minutes\)/).fill(String(viewport.minutes));
        const before = Date.now();
        await dialog.getByRole("button", { name: "Create token" }).click();

        const shown = dialog.getByTestId("new-join-token");
        await shown.waitFor();
        expect(await shown.textContent()).toContain("the token is shown only here, once");
        const token = (await dialog.getByTestId("join-token-value").textContent())?.trim() ?? "";
        expect(token.length).toBeGreaterThan(20);
        const command = (await dialog.getByTestId("join-command").textContent())?.trim();
        expect(command).toBe(
          `wgfleet-agent join --dashboard ${dashboard.url} --token ${token} --name ${name} ` +
            "--listen 0.0.0.0:7443 --endpoint PUBLIC-HOST",
        );
        const dialOut = (await dialog.getByTestId("join-command-dial-out").textContent())?.trim();
        expect(dialOut).toBe(
          `wgfleet-agent join --dashboard ${dashboard.url} --token ${token} --name ${name} ` +
            "--dial-out --endpoint PUBLIC-HOST",
        );
        await dialog.getByRole("button", { name: "Copy the command" }).waitFor();
        await dialog.getByRole("button", { name: "Copy the dial-out command" }).waitFor();
        await dialog.getByRole("button", { name: "Copy the token" }).waitFor();
        if (phone) expect(await overflowsHorizontally(page), "the dialog scrolls sideways").toBe(false);
        await screenshot(page, `join-token-dialog-${viewport.label}`);

        const made = (await listTokens()).find((t) => t.name === name);
        expect(made).toMatchObject({ status: "active", createdBy: ADMIN_USER, usedAt: null, nodeId: null });
        const expires = Date.parse(made?.expiresAt ?? "");
        expect(expires).toBeGreaterThanOrEqual(before + viewport.minutes * MINUTE_MS - 1000);
        expect(expires).toBeLessThanOrEqual(Date.now() + viewport.minutes * MINUTE_MS);
        expect(JSON.stringify(await listTokens())).not.toContain(token);

        await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
        await dialog.waitFor({ state: "hidden" });
        const row = section.getByTestId("join-token-row").filter({ hasText: name });
        await row.waitFor();
        expect(await row.getAttribute("data-status")).toBe("active");
        expect(await row.getByText("active", { exact: true }).count()).toBe(1);
        if (!phone) expect(await row.textContent()).toContain(ADMIN_USER);
        if (phone) expect(await overflowsHorizontally(page), "the Nodes page scrolls sideways").toBe(false);
        await screenshot(page, `join-tokens-list-${viewport.label}`);

        await row.getByRole("button", { name: "Revoke" }).click();
        const confirm = page.getByRole("dialog", { name: `Revoke ${name}?` });
        await confirm.getByTestId("confirm").click();
        await page
          .getByTestId("toast")
          .filter({ hasText: `Join token ${name} revoked.` })
          .waitFor();
        await row.waitFor({ state: "detached" });
        expect((await listTokens()).some((t) => t.name === name)).toBe(false);
        expect(errors.take()).toEqual([]);
      });
    }, 120_000);
  }

  it("a revoked token no longer lets a server join", async () => {
    const created = await dashboard.admin.request<{ id: string; token: string }>(
      "POST",
      "/api/v1/join-tokens",
      { name: "jt-revoked" },
    );
    await dashboard.admin.request("DELETE", `/api/v1/join-tokens/${created.id}`);
    const answer = await fetch(`${dashboard.url}/api/v1/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: created.token,
        name: "jt-never",
        agentUrl: "http://127.0.0.1:9",
        secret: "a-secret-of-enough-length-for-a-node",
        endpoint: "198.18.0.70",
      }),
    });
    expect(answer.status).toBe(401);
    expect(await answer.text()).toContain("unknown");
  });
});
