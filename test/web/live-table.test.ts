// The peer table stays live in a real Chromium against a real dashboard (stats sampled every second)
// whose local node runs wireguard-go in a test namespace. A client namespace brings up one peer's
// config; each ping through the tunnel moves that peer's counters on the interface, and the table's
// row must show the API's new rx/tx and handshake within a poll — with no column sorted (the default)
// and with every column sorted each way. Switching a peer off and on shows its status at once.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytesIn } from "../../packages/web/src/lib/bytes.js";
import { bringUpClient, createNamespace, type TestNamespace } from "../support/netns.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type ErrorWatch, launchChromium, screenshot, watchErrors } from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

/** The table polls every 5 s; a row must follow within that poll (plus the stats sample and slack). */
const ONE_POLL_MS = 9_000;
const COLUMNS = ["Name", "Node", "Addresses", "Status", "Handshake", "Received", "Sent", "Enabled"];

interface PeerAnswer {
  id: string;
  name: string;
  rx: number;
  tx: number;
  latestHandshake: string | null;
  enabled: boolean;
}

/** Starts the dashboard with a 1 s stats interval (the variable is read once, at its start). */
async function startFastStatsDashboard(): Promise<Dashboard> {
  const previous = process.env.WGFLEET_STATS_INTERVAL_SECONDS;
  process.env.WGFLEET_STATS_INTERVAL_SECONDS = "1";
  try {
    return await startDashboard("live-table");
  } finally {
    if (previous === undefined) delete process.env.WGFLEET_STATS_INTERVAL_SECONDS;
    else process.env.WGFLEET_STATS_INTERVAL_SECONDS = previous;
  }
}

describe.skipIf(skip)("live peer table (browser)", () => {
  let dashboard: Dashboard;
  let client: TestNamespace | undefined;
  let browser: Browser;
  let page: Page;
  let errors: ErrorWatch;
  let phone: PeerAnswer;
  let laptop: PeerAnswer;
  const configuration = uniqueName("wlt", 12);
  const interfaceName = uniqueName("wgl");

  const peerNow = (id: string) => dashboard.admin.request<PeerAnswer>("GET", `/api/v1/peers/${id}`);
  const rowOf = (name: string): Locator =>
    page.getByTestId("peer-row").filter({ has: page.getByRole("link", { name, exact: true }) });
  /** The row's cell under the header that reads `column` (admins have a checkbox column first). */
  async function cell(row: Locator, column: string): Promise<Locator> {
    const headers = await page.getByRole("columnheader").allTextContents();
    return row.getByRole("cell").nth(headers.findIndex((text) => text.trim().startsWith(column)));
  }

  /** Pings through the tunnel until the API's rx for the phone grew past `than`. */
  async function moveCounters(than: number): Promise<PeerAnswer> {
    const tunnel = client as TestNamespace;
    for (let attempt = 0; attempt < 10; attempt++) {
      await tunnel.exec(
        "ping",
        ["-n", "-q", "-c", "2", "-i", "0.2", "-s", "600", "-w", "5", "198.51.100.1"],
        {
          timeoutMs: 10_000,
        },
      );
      for (let wait = 0; wait < 10; wait++) {
        const now = await peerNow(phone.id);
        if (now.rx > than) return now;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    throw new Error("the phone's counters did not move through the tunnel");
  }

  /** The row shows what the API has now: rx, tx and the handshake time. */
  async function rowMatchesApi(): Promise<boolean> {
    const api = await peerNow(phone.id);
    const row = rowOf("phone");
    const [rx, tx, handshake] = await Promise.all([
      (await cell(row, "Received")).textContent(),
      (await cell(row, "Sent")).textContent(),
      (await cell(row, "Handshake")).getAttribute("title"),
    ]);
    return (
      rx === formatBytesIn("en-US", api.rx) &&
      tx === formatBytesIn("en-US", api.tx) &&
      handshake === (api.latestHandshake ?? "never")
    );
  }

  async function sortState(): Promise<string> {
    for (const column of COLUMNS) {
      const state = await page.getByRole("columnheader", { name: column }).getAttribute("aria-sort");
      if (state && state !== "none") return `${column} ${state}`;
    }
    return "none";
  }

  /** Whether a header was clicked yet: before that the rows are in the API's order (shown as by name). */
  let sortedInBrowser = false;
  const sortLabel = async () => (sortedInBrowser ? await sortState() : "none (the API's order)");

  async function expectRowFollowsTraffic(): Promise<void> {
    const shown = await (await cell(rowOf("phone"), "Received")).textContent();
    const before = await peerNow(phone.id);
    const moved = await moveCounters(before.rx);
    expect(formatBytesIn("en-US", moved.rx), "the traffic changes what the row should show").not.toBe(shown);
    await expect
      .poll(rowMatchesApi, {
        timeout: ONE_POLL_MS,
        interval: 250,
        message: `row stale (sort: ${await sortLabel()})`,
      })
      .toBe(true);
  }

  /** Switches the laptop off and on; its status follows each answer before any poll. */
  async function expectToggleShowsAtOnce(): Promise<void> {
    const row = rowOf("laptop");
    const toggle = row.getByRole("checkbox", { name: "laptop enabled" });
    const status = row.getByTestId("status");
    for (const [action, enabled] of [
      ["disable", false],
      ["enable", true],
    ] as const) {
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/peers/${laptop.id}/${action}`));
      await toggle.click();
      expect((await answered).ok()).toBe(true);
      // Well inside the 5 s poll: the row shows the peer the answer returned, not a later poll's.
      await expect
        .poll(async () => [await status.textContent(), await toggle.isChecked()], {
          timeout: 1_500,
          interval: 100,
        })
        .toEqual([enabled ? "offline" : "disabled", enabled]);
    }
  }

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
    const create = (name: string) =>
      dashboard.admin.request<PeerAnswer>("POST", `/api/v1/configurations/${configuration}/peers`, {
        name,
        node: "local",
      });
    phone = await create("phone");
    laptop = await create("laptop");
    await create("tablet");
    const config = await dashboard.admin.request<string>("GET", `/api/v1/peers/${phone.id}/config`);
    client = await createNamespace("wltc");
    await bringUpClient(client, config, uniqueName("wltc"));
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

  it("shows new counters within a poll and a toggle at once, unsorted and in every sort state", async () => {
    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.goto(`${dashboard.url}/configurations/${configuration}`);
    await rowOf("tablet").waitFor();

    // The default: no column sorted, the API's order (by name, which the Name header shows).
    expect(await sortState()).toBe("Name ascending");
    await expectRowFollowsTraffic();
    await expectToggleShowsAtOnce();

    const seen = new Set<string>();
    for (const column of COLUMNS) {
      const header = page.getByRole("columnheader", { name: column }).getByRole("button");
      for (let click = 0; click < 2; click++) {
        await header.click();
        sortedInBrowser = true;
        const state = await sortState();
        expect(state.startsWith(column)).toBe(true);
        seen.add(state);
        await expectRowFollowsTraffic();
        if (column === "Status" || column === "Enabled") await expectToggleShowsAtOnce();
      }
    }
    expect(seen.size).toBe(COLUMNS.length * 2);
    await screenshot(page, "live-table");
    expect(errors.take(), "console errors on the configuration page").toEqual([]);
  }, 300_000);
});
