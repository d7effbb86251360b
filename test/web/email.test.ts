// E-mail in a real Chromium against a real dashboard (local node in a test namespace) and a real SMTP
// server on loopback, at 1280 px and at 390 px: every field of Settings › E-mail filled, saved and read
// back through the API (the password only as "passwordSet"), a test mail sent from the page arriving;
// a peer's contact e-mail set in the Edit peer dialog; the peer's Email dialog (to, link lifetime)
// mailing a share link that the API lists. No page scrolls sideways on the phone; any console error
// fails.
import type { PeerDto, ShareLinkDto } from "@wgfleet/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import {
  launchChromium,
  overflowsHorizontally,
  screenshot,
  unlabelledControls,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);
const HOUR_MS = 3_600_000;

interface ApiEmailSettings {
  enabled: boolean;
  host: string;
  port: number;
  security: string;
  user: string | null;
  passwordSet: boolean;
  from: string;
}

describe.skipIf(skip)("e-mail (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  let sink: SmtpSink;
  const configuration = uniqueName("em", 12);

  const api = <T = unknown>(method: string, path: string, body?: unknown) =>
    dashboard.admin.request<T>(method, path, body);

  beforeAll(async () => {
    sink = await startSmtpSink();
    dashboard = await startDashboard("email");
    await api("POST", "/api/v1/configurations", { name: configuration });
    await api("POST", `/api/v1/configurations/${configuration}/interfaces`, {
      nodeId: "local",
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      pool: "198.51.100.0/24",
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (dashboard) {
      await api("DELETE", `/api/v1/configurations/${configuration}?force=true`).catch(() => {});
      await dashboard.stop();
    }
    await sink?.close();
  }, 60_000);

  async function signedIn(width: number, run: (page: Page) => Promise<void>): Promise<void> {
    const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
    try {
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${dashboard.url}/sign-in`);
      await page.getByLabel(/^Username/).fill(ADMIN_USER);
      await page.getByLabel(/^Password/).fill(dashboard.adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      errors.take(); // the session probe before signing in
      await run(page);
      expect(errors.take()).toEqual([]);
    } finally {
      await context.close().catch(() => {});
    }
  }

  for (const width of [1280, 390]) {
    it(`saves every e-mail setting, sends a test mail, sets a contact and mails a peer's link at ${width} px`, async () => {
      const user = `mailer-${width}`;
      const password = `pw-${width}-${uniqueName("x", 8)}`;
      sink.requireAuth = { user, pass: password };
      await signedIn(width, async (page) => {
        await page.goto(`${dashboard.url}/settings`);
        const section = page.getByTestId("email-section");
        await section.getByRole("heading", { name: "E-mail" }).waitFor();
        await section.getByLabel("Send e-mail").setChecked(true);
        await section.getByLabel(/^SMTP server/).fill(sink.host);
        await section.getByLabel(/^Port/).fill(String(sink.port));
        await section.getByLabel(/^Connection security/).selectOption("none");
        await section.getByLabel(/^Sender address/).fill(`fleet-${width}@example.org`);
        await section.getByLabel(/^User name/).fill(user);
        await section.getByLabel(/^Password/).fill(password);
        await section.getByRole("button", { name: "Save e-mail settings" }).click();
        await expect
          .poll(async () => (await api<ApiEmailSettings>("GET", "/api/v1/settings/email")).user)
          .toBe(user);
        expect(await api<ApiEmailSettings>("GET", "/api/v1/settings/email")).toMatchObject({
          enabled: true,
          host: sink.host,
          port: sink.port,
          security: "none",
          user,
          passwordSet: true,
          from: `fleet-${width}@example.org`,
        });
        expect(await unlabelledControls(page)).toEqual([]);
        if (width < 640) expect(await overflowsHorizontally(page), "Settings scrolls sideways").toBe(false);

        const testTo = `admin-${width}@example.org`;
        await section.getByLabel(/^Send a test mail to/).fill(testTo);
        await section.getByRole("button", { name: "Send test mail" }).click();
        await section.getByTestId("email-test-result").waitFor();
        expect(sink.received.at(-1)).toMatchObject({ to: [testTo], subject: "wgfleet: test mail" });
        await screenshot(page, `email-settings-${width}`);
      });

      const peer = await api<PeerDto>("POST", `/api/v1/configurations/${configuration}/peers`, {
        name: `mail ${width}`,
      });
      await signedIn(width, async (page) => {
        await page.goto(`${dashboard.url}/peers/${peer.id}`);
        await page.getByTestId("edit-peer").click();
        const edit = page.getByRole("dialog");
        const contact = `owner-${width}@example.org`;
        await edit.getByLabel(/^Contact e-mail/).fill(contact);
        await edit.getByRole("button", { name: "Save" }).click();
        await expect
          .poll(async () => (await api<PeerDto>("GET", `/api/v1/peers/${peer.id}`)).contactEmail)
          .toBe(contact);
        await page.getByTestId("peer-contact-email").getByText(contact).waitFor();

        await page.getByTestId("email-peer").click();
        const dialog = page.getByRole("dialog");
        expect(await dialog.getByLabel(/^To/).inputValue()).toBe(contact);
        const to = `friend-${width}@example.org`;
        await dialog.getByLabel(/^To/).fill(to);
        await dialog.getByLabel(/^Link works for \(hours\)/).fill("5");
        expect(await unlabelledControls(page)).toEqual([]);
        const before = Date.now();
        await dialog.getByRole("button", { name: "Send" }).click();
        await dialog.getByTestId("email-sent").waitFor();
        if (width < 640)
          expect(await overflowsHorizontally(page), "the Email dialog scrolls sideways").toBe(false);
        await screenshot(page, `email-peer-${width}`);
        const mail = sink.received.at(-1);
        expect(mail?.to).toEqual([to]);
        expect(mail?.text).toMatch(new RegExp(`${dashboard.url}/s/[A-Za-z0-9_-]{43}`));
        expect(mail?.raw).not.toContain("PrivateKey");
        const links = await api<{ items: ShareLinkDto[] }>("GET", `/api/v1/peers/${peer.id}/shares`);
        expect(links.items).toHaveLength(1);
        const expires = Date.parse(links.items[0]?.expiresAt ?? "");
        expect(expires).toBeGreaterThanOrEqual(before + 5 * HOUR_MS - 1000);
        expect(expires).toBeLessThanOrEqual(Date.now() + 5 * HOUR_MS);
      });
    }, 120_000);
  }
});
