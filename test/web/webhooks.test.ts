// The Webhooks section of Settings in a real Chromium against a real `wgfleet serve` (no local node),
// at 1280 px and at 390 px: every field of the add/edit dialog filled, saved and read back through
// the API; a wrong URL refused beside its field with nothing stored; the secret shown once; "send
// test" reaching a real receiver on loopback, signed with the secret typed in; the delivery log; delete.
// Any console error fails the run (the one refused request of the wrong URL is the only one allowed).
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../packages/dashboard/src/webhooks/webhook-signature.js";
import { commandPrerequisite, missingPrerequisites } from "../support/privileges.js";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver.js";
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

interface ApiWebhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  allowPrivate: boolean;
  secretHint: string;
}

describe.skipIf(skip)("webhooks in Settings (browser)", () => {
  let dashboard: Dashboard;
  let receiver: WebhookReceiver;
  let browser: Browser;

  beforeAll(async () => {
    dashboard = await startDashboard("webhooks", { wireguard: false });
    receiver = await startWebhookReceiver();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await dashboard?.stop();
  }, 60_000);

  const webhooks = async () =>
    (await dashboard.admin.request<{ items: ApiWebhook[] }>("GET", "/api/v1/webhooks")).items;

  for (const width of [1280, 390]) {
    it(`adds, edits, tests, logs and deletes a webhook at ${width} px`, async () => {
      const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
      const page: Page = await context.newPage();
      const errors: ErrorWatch = watchErrors(page);
      try {
        await page.goto(`${dashboard.url}/sign-in`);
        await page.getByLabel(/^Username/).fill(ADMIN_USER);
        await page.getByLabel(/^Password/).fill(dashboard.adminPassword);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
        await page.goto(`${dashboard.url}/settings`);
        const section = page.getByTestId("webhooks-section");
        await section.getByRole("heading", { name: "Webhooks" }).waitFor();
        const name = `hook-${width}`;

        // A wrong URL: the sentence beside the URL field, nothing stored.
        await section.getByTestId("add-webhook").click();
        let dialog: Locator = page.getByRole("dialog", { name: "Add webhook" });
        await dialog.getByLabel(/^Name/).fill(name);
        await dialog.getByLabel(/^URL/).fill("ftp://hooks.example.com/x");
        await dialog.getByLabel(/^peer\.created/).check();
        await dialog.getByRole("button", { name: "Add webhook" }).click();
        await expect
          .poll(() =>
            dialog
              .locator(".field", { has: page.getByLabel(/^URL/) })
              .getByRole("alert")
              .textContent(),
          )
          .toMatch(/http:\/\/ or https:\/\//);
        expect(errors.take().every((e) => / 400 /.test(e) || /status of 400/.test(e))).toBe(true);
        expect((await webhooks()).filter((w) => w.name === name)).toHaveLength(0);

        // Every field, saved and read back.
        await dialog.getByLabel(/^URL/).fill(receiver.url);
        await dialog.getByLabel(/^node\.offline/).check();
        await dialog.getByLabel(/^pool\.almost_full/).check();
        await dialog.getByLabel("Enabled", { exact: true }).uncheck();
        await dialog.getByLabel("Allow private addresses", { exact: true }).check();
        await dialog.getByLabel(/^Signing secret/).fill("first-secret-0123456789");
        expect(await unlabelledControls(page)).toEqual([]);
        await screenshot(page, `webhooks-dialog-${width}`);
        await dialog.getByRole("button", { name: "Add webhook" }).click();
        await section.getByTestId("new-webhook-secret").waitFor();
        expect(await section.getByTestId("new-webhook-secret-value").textContent()).toBe(
          "first-secret-0123456789",
        );
        let saved = (await webhooks()).find((w) => w.name === name);
        expect(saved).toMatchObject({
          url: receiver.url,
          events: ["peer.created", "node.offline", "pool.almost_full"],
          enabled: false,
          allowPrivate: true,
          secretHint: "6789",
        });

        // Edit: every field again.
        await section
          .getByTestId("webhook-row")
          .filter({ hasText: name })
          .getByRole("button", { name: "Edit" })
          .click();
        dialog = page.getByRole("dialog", { name: `Edit ${name}` });
        await dialog.getByLabel(/^Name/).fill(`${name}-b`);
        await dialog.getByLabel(/^URL/).fill(`${receiver.url}?edited=1`);
        await dialog.getByLabel(/^peer\.created/).uncheck();
        await dialog.getByLabel(/^peer\.deleted/).check();
        await dialog.getByLabel("Enabled", { exact: true }).check();
        await dialog.getByLabel(/^New signing secret/).fill("second-secret-abcdefghij");
        await dialog.getByRole("button", { name: "Save webhook" }).click();
        await dialog.waitFor({ state: "hidden" });
        saved = (await webhooks()).find((w) => w.id === saved?.id);
        expect(saved).toMatchObject({
          name: `${name}-b`,
          url: `${receiver.url}?edited=1`,
          events: ["peer.deleted", "node.offline", "pool.almost_full"],
          enabled: true,
          allowPrivate: true,
          secretHint: "ghij",
        });

        // Send test: reaches the receiver, signed with the new secret; shows in the log.
        const row = section.getByTestId("webhook-row").filter({ hasText: `${name}-b` });
        const before = receiver.received.length;
        await row.getByRole("button", { name: "Send test" }).click();
        await expect
          .poll(() => section.getByTestId("webhook-test-result").textContent())
          .toMatch(/answered 200/);
        const got = receiver.received[before];
        expect(got?.json.type).toBe("webhook.test");
        expect(
          verifyWebhookSignature(
            "second-secret-abcdefghij",
            String(got?.headers["x-wgfleet-signature"]),
            got?.body ?? "",
            Math.floor(Date.now() / 1000),
          ),
        ).toBe(true);
        await row.getByRole("button", { name: "Deliveries" }).click();
        const log = page.getByRole("dialog", { name: `Deliveries of ${name}-b` });
        await expect.poll(() => log.getByTestId("delivery-row").count()).toBe(1);
        expect(await log.getByTestId("delivery-row").textContent()).toMatch(/webhook\.test.*delivered.*200/);
        await log.getByLabel("Status").selectOption("failed");
        await log.getByText("No deliveries.").waitFor();
        if (width <= 390) expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, `webhooks-log-${width}`);
        await log.getByRole("button", { name: /close/i }).click();

        // Delete.
        await row.getByRole("button", { name: "Delete" }).click();
        await page
          .getByRole("dialog", { name: `Delete ${name}-b?` })
          .getByRole("button", { name: "Delete" })
          .click();
        await row.waitFor({ state: "detached" });
        expect((await webhooks()).find((w) => w.id === saved?.id)).toBeUndefined();
        if (width <= 390) expect(await overflowsHorizontally(page)).toBe(false);
        expect(errors.take()).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
