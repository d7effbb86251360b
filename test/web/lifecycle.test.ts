// A peer's lifecycle rules in a real Chromium against a real dashboard (local node in a test namespace),
// at 1280 px and at 390 px: every quota and schedule field of Add peer is filled and saved and read back
// through the API; Edit peer changes the quota and puts the schedule back to the configuration's default
// (the API then holds null); the peer page shows its Rules card and an empty History. A peer past its
// expiry gets the node's suspension, which the peer table shows as a badge and its "suspended" filter
// finds; the overview's Attention card lists a peer expiring in 3 days. The configuration dialog sets
// the default schedule a peer then follows, and a window without days is refused next to its days. No
// page scrolls sideways on the phone; any console error fails.
import type { PeerDto, PeerLifecycleDto } from "@wgfleet/core";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  screenshot,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 900 },
  { label: "phone", width: 390, height: 844 },
] as const;
const GiB = 1024 ** 3;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const ZONE = "Europe/Berlin";

/** Today's weekday in `zone` (0 = Sunday), as the node evaluates windows. */
function weekdayIn(zone: string, at = new Date()): number {
  const name = new Intl.DateTimeFormat("en-US", { weekday: "long", timeZone: zone }).format(at);
  return WEEKDAYS.indexOf(name);
}

describe.skipIf(skip)("peer lifecycle rules (browser)", () => {
  let dashboard: Dashboard;
  let browser: Browser;
  const configuration = uniqueName("lc", 12);
  const peersPath = `/api/v1/configurations/${configuration}/peers`;

  const api = <T = unknown>(method: string, path: string, body?: unknown) =>
    dashboard.admin.request<T>(method, path, body);
  async function peerNamed(name: string): Promise<PeerDto | undefined> {
    const page = await api<{ items: PeerDto[] }>("GET", `${peersPath}?search=${encodeURIComponent(name)}`);
    return page.items.find((p) => p.name === name);
  }

  beforeAll(async () => {
    // Health rounds every second: the node's suspension reaches the API within seconds.
    dashboard = await startDashboard("lifecycle", { env: { WGFLEET_HEALTH_INTERVAL_MS: "1000" } });
    await api("POST", "/api/v1/configurations", { name: configuration, timeZone: "UTC" });
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

  /** A signed-in admin's page at the viewport; `run` gets it and its console watch, then it closes. */
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

  async function noOverflow(page: Page, where: string, wide: boolean): Promise<void> {
    if (!wide) expect(await overflowsHorizontally(page), `${where} scrolls sideways`).toBe(false);
  }

  /** Ticks exactly `days` among a window's seven weekday boxes. */
  async function setDays(window: Locator, days: number[]): Promise<void> {
    for (const [day, name] of WEEKDAYS.entries()) {
      await window.getByRole("checkbox", { name, exact: true }).setChecked(days.includes(day));
    }
  }

  for (const viewport of VIEWPORTS) {
    const wide = viewport.width > 640;
    it(`${viewport.label}: fills every quota and schedule field, reads them back, edits them, shows the rules`, async () => {
      const name = `lc ${viewport.label} ${uniqueName("", 6)}`;
      // The second window covers today and tomorrow in the zone all day: the peer stays on while the
      // test looks at it, so its history stays empty.
      const today = weekdayIn(ZONE);
      const coverDays = [today, (today + 1) % 7].sort((a, b) => a - b);
      const expectedQuota = wide
        ? {
            bytes: 1.5 * GiB,
            period: "monthly",
            resetDay: 15,
            counting: "rx",
            action: "disable",
            warnAtPercent: 80,
          }
        : {
            bytes: 512 * 1024 ** 2,
            period: "weekly",
            resetDay: 3,
            counting: "tx",
            action: "suspend",
            warnAtPercent: 90,
          };

      await withPage(viewport, async (page, errors) => {
        await page.goto(`${dashboard.url}/configurations/${configuration}`);
        await page.getByTestId("add-peer").click();
        const dialog = page.getByRole("dialog", { name: "Add peer" });
        await dialog.getByLabel(/^Name/).fill(name);
        await dialog.getByTestId("node-select").selectOption("local");
        await dialog.getByText("Advanced", { exact: true }).click();

        // Quota: every field.
        const quota = dialog.getByTestId("quota-fields");
        await quota.getByLabel(/^Budget/).fill(wide ? "1.5" : "512");
        await quota.getByLabel("Unit").selectOption(wide ? "GiB" : "MiB");
        await quota.getByLabel(/^Period/).selectOption(expectedQuota.period);
        if (wide) await quota.getByLabel(/^Starts on day/).fill("15");
        else await quota.getByLabel("Starts on", { exact: true }).selectOption("3");
        await quota.getByLabel(/^Counts/).selectOption(expectedQuota.counting);
        await quota.getByLabel(/^When used up/).selectOption(expectedQuota.action);
        await quota.getByLabel(/^Warn at %/).fill(String(expectedQuota.warnAtPercent));

        // Schedule: custom, two windows, a time zone.
        const schedule = dialog.getByTestId("schedule-schedule");
        await schedule.getByRole("radio", { name: "Custom" }).check();
        const first = schedule.getByTestId("schedule-window").nth(0);
        await setDays(first, [1, 2, 3, 4, 5]);
        await first.getByLabel("From").fill("07:30");
        await first.getByLabel("To").fill("00:00");
        await schedule.getByTestId("add-window").click();
        const second = schedule.getByTestId("schedule-window").nth(1);
        await setDays(second, coverDays);
        await second.getByLabel("From").fill("00:00");
        await second.getByLabel("To").fill("00:00");
        await schedule.getByLabel("Time zone").selectOption(ZONE);
        await noOverflow(page, "Add peer with the rules filled", wide);
        await screenshot(page, `lifecycle-add-peer-${viewport.label}`);
        await dialog.getByRole("button", { name: "Create peer" }).click();
        await dialog.waitFor({ state: "hidden", timeout: 15_000 });

        const created = await peerNamed(name);
        expect(created, "the peer exists").toBeDefined();
        const peer = created as PeerDto;
        expect(peer.schedule).toEqual({
          timeZone: ZONE,
          windows: [
            { days: [1, 2, 3, 4, 5], from: "07:30", to: "24:00" },
            { days: coverDays, from: "00:00", to: "24:00" },
          ],
        });
        expect(peer.quota).toEqual(expectedQuota);

        // The peer page: the Rules card and an empty History.
        await page.goto(`${dashboard.url}/peers/${peer.id}`);
        const rules = page.getByTestId("rules-card");
        await rules.waitFor();
        expect(await rules.getByTestId("rules-schedule").textContent()).toContain(ZONE);
        expect(await rules.getByTestId("rules-schedule").textContent()).toContain("the peer's own");
        expect(await rules.getByTestId("rules-quota").textContent()).toContain(wide ? "1.50 GiB" : "512 MiB");
        await rules.getByRole("meter", { name: "Quota used" }).waitFor();
        expect(await rules.getByTestId("rules-suspension").textContent()).toContain("no");
        await page.getByTestId("history-empty").waitFor();
        await noOverflow(page, "the peer page", wide);
        await screenshot(page, `lifecycle-peer-page-${viewport.label}`);

        // Edit: a new budget, and the configuration's default schedule again.
        await page.getByTestId("edit-peer").click();
        const edit = page.getByRole("dialog");
        await edit.getByTestId("quota-fields").waitFor();
        expect(await edit.getByLabel(/^Budget/).inputValue()).toBe(wide ? "1.5" : "512");
        expect(await edit.getByLabel(/^Warn at %/).inputValue()).toBe(String(expectedQuota.warnAtPercent));
        expect(await edit.getByTestId("schedule-window").count()).toBe(2);
        await edit.getByLabel(/^Budget/).fill("2");
        await edit.getByLabel("Unit").selectOption("GiB");
        await edit.getByRole("radio", { name: "Configuration default" }).check();
        await noOverflow(page, "Edit peer", wide);
        await edit.getByRole("button", { name: "Save" }).click();
        await edit.waitFor({ state: "hidden", timeout: 15_000 });

        const edited = (await peerNamed(name)) as PeerDto;
        expect(edited.quota).toEqual({ ...expectedQuota, bytes: 2 * GiB });
        expect(edited.schedule).toBeNull();
        const lifecycle = await api<PeerLifecycleDto>("GET", `/api/v1/peers/${peer.id}/lifecycle`);
        expect(lifecycle.scheduleFrom).toBeNull();
        await expect.poll(() => rules.getByTestId("rules-schedule").textContent()).toContain("always on");
        await expect.poll(() => rules.getByTestId("rules-quota").textContent()).toContain("2.00 GiB");
        expect(errors.take(), "console errors").toEqual([]);
      });
    });
  }

  it("shows the node's suspension as a badge the suspended filter finds, and on the peer page", async () => {
    const name = `lc expired ${uniqueName("", 6)}`;
    const peer = await api<PeerDto>("POST", peersPath, {
      name,
      node: "local",
      expiresAt: new Date(Date.now() + 2_000).toISOString(),
    });
    await expect
      .poll(async () => (await api<PeerDto>("GET", `/api/v1/peers/${peer.id}`)).suspension?.reason, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe("expired");

    for (const viewport of VIEWPORTS) {
      await withPage(viewport, async (page, errors) => {
        await page.goto(`${dashboard.url}/configurations/${configuration}`);
        const row = page
          .getByTestId("peer-row")
          .filter({ has: page.getByTestId("peer-link").getByText(name, { exact: true }) });
        await row.getByTestId("suspension-badge").waitFor();
        expect((await row.getByTestId("suspension-badge").textContent())?.trim()).toBe("suspended: expired");
        await page.getByTestId("peer-status-filter").selectOption("suspended");
        await row.waitFor();
        // Every peer the filter shows has the badge.
        const rows = page.getByTestId("peer-row");
        const shown = await rows.count();
        expect(shown).toBeGreaterThan(0);
        expect(await page.getByTestId("peer-row").getByTestId("suspension-badge").count()).toBe(shown);
        await noOverflow(page, "the peer table with a badge", viewport.width > 640);
        await screenshot(page, `lifecycle-badge-${viewport.label}`);

        await page.goto(`${dashboard.url}/peers/${peer.id}`);
        const suspension = page.getByTestId("rules-suspension");
        await expect.poll(() => suspension.textContent()).toContain("expired since");
        // The suspension's own event is in the history.
        await page.getByTestId("history-event").filter({ hasText: "suspended" }).first().waitFor();
        expect(errors.take(), "console errors").toEqual([]);
      });
    }
  });

  it("lists a peer expiring in 3 days on the overview's Attention card, linking to its page", async () => {
    const name = `lc soon ${uniqueName("", 6)}`;
    const peer = await api<PeerDto>("POST", peersPath, {
      name,
      node: "local",
      expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    for (const viewport of VIEWPORTS) {
      await withPage(viewport, async (page, errors) => {
        const card = page.getByTestId("attention-card");
        const expiring = card.getByTestId("attention-expiring");
        const link = expiring.getByRole("link", { name, exact: true });
        await link.waitFor();
        // Nothing has moved traffic, so no peer is near its quota.
        await card.getByTestId("attention-quota").getByTestId("attention-empty").waitFor();
        await noOverflow(page, "the overview", viewport.width > 640);
        await screenshot(page, `lifecycle-attention-${viewport.label}`);
        await link.click();
        await page.waitForURL(`**/peers/${peer.id}`);
        await page.getByTestId("rules-card").waitFor();
        expect(errors.take(), "console errors").toEqual([]);
      });
    }
  });

  it("sets the configuration's default schedule, which a peer without its own then follows; a window without days is refused there", async () => {
    const name = `lc follows ${uniqueName("", 6)}`;
    const peer = await api<PeerDto>("POST", peersPath, { name, node: "local" });
    const today = weekdayIn("UTC");
    const coverDays = [today, (today + 1) % 7].sort((a, b) => a - b);
    await withPage(VIEWPORTS[0], async (page, errors) => {
      await page.goto(`${dashboard.url}/configurations/${configuration}`);
      await page.getByTestId("edit-configuration").click();
      const dialog = page.getByRole("dialog", { name: `Edit ${configuration}` });
      const schedule = dialog.getByTestId("schedule-defaultSchedule");
      // A configuration's default has no "configuration default" of its own.
      expect(await schedule.getByRole("radio").count()).toBe(2);
      await schedule.getByRole("radio", { name: "Custom" }).check();
      const window = schedule.getByTestId("schedule-window").first();
      await setDays(window, []);
      await dialog.getByRole("button", { name: "Save" }).click();
      const days = window.getByRole("group", { name: "Days" });
      const alert = window.getByRole("alert");
      await alert.waitFor();
      expect((await alert.textContent())?.trim()).toBe("Enter at least one entry.");
      expect(await days.getAttribute("aria-invalid")).toBe("true");
      expect(await dialog.locator("[role=alert]").count()).toBe(1);
      expect(
        (await api<{ defaultSchedule: unknown }>("GET", `/api/v1/configurations/${configuration}`))
          .defaultSchedule,
      ).toBeNull();
      errors.take(); // the refused request (400)

      // Today and tomorrow all day (UTC): the peers that follow it stay on.
      await setDays(window, coverDays);
      await window.getByLabel("From").fill("00:00");
      await window.getByLabel("To").fill("00:00");
      await schedule.getByLabel("Time zone").selectOption("UTC");
      await dialog.getByRole("button", { name: "Save" }).click();
      await dialog.waitFor({ state: "hidden", timeout: 15_000 });
      const saved = await api<{ defaultSchedule: unknown }>("GET", `/api/v1/configurations/${configuration}`);
      expect(saved.defaultSchedule).toEqual({
        timeZone: "UTC",
        windows: [{ days: coverDays, from: "00:00", to: "24:00" }],
      });

      await page.goto(`${dashboard.url}/peers/${peer.id}`);
      const rules = page.getByTestId("rules-schedule");
      await expect.poll(() => rules.textContent()).toContain("the configuration's default");
      expect(errors.take(), "console errors").toEqual([]);
    });
  });
});
