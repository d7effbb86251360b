// The traffic charts in a real Chromium against a real dashboard (stats polled every second) whose
// local node runs wireguard-go in a test namespace: a client namespace brings up one peer's downloaded
// config and pings through the tunnel, so the dashboard's own poller stores real traffic history. Then
// the Overview (fleet), the configuration, the local node and the peer each draw a chart (the canvas
// holds the series' colors above the zero line) whose text summary gives exactly the totals of the
// answer the page got; switching ranges asks the API again and draws again; a peer without traffic
// shows the empty state and "never" for handshakes; at 390 px in the dark theme nothing scrolls
// sideways, and switching the system theme redraws in the other theme's colors. No console error.
// Screenshots under test-output/screenshots/charts/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytesIn } from "../../packages/web/src/lib/bytes.js";
import { bringUpClient, createNamespace, ping, type TestNamespace } from "../support/netns.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  type ErrorWatch,
  launchChromium,
  overflowsHorizontally,
  SCREENSHOT_DIR,
  watchErrors,
} from "./support/browser.js";
import { ADMIN_USER, type Dashboard, startDashboard, uniqueName } from "./support/dashboard.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]);

interface HistoryAnswer {
  history?: {
    from: string;
    to: string;
    stepSeconds: number;
    points: { at: string; rxBytes: number; txBytes: number }[];
    handshakes?: string[];
  };
}

const RANGE_MS = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
} as const;
type Range = keyof typeof RANGE_MS;

/** Starts the dashboard with a 1 s stats interval (the variable is read once, at its start). */
async function startFastStatsDashboard(): Promise<Dashboard> {
  const previous = process.env.WGFLEET_STATS_INTERVAL_SECONDS;
  process.env.WGFLEET_STATS_INTERVAL_SECONDS = "1";
  try {
    return await startDashboard("traffic-charts");
  } finally {
    if (previous === undefined) delete process.env.WGFLEET_STATS_INTERVAL_SECONDS;
    else process.env.WGFLEET_STATS_INTERVAL_SECONDS = previous;
  }
}

/** Polls until `check` holds (expect.poll works only inside a test, not in beforeAll). */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function sums(answer: HistoryAnswer): { rx: number; tx: number } {
  const points = answer.history?.points ?? [];
  return {
    rx: points.reduce((sum, p) => sum + p.rxBytes, 0),
    tx: points.reduce((sum, p) => sum + p.txBytes, 0),
  };
}

// Runs in the page (the repository's type check has no DOM library): how many pixels in the upper half
// of the chart's canvas have one of the series' colors as the theme shows them now, or as given. The
// zero line lies in the lower half, so only real traffic draws there.
function seriesPixelsScript(colors?: string[]): string {
  return `(() => {
    const host = document.querySelector('[data-testid="traffic-plot"]');
    const canvas = host && host.querySelector("canvas");
    if (!host || !canvas) return { count: -1, colors: [] };
    const probe = document.createElement("span");
    host.append(probe);
    const colors = ${JSON.stringify(colors ?? null)} ?? ["--accent", "--ok"].map((v) => {
      probe.style.color = "var(" + v + ")";
      return getComputedStyle(probe).color;
    });
    probe.remove();
    const rgbs = colors.map((c) => c.match(/\\d+/g).slice(0, 3).map(Number));
    const image = canvas.getContext("2d").getImageData(0, 0, canvas.width, Math.floor(canvas.height / 2)).data;
    let count = 0;
    for (let i = 0; i < image.length; i += 4) {
      if (image[i + 3] < 200) continue;
      if (rgbs.some(([r, g, b]) => Math.abs(image[i] - r) < 24 && Math.abs(image[i + 1] - g) < 24 && Math.abs(image[i + 2] - b) < 24)) count++;
    }
    return { count, colors };
  })()`;
}

async function seriesPixels(page: Page, colors?: string[]): Promise<{ count: number; colors: string[] }> {
  return page.evaluate<{ count: number; colors: string[] }>(seriesPixelsScript(colors));
}

/** Keeps the last history answer (200) the page got for each scope. */
function watchHistory(page: Page): Map<string, HistoryAnswer> {
  const answers = new Map<string, HistoryAnswer>();
  page.on("response", (response: Response) => {
    const url = new URL(response.url());
    const scope = url.searchParams.get("scope");
    if (url.pathname !== "/api/v1/stats/traffic" || !scope || response.status() !== 200) return;
    void response
      .json()
      .then((body: HistoryAnswer) => answers.set(scope, body))
      .catch(() => {});
  });
  return answers;
}

function isHistoryOf(scope: string, range?: Range): (response: Response) => boolean {
  return (response) => {
    const url = new URL(response.url());
    if (url.pathname !== "/api/v1/stats/traffic" || url.searchParams.get("scope") !== scope) return false;
    if (!range) return true;
    const span =
      Date.parse(url.searchParams.get("to") ?? "") - Date.parse(url.searchParams.get("from") ?? "");
    return span === RANGE_MS[range];
  };
}

describe.skipIf(skip)("traffic charts (browser)", () => {
  let dashboard: Dashboard;
  let client: TestNamespace | undefined;
  let browser: Browser;
  const configuration = uniqueName("wch", 12);
  const interfaceName = uniqueName("wgc");
  let peerId = "";
  let freshPeerId = "";

  /** Each page with a chart: its path and the scope its chart asks for. */
  const pages = () => [
    { name: "overview", path: "/", scope: "fleet" },
    { name: "configuration", path: `/configurations/${configuration}`, scope: "configuration" },
    { name: "node", path: "/nodes/local", scope: "node" },
    { name: "peer", path: `/peers/${peerId}`, scope: "peer" },
  ];

  beforeAll(async () => {
    dashboard = await startFastStatsDashboard();
    const server = dashboard.namespace as TestNamespace;
    const listenPort = 20_000 + Math.floor(Math.random() * 40_000);
    await dashboard.admin.request("POST", "/api/v1/configurations", { name: configuration });
    await dashboard.admin.request("POST", `/api/v1/configurations/${configuration}/interfaces`, {
      nodeId: "local",
      listenPort,
      pool: "203.0.113.0/24",
      interfaceName,
      endpoint: `${server.nsAddress}:${listenPort}`,
    });
    const create = (name: string) =>
      dashboard.admin.request<{ id: string }>("POST", `/api/v1/configurations/${configuration}/peers`, {
        name,
        node: "local",
      });
    peerId = (await create("phone")).id;
    freshPeerId = (await create("fresh")).id;
    const config = await dashboard.admin.request<string>("GET", `/api/v1/peers/${peerId}/config`);
    client = await createNamespace("wchc");
    await bringUpClient(client, config, uniqueName("wchc"));
    expect(await ping(client, "203.0.113.1", { count: 5, timeoutSec: 10 })).toBe(true);
    // The dashboard's own poller (every second) stores the bytes: wait until every scope's history has them.
    for (const [scope, id] of [
      ["peer", peerId],
      ["configuration", configuration],
      ["node", "local"],
      ["fleet", null],
    ] as const) {
      const query = `scope=${scope}${id ? `&id=${encodeURIComponent(id)}` : ""}`;
      await waitUntil(
        async () =>
          sums(await dashboard.admin.request<HistoryAnswer>("GET", `/api/v1/stats/traffic?${query}`)).rx > 0,
        `${scope} history with traffic`,
      );
    }
    browser = await launchChromium();
  }, 180_000);

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

  async function signedIn(options: { width: number; height: number; colorScheme: "light" | "dark" }) {
    const context: BrowserContext = await browser.newContext({
      viewport: { width: options.width, height: options.height },
      colorScheme: options.colorScheme,
    });
    const page = await context.newPage();
    const errors: ErrorWatch = watchErrors(page);
    const answers = watchHistory(page);
    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByLabel("Username").fill(ADMIN_USER);
    await page.getByLabel("Password").fill(dashboard.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    return { context, page, errors, answers };
  }

  /** The chart shows `range` drawn, and its summary gives the totals of the page's latest answer. */
  async function expectDrawn(page: Page, answers: Map<string, HistoryAnswer>, scope: string, range: Range) {
    const chart = page.getByTestId("traffic-chart");
    await expect.poll(() => chart.getAttribute("data-range"), { timeout: 15_000 }).toBe(range);
    await expect.poll(() => chart.getAttribute("data-state"), { timeout: 15_000 }).toBe("ready");
    await expect
      .poll(
        async () => {
          const answer = answers.get(scope);
          if (!answer) return "no answer yet";
          const { rx, tx } = sums(answer);
          const shown = `${await chart.getByTestId("traffic-total-rx").textContent()} / ${await chart.getByTestId("traffic-total-tx").textContent()}`;
          return shown === `${formatBytesIn("en", rx)} / ${formatBytesIn("en", tx)}` && rx > 0
            ? "match"
            : shown;
        },
        { timeout: 15_000 },
      )
      .toBe("match");
    await expect.poll(async () => (await seriesPixels(page)).count, { timeout: 10_000 }).toBeGreaterThan(0);
  }

  it("draws each page's chart with the totals of the answer it got (light, desktop)", async () => {
    const { context, page, errors, answers } = await signedIn({
      width: 1280,
      height: 900,
      colorScheme: "light",
    });
    try {
      for (const { name, path, scope } of pages()) {
        await page.goto(`${dashboard.url}${path}`);
        await expectDrawn(page, answers, scope, "day");
        expect(await page.getByTestId("traffic-plot").getAttribute("aria-label")).toMatch(
          /Last 24 hours: .+ received, .+ sent\./,
        );
        if (scope === "peer") {
          const handshakes = answers.get("peer")?.history?.handshakes ?? [];
          expect(handshakes.length).toBeGreaterThan(0);
          expect(await page.getByTestId("handshake-timeline").getAttribute("data-count")).toBe(
            String(handshakes.length),
          );
          expect(await page.getByTestId("handshake-summary").textContent()).toMatch(
            /handshakes? in this range/,
          );
        } else {
          expect(await page.getByTestId("handshake-timeline").count()).toBe(0);
        }
        // The legend is the tooltip: over the chart it names the bucket's time and both rates.
        const plot = page.getByTestId("traffic-plot");
        const area = await plot.locator(".u-over").boundingBox();
        if (!area) throw new Error("no plot area");
        await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
        await expect
          .poll(() => plot.locator(".u-legend .u-value").allTextContents())
          .toEqual([
            expect.stringMatching(/\d{4}/),
            expect.stringMatching(/ B\/s$/),
            expect.stringMatching(/ B\/s$/),
          ]);
        await page.mouse.move(0, 0);
        await page.getByTestId("traffic-chart").screenshot({ path: chartShotPath(`${name}-desktop-light`) });
      }
      expect(errors.take(), "console errors").toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("asks again and draws again when the range changes", async () => {
    const { context, page, errors, answers } = await signedIn({
      width: 1280,
      height: 900,
      colorScheme: "light",
    });
    try {
      await page.goto(`${dashboard.url}/peers/${peerId}`);
      await expectDrawn(page, answers, "peer", "day");
      for (const range of ["hour", "week", "month", "year", "day"] as const) {
        const asked = page.waitForResponse(isHistoryOf("peer", range));
        const button = page.getByTestId("traffic-chart").locator(`button[data-range="${range}"]`);
        await button.click();
        const answer = (await (await asked).json()) as HistoryAnswer;
        // The answer covers the window asked (widened, at most, to whole steps at its ends).
        const from = Date.parse(answer.history?.from ?? "");
        const to = Date.parse(answer.history?.to ?? "");
        const stepMs = (answer.history?.stepSeconds ?? 0) * 1000;
        expect(to - from).toBeGreaterThanOrEqual(RANGE_MS[range]);
        expect(to - from).toBeLessThanOrEqual(RANGE_MS[range] + 2 * stepMs);
        expect(await button.getAttribute("aria-pressed")).toBe("true");
        await expectDrawn(page, answers, "peer", range);
      }
      await page.getByTestId("traffic-chart").screenshot({ path: chartShotPath("peer-ranges-day") });
      expect(errors.take(), "console errors").toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows the empty state and 'never' for a peer that moved nothing", async () => {
    const { context, page, errors } = await signedIn({ width: 1280, height: 900, colorScheme: "light" });
    try {
      const asked = page.waitForResponse(isHistoryOf("peer"));
      await page.goto(`${dashboard.url}/peers/${freshPeerId}`);
      const answer = (await (await asked).json()) as HistoryAnswer;
      expect(answer.history?.points).toEqual([]);
      const chart = page.getByTestId("traffic-chart");
      await expect.poll(() => chart.getAttribute("data-state"), { timeout: 15_000 }).toBe("empty");
      expect(await chart.getByTestId("traffic-empty").textContent()).toBe("No traffic in this range");
      expect(await chart.getByTestId("traffic-plot").isVisible()).toBe(false);
      expect(await chart.getByTestId("traffic-total-rx").textContent()).toBe("0 B");
      expect(await chart.getByTestId("handshake-summary").textContent()).toBe(
        "Never: no handshake in this range",
      );
      // Another range is empty too, and says so again once its answer is in.
      const week = page.waitForResponse(isHistoryOf("peer", "week"));
      await chart.locator('button[data-range="week"]').click();
      await week;
      await expect.poll(() => chart.getAttribute("data-range")).toBe("week");
      expect(await chart.getAttribute("data-state")).toBe("empty");
      await chart.screenshot({ path: chartShotPath("peer-empty") });
      expect(errors.take(), "console errors").toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("fits 390 px in the dark theme and redraws in the light theme's colors when the system switches", async () => {
    const { context, page, errors, answers } = await signedIn({
      width: 390,
      height: 844,
      colorScheme: "dark",
    });
    try {
      for (const { name, path, scope } of pages()) {
        await page.goto(`${dashboard.url}${path}`);
        await expectDrawn(page, answers, scope, "day");
        expect(await overflowsHorizontally(page), `${name} scrolls sideways`).toBe(false);
        const box = await page.getByTestId("traffic-plot").boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 390, `${name}: chart inside the viewport`).toBe(
          true,
        );
        await page.getByTestId("traffic-chart").screenshot({ path: chartShotPath(`${name}-phone-dark`) });
      }
      // The peer page is open: the theme changes under it.
      const dark = await seriesPixels(page);
      await page.emulateMedia({ colorScheme: "light" });
      await expect.poll(async () => (await seriesPixels(page)).colors).not.toEqual(dark.colors);
      // Drawn again in the light colors: they now fill what the dark ones did (an edge pixel blended
      // with the background may match an old color by chance, a line never does).
      await expect
        .poll(async () => (await seriesPixels(page)).count, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(dark.count / 2);
      const light = await seriesPixels(page);
      expect((await seriesPixels(page, dark.colors)).count, "pixels in the dark theme's colors").toBeLessThan(
        light.count / 4,
      );
      expect(await overflowsHorizontally(page)).toBe(false);
      await page.getByTestId("traffic-chart").screenshot({ path: chartShotPath("peer-phone-light") });
      expect(errors.take(), "console errors").toEqual([]);
    } finally {
      await context.close();
    }
  });
});

/** A chart screenshot's path under test-output/screenshots/charts/. */
function chartShotPath(name: string): string {
  const dir = join(SCREENSHOT_DIR, "charts");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
