// web: the web app in Debian's Chromium against a real dashboard whose local node runs wireguard-go in
// a test namespace (issue 6's targets). A configuration gets 10,000 peers through the API (8 requests
// at a time); then, in the browser: how soon its page shows the first rows, how fast a search narrows
// the table, and how many bytes the sign-in page's first load transfers. A second configuration of
// 1,000 peers measures what an open, idle page downloads in 30 s (its live polls). Needs root and a build.
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import {
  commandPrerequisite,
  missingPrerequisites,
  wireguardPrerequisites,
} from "../../test/support/privileges.js";
import { launchChromium } from "../../test/web/support/browser.js";
import {
  ADMIN_USER,
  type Dashboard,
  missingBuild,
  startDashboard,
} from "../../test/web/support/dashboard.js";
import type { BenchResult, BenchSuite } from "../types.js";

const PEERS = 10_000;
/** The idle-transfer page: a configuration of this many peers, watched this long. */
const IDLE_PEERS = 1_000;
const IDLE_SECONDS = 30;
const CONCURRENCY = 8;
const RUNS = 5;
/** Setup never runs longer than this. */
const CREATE_BUDGET_MS = 15 * 60_000;
const SEARCHES = ["peer-0424", "peer-0777", "peer-0999", "peer-0101", "peer-0555"];

function median(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] as number,
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
  };
}

async function createPeers(dashboard: Dashboard, configuration: string, count = PEERS): Promise<number> {
  const start = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      if (Date.now() - start > CREATE_BUDGET_MS)
        throw new Error(`creating ${count} peers took over ${CREATE_BUDGET_MS} ms`);
      const i = next++;
      await dashboard.admin.request("POST", `/api/v1/configurations/${configuration}/peers`, {
        name: `peer-${String(i).padStart(5, "0")}`,
        presharedKey: false,
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (Date.now() - start) / 1000;
}

// Runs in the page before the app: records when the first table row appears (ms since navigation).
const FIRST_ROW_PROBE = `
  window.__firstRowAt = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="peer-row"]')) {
      window.__firstRowAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

// Types a search into the table and waits (frame by frame) until every row shown matches and the
// match count is final; answers the milliseconds that took.
const SEARCH = `async (term) => {
  const input = document.querySelector('[data-testid="peer-search"]');
  const start = performance.now();
  input.value = term;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const rows = [...document.querySelectorAll('[data-testid="peer-link"]')];
    const count = document.querySelector('[data-testid="peer-count"]')?.textContent ?? "";
    if (rows.length === 10 && rows.every((row) => row.textContent.includes(term)) && count.includes("10 of")) {
      return performance.now() - start;
    }
    if (performance.now() - start > 10000) throw new Error("the search did not narrow the table within 10 s");
  }
}`;

async function signIn(page: Page, url: string, password: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("Username").fill(ADMIN_USER);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

async function firstRowsMs(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.getByTestId("peer-row").first().waitFor({ timeout: 30_000 });
  const at = await page.evaluate<number | null>("window.__firstRowAt");
  if (at === null) throw new Error("the first-row probe saw no row");
  return at;
}

/** Polls from outside (the app's CSP forbids the eval that waitForFunction would need). */
async function waitUntilLoaded(page: Page, peers = PEERS): Promise<void> {
  const deadline = Date.now() + 120_000;
  const count = `document.querySelector('[data-testid="peer-count"]')?.textContent ?? ""`;
  for (;;) {
    const text = await page.evaluate<string>(count);
    if (text.includes(`${peers.toLocaleString("en")} peers`) && !text.includes("loading")) return;
    if (Date.now() > deadline) throw new Error(`the table did not finish loading: "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signInTransferKb(url: string): Promise<{ kb: number; requests: number }> {
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}/sign-in`, { waitUntil: "networkidle" });
    await page.getByLabel("Username").waitFor();
    const { bytes, requests } = await page.evaluate<{ bytes: number; requests: number }>(`(() => {
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
      return { bytes: entries.reduce((sum, e) => sum + e.transferSize, 0), requests: entries.length };
    })()`);
    return { kb: bytes / 1024, requests };
  } finally {
    await browser.close();
  }
}

/** A configuration on the local node (its own port and IPv6 /64) with `peers` peers. */
export async function configurationWithPeers(
  dashboard: Dashboard,
  prefix: string,
  peers: number,
): Promise<{ configuration: string; createSeconds: number }> {
  const configuration = `${prefix}${randomBytes(3).toString("hex")}`;
  await dashboard.admin.request("POST", "/api/v1/configurations", { name: configuration });
  await dashboard.admin.request("POST", `/api/v1/configurations/${configuration}/interfaces`, {
    nodeId: "local",
    listenPort: 20_000 + Math.floor(Math.random() * 40_000),
    pool6: `2001:db8:${randomBytes(2).toString("hex")}::/64`,
    interfaceName: `wgwb${randomBytes(4).toString("hex")}`,
  });
  const createSeconds = await createPeers(dashboard, configuration, peers);
  const listed = await dashboard.admin.request<{ total: number }>(
    "GET",
    `/api/v1/configurations/${configuration}/peers?limit=1`,
  );
  if (listed.total !== peers) throw new Error(`expected ${peers} peers, the API lists ${listed.total}`);
  return { configuration, createSeconds };
}

/**
 * Opens a configuration's page, waits until its table has loaded, then counts every byte the page
 * receives over the next IDLE_SECONDS (Chromium's own count: headers and encoded bodies, from the
 * DevTools protocol's loadingFinished events), with nobody touching it: the cost of its live polls.
 */
export async function idleTransfer(
  page: Page,
  url: string,
  peers: number,
): Promise<{ kb: number; requests: number; notModified: number }> {
  await page.goto(url);
  await waitUntilLoaded(page, peers);
  const cdp = await page.context().newCDPSession(page);
  let bytes = 0;
  let requests = 0;
  let notModified = 0;
  /** Per request in flight: its status and the bytes counted so far (headers, once they arrived). */
  const pending = new Map<string, { status: number; bytes: number }>();
  cdp.on("Network.responseReceived", (event) => {
    pending.set(event.requestId, { status: event.response.status, bytes: event.response.encodedDataLength });
  });
  const settle = (requestId: string, total?: number) => {
    const seen = pending.get(requestId);
    pending.delete(requestId);
    bytes += total ?? seen?.bytes ?? 0;
    requests++;
    if (seen?.status === 304) notModified++;
  };
  cdp.on("Network.loadingFinished", (event) => settle(event.requestId, event.encodedDataLength));
  // A request that ends otherwise still cost what it received.
  cdp.on("Network.loadingFailed", (event) => settle(event.requestId));
  await cdp.send("Network.enable");
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  await cdp.detach();
  for (const [, seen] of pending) bytes += seen.bytes; // still in flight at the end
  return { kb: bytes / 1024, requests, notModified };
}

const suite: BenchSuite = {
  name: "web",
  description: "peer table with 10,000 peers in Chromium: first rows, search; sign-in page transfer size",
  async *run(): AsyncIterable<BenchResult> {
    const missing =
      missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("chromium")]) ?? missingBuild();
    if (missing) throw new Error(`web bench: ${missing}`);
    const dashboard = await startDashboard("bench");
    try {
      const { configuration, createSeconds } = await configurationWithPeers(dashboard, "bench", PEERS);
      const idle = await configurationWithPeers(dashboard, "idle", IDLE_PEERS);

      const transfer = await signInTransferKb(dashboard.url);
      yield {
        bench: "web.signin_transfer_kb",
        value: transfer.kb,
        unit: "KB",
        target: "< 300",
        requests: transfer.requests,
        note: "fresh profile, everything the sign-in page loads (HTML, JS, CSS, icon, session probe), compressed",
      };

      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addInitScript(FIRST_ROW_PROBE);
        const page = await context.newPage();
        await signIn(page, dashboard.url, dashboard.adminPassword);
        const pageUrl = `${dashboard.url}/configurations/${configuration}`;
        const firstRows: number[] = [];
        for (let run = 0; run < RUNS; run++) firstRows.push(await firstRowsMs(page, pageUrl));
        yield {
          bench: "web.peer_table_10k_first_rows_ms",
          value: median(firstRows).median,
          unit: "ms",
          target: "< 1500",
          runs: RUNS,
          ...median(firstRows),
          first: firstRows[0],
          peers: PEERS,
          note: "navigation start to the first row in the DOM (page reloads; assets cached after the first)",
        };

        await waitUntilLoaded(page);
        const searches: number[] = [];
        for (const term of SEARCHES)
          searches.push(await page.evaluate<number>(`(${SEARCH})(${JSON.stringify(term)})`));
        yield {
          bench: "web.peer_search_10k_ms",
          value: median(searches).median,
          unit: "ms",
          target: "< 300",
          runs: SEARCHES.length,
          ...median(searches),
          peers: PEERS,
          note: "typing a term to the table showing exactly its 10 matches",
        };

        const transferred = await idleTransfer(
          page,
          `${dashboard.url}/configurations/${idle.configuration}`,
          IDLE_PEERS,
        );
        yield {
          bench: "web.idle_transfer_kb_30s",
          value: transferred.kb,
          unit: "KB",
          target: "< 50",
          requests: transferred.requests,
          notModified: transferred.notModified,
          peers: IDLE_PEERS,
          note: `bytes received (headers + encoded bodies) by an open ${IDLE_PEERS}-peer configuration page in ${IDLE_SECONDS} s idle, after its table loaded`,
        };
      } finally {
        await browser.close();
      }
      yield {
        bench: "web.setup_create_10k_peers_s",
        value: createSeconds,
        unit: "s",
        concurrency: CONCURRENCY,
      };
    } finally {
      await dashboard.stop();
    }
  },
};

export default suite;
