// The web app as a person uses it: a fresh headless Chromium signs in to a dashboard and reads the Nodes
// page (each node's name and status word). Launched like the web tests (test/web/support/browser.ts);
// console and page errors are collected so the caller can fail on them.
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshot, watchErrors } from "../../web/support/browser.js";

export interface NodeRowSeen {
  name: string;
  status: string;
}

export interface NodesPageVisit {
  rows: NodeRowSeen[];
  errors: string[];
}

/**
 * Signs in as `username` and opens the Nodes page; `ready` decides when the rows read are final (the
 * page refreshes itself). Resolves with the rows and the page's console errors; the browser is closed.
 */
export async function visitNodesPage(
  url: string,
  username: string,
  password: string,
  ready: (rows: NodeRowSeen[]) => boolean,
  timeoutMs = 30_000,
): Promise<NodesPageVisit> {
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signIn(page, url, username, password);
    await page.getByRole("link", { name: "Nodes", exact: true }).click();
    await page.getByRole("heading", { name: "Nodes" }).waitFor();
    await page.getByTestId("node-row").first().waitFor();
    const rows = await readRowsUntil(page, ready, timeoutMs);
    await screenshot(page, "e2e-demo-nodes");
    return { rows, errors: errors.take() };
  } finally {
    await browser?.close();
  }
}

async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

async function readRows(page: Page): Promise<NodeRowSeen[]> {
  const rows: NodeRowSeen[] = [];
  for (const row of await page.getByTestId("node-row").all()) {
    const name = ((await row.getByRole("link").first().textContent()) ?? "").trim();
    const status = ((await row.getByTestId("status").first().textContent()) ?? "").trim();
    rows.push({ name, status });
  }
  return rows;
}

/** Re-reads the table (the page polls the API itself) until `ready` holds or the time is up. */
async function readRowsUntil(
  page: Page,
  ready: (rows: NodeRowSeen[]) => boolean,
  timeoutMs: number,
): Promise<NodeRowSeen[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await readRows(page);
  while (!ready(rows) && Date.now() < deadline) {
    await page.waitForTimeout(500);
    rows = await readRows(page);
  }
  return rows;
}
