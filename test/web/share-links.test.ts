// Share links in a real Chromium against a real dashboard (local node in a test namespace), at 1280 px
// and at 390 px: the peer page's Share dialog with both its fields filled (hours, one download only)
// makes a link the API lists as asked; the link opens without a session on a page with the peer's name,
// a QR code that really renders and a download button whose file is the peer's config; a one-time
// link's second download shows the 410 page; a link revoked in the dialog shows the 410 page too. No
// page scrolls sideways on the phone; any console error fails (a CSP violation on the public page is
// one).
import type { PeerDto, ShareLinkDto } from "@wgfleet/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 900, hours: 24, oneTime: false },
  { label: "phone", width: 390, height: 844, hours: 3, oneTime: true },
] as const;
const HOUR_MS = 3_600_000;

describe.skipIf(skip)("share links (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  const configuration = uniqueName("sh", 12);

  const api = <T = unknown>(method: string, path: string, body?: unknown) =>
    dashboard.admin.request<T>(method, path, body);

  beforeAll(async () => {
    dashboard = await startDashboard("share-links");
    await api("POST", "/api/v1/configurations", { name: configuration });
    await api("POST", `/api/v1/configurations/${configuration}/interfaces`, {
      nodeId: "local",
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      pool: "198.51.100.0/24",
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (dashboard) {
      await api("DELETE", `/api/v1/configurations/${configuration}?force=true`).catch(() => {});
      await dashboard.stop();
    }
  });

  /** A fresh browser context at the viewport, signed in when `signIn`; closed after `run`. */
  async function withPage(
    viewport: { width: number; height: number },
    signIn: boolean,
    run: (page: Page, errors: ErrorWatch) => Promise<void>,
  ): Promise<void> {
    const context: BrowserContext = await browser.newContext({ viewport, acceptDownloads: true });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      if (signIn) {
        await page.goto(`${dashboard.url}/sign-in`);
        await page.getByLabel("Username").fill(ADMIN_USER);
        await page.getByLabel("Password").fill(dashboard.adminPassword);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
        errors.take(); // the session probe before signing in
      }
      await run(page, errors);
    } finally {
      await context.close().catch(() => {});
    }
  }

  async function downloadText(page: Page): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the config file" }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
  }

  for (const viewport of VIEWPORTS) {
    const wide = viewport.width > 640;
    it(`${viewport.label}: shares a peer from its page, opens the link without a session, downloads, revokes`, async () => {
      const peer = await api<PeerDto>("POST", `/api/v1/configurations/${configuration}/peers`, {
        name: `share ${viewport.label}`,
      });
      const config = await api<string>("GET", `/api/v1/peers/${peer.id}/config`);
      let url = "";

      await withPage(viewport, true, async (page, errors) => {
        await page.goto(`${dashboard.url}/peers/${peer.id}`);
        await page.getByTestId("share-peer").click();
        const dialog = page.getByRole("dialog");
        await dialog.getByText("No links yet.").waitFor();
        expect(await unlabelledControls(page)).toEqual([]);
        await dialog.getByLabel("Works for (hours)").fill(String(viewport.hours));
        await dialog.getByLabel("One download only").setChecked(viewport.oneTime);
        const before = Date.now();
        await dialog.getByRole("button", { name: "Create link" }).click();
        url = (await dialog.getByTestId("new-share-url").textContent()) ?? "";
        expect(url).toMatch(new RegExp(`^${dashboard.url}/s/[A-Za-z0-9_-]{43}$`));
        await dialog.locator("tbody tr").first().waitFor();
        if (!wide) expect(await overflowsHorizontally(page), "the share dialog scrolls sideways").toBe(false);
        await screenshot(page, `share-dialog-${viewport.label}`);

        const links = await api<{ items: ShareLinkDto[] }>("GET", `/api/v1/peers/${peer.id}/shares`);
        expect(links.items).toHaveLength(1);
        expect(links.items[0]).toMatchObject({ oneTime: viewport.oneTime, status: "active" });
        const expires = Date.parse(links.items[0]?.expiresAt ?? "");
        expect(expires).toBeGreaterThanOrEqual(before + viewport.hours * HOUR_MS - 1000);
        expect(expires).toBeLessThanOrEqual(Date.now() + viewport.hours * HOUR_MS);

        // A bad value is refused next to its field, and no link is made.
        await dialog.getByLabel("Works for (hours)").fill("0");
        await dialog.getByRole("button", { name: "Create link" }).click();
        await dialog.getByText("Enter a whole number from 1 to 8,760.").waitFor();
        expect(
          (await api<{ items: ShareLinkDto[] }>("GET", `/api/v1/peers/${peer.id}/shares`)).items,
        ).toHaveLength(1);
        expect(errors.take().filter((e) => !e.includes("status of 400"))).toEqual([]);
      });

      await withPage(viewport, false, async (page, errors) => {
        const opened = await page.goto(url);
        expect(opened?.status()).toBe(200);
        expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
        await page.getByRole("heading", { name: peer.name, level: 1 }).waitFor();
        if (viewport.oneTime) {
          await page.getByRole("link", { name: "Show the QR code" }).waitFor();
        } else {
          const qr = page.getByRole("img", { name: "QR code of the WireGuard config" });
          const box = await qr.boundingBox();
          expect(box?.width ?? 0).toBeGreaterThan(150);
        }
        if (!wide) expect(await overflowsHorizontally(page), "the share page scrolls sideways").toBe(false);
        await screenshot(page, `share-page-${viewport.label}`);
        const file = await downloadText(page);
        expect(file.name).toBe(`share_${viewport.label}.conf`);
        expect(file.text).toBe(config);
        expect(errors.take()).toEqual([]);

        if (viewport.oneTime) {
          const again = await page.goto(`${url}/config`);
          expect(again?.status()).toBe(410);
          await page.getByRole("heading", { name: "This link no longer works" }).waitFor();
          await page.getByText("It could be used once, and it has been used.").waitFor();
          await screenshot(page, `share-gone-${viewport.label}`);
          errors.take(); // the browser reports the 410 itself
        }
      });

      if (!viewport.oneTime) {
        await withPage(viewport, true, async (page, errors) => {
          await page.goto(`${dashboard.url}/peers/${peer.id}`);
          await page.getByTestId("share-peer").click();
          const dialog = page.getByRole("dialog");
          await dialog.getByTestId("revoke-share").click();
          await dialog.locator('tr[data-status="revoked"]').waitFor();
          await dialog.getByText("Revoked").waitFor();
          expect(errors.take()).toEqual([]);
        });
        await withPage(viewport, false, async (page) => {
          const gone = await page.goto(url);
          expect(gone?.status()).toBe(410);
          await page.getByText("It has been revoked.").waitFor();
        });
      }
    }, 180_000);
  }
});
